"""The waitlist form keeps the day it was opened for in every language: a
date input reads ISO dates only, so a French or Russian page must not write
the day as 13/12/2026 (the browser would show an empty field and the form
would refuse it as missing)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import WaitlistEntry
from solibook.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_the_day_given_in_the_link_is_kept_and_joins(salon, lang):
    user = UserFactory(language=lang)
    client = Client()
    client.login(email=user.email, password=TEST_PASSWORD)
    day = (timezone.now() + timedelta(days=6)).date()
    url = reverse("clientarea:waitlist_join", args=[salon.business.slug]).replace(
        "/en/", f"/{lang}/", 1
    )
    query = f"?location={salon.location.pk}&service={salon.cut.pk}&date={day.isoformat()}"
    page = client.get(url + query).content.decode()
    assert f'type="date" name="date" value="{day.isoformat()}"' in page
    joined = client.post(
        url + query,
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "",
            "date": day.isoformat(),
            "time_from": "10:00",
            "time_to": "12:00",
        },
    )
    assert joined.status_code == 302
    with scopes_disabled():
        assert WaitlistEntry.objects.get(account=user).date == day
