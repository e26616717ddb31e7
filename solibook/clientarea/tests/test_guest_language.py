"""A guest's messages are in the language they booked in (issue #14, point 3):
a guest booking on the Arabic pages of a French salon gets the confirmation
in Arabic, not in the salon's French; a signed-in client keeps their own
profile's language; a guest booked at the desk (no pages) gets the salon's."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.notifications.consumer import consume_outbox
from solibook.notifications.models import Kind, Notification
from solibook.testing.booking import book
from solibook.testing.factories import TEST_PASSWORD, UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_salon(salon):
    salon.business.languages = ["fr", "en"]
    salon.business.save(update_fields=["languages"])
    return salon


def hold(client, salon, lang: str, hour: int) -> str:
    with translation.override(lang):
        url = reverse("clientarea:book_time", args=[salon.business.slug])
    held = client.post(
        url,
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(hour).isoformat(),
        },
    )
    assert held.status_code == 302, held
    return held["Location"]


def confirmation_language(appointment_id: int) -> str:
    consume_outbox()
    with scopes_disabled():
        [notice] = Notification.objects.filter(
            appointment_id=appointment_id, kind=Kind.CONFIRMATION
        )
    return notice.language


def test_a_guest_on_the_arabic_pages_is_confirmed_in_arabic(
    client, french_salon, django_capture_on_commit_callbacks
):
    details = hold(client, french_salon, "ar", 10)
    assert details.startswith("/ar/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            details,
            {
                "action": "send",
                "name": "Guest",
                "channel": "email",
                "destination": "guest.ar@example.test",
            },
        )
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post(details, {"action": "verify", "code": code}).status_code == 302
    done = client.post(details + "confirm/", {"action": "confirm", "promo_code": ""})
    assert done.status_code == 302
    with scopes_disabled():
        appointment = Appointment.objects.get(client_email="guest.ar@example.test")
    assert appointment.client_language == "ar"
    assert confirmation_language(appointment.pk) == "ar"


def test_a_signed_in_client_keeps_the_profiles_language(client, french_salon):
    user = UserFactory(language="ru")
    client.login(email=user.email, password=TEST_PASSWORD)
    confirm_url = hold(client, french_salon, "ar", 11)
    client.post(confirm_url, {"action": "confirm", "promo_code": ""})
    with scopes_disabled():
        appointment = Appointment.objects.get(account=user)
    assert appointment.client_language == ""
    assert confirmation_language(appointment.pk) == "ru"


def test_a_guest_booked_at_the_desk_hears_in_the_salons_language(french_salon):
    appointment = book(french_salon, paris(12), client_name="Desk", client_email="d@example.test")
    assert appointment.client_language == ""
    assert confirmation_language(appointment.pk) == "fr"
