"""The salon page leads to the client area's group classes and waitlist: a
salon with upcoming class sessions links their list (classes are booked by
session, so they are not in the menu); every salon links its waitlist."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import MasterService
from solibook.catalog.versioning import catalog_changed
from solibook.core.tenancy import business_scope
from solibook.testing.factories import make_service

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def salon_html(client, business) -> str:
    response = client.get(reverse("marketplace:salon", args=[business.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_salon_without_classes_links_only_its_waitlist(client, listed_salon):
    html = salon_html(client, listed_salon.business)
    slug = listed_salon.business.slug
    assert 'id="salon-classes"' not in html
    assert reverse("clientarea:classes", args=[slug]) not in html
    assert f'id="salon-waitlist" href="{reverse("clientarea:waitlist_join", args=[slug])}"' in html


def test_a_salon_with_upcoming_classes_links_their_list(client, listed_salon):
    salon = listed_salon
    yoga = make_service(
        salon.business,
        name="Yoga",
        steps=[(60, True)],
        price=2000,
        category_slug="fitness-class",
        group_capacity=6,
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.marc, service=yoga)
    catalog_changed(salon.business.pk)
    slug = salon.business.slug
    assert 'id="salon-classes"' not in salon_html(client, salon.business)  # no session yet

    start = datetime.combine(
        timezone.now().astimezone(PARIS).date() + timedelta(days=3), time(17), tzinfo=PARIS
    )
    with business_scope(salon.business):
        booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
            start=start,
            source=Source.BACK_OFFICE,
            client_name="Front desk guest",
        )
    html = salon_html(client, salon.business)
    classes = f"{reverse('clientarea:classes', args=[slug])}?location={salon.location.pk}"
    assert f'id="salon-classes" href="{classes}"' in html
    assert "Yoga" in client.get(classes).content.decode()
