import re
from datetime import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.offers.models import OffPeakRule
from solibook.offers.services import promo_code_create
from solibook.testing.factories import TEST_PASSWORD, UserFactory
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db


def time_url(salon, **extra):
    params = [
        ("location", salon.location.pk),
        ("service", salon.cut.pk),
        ("master", "any"),
        ("date", MONDAY.isoformat()),
        *extra.items(),
    ]
    return f"{reverse('clientarea:book_time', args=[salon.business.slug])}?{urlencode(params)}"


def test_step_one_lists_services_with_price_and_duration(client, salon):
    response = client.get(reverse("clientarea:book", args=[salon.business.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cut" in body and "60 min" in body and "45.00" in body and "Léa" in body


def test_step_two_shows_slots_with_off_peak_prices_and_htmx_partial(client, salon):
    with scopes_disabled():
        OffPeakRule.objects.create(
            business=salon.business, weekdays=[0], start=time(14), end=time(16), discount_percent=20
        )
    response = client.get(time_url(salon))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="2030-06-03T14:00:00+02:00"' in body and "36.00" in body and "<s" in body
    partial = client.get(time_url(salon), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="slot-picker">')


def test_a_guest_books_through_every_step_without_javascript(
    client, salon, django_capture_on_commit_callbacks
):
    response = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(10).isoformat(),
        },
    )
    assert response.status_code == 302
    details = response["Location"]
    assert "/book/d/" in details
    page = client.get(details)
    assert "Cancellation" in page.content.decode() and "45.00" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            details,
            {
                "action": "send",
                "name": "Ada <b>",
                "channel": "email",
                "destination": "ada@example.test",
            },
        )
    assert sent.status_code == 200 and "ada@example.test" in sent.content.decode()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = client.post(
        details, {"action": "verify", "code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    verified = client.post(details, {"action": "verify", "code": code})
    confirm_url = verified["Location"]
    assert confirm_url.endswith("/confirm/")

    page = client.get(confirm_url)
    assert "Ada &lt;b&gt;" in page.content.decode()  # escaped
    done = client.post(confirm_url, {"action": "confirm", "promo_code": ""})
    assert done.status_code == 302 and done["Location"].endswith("/done/")
    with scopes_disabled():
        appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED and appointment.client_email == "ada@example.test"
    assert "You are booked" in client.get(done["Location"]).content.decode()


def test_a_slot_taken_meanwhile_is_explained_with_alternatives(client, salon):
    form = {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": salon.lea.pk,
        "start": paris(10).isoformat(),
    }
    assert (
        client.post(reverse("clientarea:book_time", args=[salon.business.slug]), form).status_code
        == 302
    )
    other = type(client)()
    response = other.post(reverse("clientarea:book_time", args=[salon.business.slug]), form)
    body = response.content.decode()
    assert response.status_code == 409
    assert "no longer available" in body and 'class="btn btn-sm btn-primary alternative"' in body


def test_a_signed_in_client_skips_the_details_step_and_uses_a_promo_code(client, salon):
    with scopes_disabled():
        promo_code_create(business=salon.business, code="HELLO", discount_percent=10)
    user = UserFactory()
    client.login(email=user.email, password=TEST_PASSWORD)
    response = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(11).isoformat(),
        },
    )
    confirm_url = response["Location"]
    assert confirm_url.endswith("/confirm/")
    bad = client.post(confirm_url, {"action": "apply", "promo_code": "NOPE"})
    assert bad.status_code == 400 and "not valid" in bad.content.decode()
    applied = client.post(confirm_url, {"action": "apply", "promo_code": "hello"})
    assert "40.50" in applied.content.decode()
    done = client.post(confirm_url, {"action": "confirm", "promo_code": "hello"})
    assert done.status_code == 302
    with scopes_disabled():
        assert Appointment.objects.get().account == user
    visits = client.get(reverse("clientarea:visits")).content.decode()
    assert salon.business.name in visits and "Reschedule" in visits


def test_another_browser_cannot_use_the_draft_url(client, salon):
    response = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(10).isoformat(),
        },
    )
    assert type(client)().get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/en/book/no-such-salon/",
        "/en/book/d/nope/confirm/",
    ],
)
def test_unknown_things_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"date": "2030-13-45"},
        {"date": "<script>"},
        {"service": "abc"},
        {"master": "999999999999999999999"},
        {"location": "-1"},
    ],
)
def test_bad_input_in_the_wizard_never_breaks(client, salon, query):
    response = client.get(time_url(salon, **query))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "start", ["", "yesterday", "2030-06-03T10:00", "1999-01-01T10:00:00+00:00"]
)
def test_bad_start_times_are_refused_clearly(client, salon, start):
    response = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": start,
        },
    )
    assert response.status_code in (400, 409)
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_the_wizard_speaks_the_pages_language(client, salon, language):
    with scopes_disabled():
        OffPeakRule.objects.create(
            business=salon.business, weekdays=[0], start=time(14), end=time(16), discount_percent=20
        )
    step_one = client.get(f"/{language}/book/{salon.business.slug}/")
    step_two = client.get(time_url(salon).replace("/en/", f"/{language}/"))
    assert step_one.status_code == step_two.status_code == 200
    expected = {"fr": "Choisir un horaire", "ru": "Выбрать время", "ar": "اختر وقتًا"}[language]
    assert expected in step_one.content.decode()
    if language == "ar":
        assert 'dir="rtl"' in step_two.content.decode()
