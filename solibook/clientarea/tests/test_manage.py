"""The manage link: one booking without an account (issue #14, points 2 and 7)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from solibook.booking.manage_link import (
    BadManageLink,
    manage_appointment_id,
    manage_path,
    manage_token,
)
from solibook.booking.models import Appointment, AppointmentEvent, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def guest_visit(salon, *, hour=10, email="guest@example.test") -> Appointment:
    with scopes_disabled():
        return appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(service_id=salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(hour),
            source=Source.MARKETPLACE,
            client_name="Guest Person",
            client_email=email,
            now=NOW,
        )


def url(name: str, appointment_id: int, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"clientarea:{name}", args=[manage_token(appointment_id)])


def test_the_token_reaches_its_booking_only_and_refuses_any_change():
    token = manage_token(42)
    assert manage_appointment_id(token) == 42
    for bad in (
        token.replace("42", "43", 1),  # another booking, same signature
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        "42",
        "",
        "x" * 500,
        manage_token(42).split(".")[0] + ".",
    ):
        with pytest.raises(BadManageLink):
            manage_appointment_id(bad)


def test_the_page_shows_the_booking_in_the_salons_time_zone(client, salon):
    visit = guest_visit(salon)
    response = client.get(url("manage", visit.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert salon.business.name in body and salon.location.address in body
    assert "Cut" in body and "Léa" in body
    assert "10:00" in body  # Paris time, stored as 08:00 UTC
    assert "45.00" in body or "45,00" in body  # 4 500 minor units
    assert 'id="cancellation-policy"' in body and "free until" in body
    assert "calendar.google.com" in body and "outlook.live.com" in body
    assert "20300603T080000Z%2F20300603T090000Z" in body  # UTC in the Google link
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert response["Referrer-Policy"] == "same-origin"


def test_the_calendar_file_is_the_visit_in_its_zone(client, salon):
    visit = guest_visit(salon)
    response = client.get(url("manage_ics", visit.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and "DTSTART;TZID=Europe/Paris:20300603T100000" in text
    assert "METHOD:PUBLISH" in text and "Cut at" in text


def test_an_altered_link_is_a_clear_page_in_the_clients_language_and_shows_nothing(client, salon):
    visit = guest_visit(salon)
    token = manage_token(visit.pk)
    other = guest_visit(salon, hour=14, email="other@example.test")
    forged = token.replace(str(visit.pk), str(other.pk), 1)
    with translation.override("fr"):
        response = client.get(reverse("clientarea:manage", args=[forged]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in body or "lien" in body.lower()
    assert salon.business.name not in body and "Guest Person" not in body
    with translation.override("ar"):
        response = client.get(reverse("clientarea:manage_cancel", args=["1.forged"]))
    assert response.status_code == 404 and 'dir="rtl"' in response.content.decode()
    with scopes_disabled():
        assert Appointment.objects.filter(status=Status.CANCELLED).count() == 0


def test_a_link_past_the_visits_end_has_expired(client, salon):
    visit = guest_visit(salon)
    with scopes_disabled():
        Appointment.objects.filter(pk=visit.pk).update(
            starts_at=timezone.now() - timedelta(hours=3),
            ends_at=timezone.now() - timedelta(hours=2),
        )
    for name in ("manage", "manage_cancel", "manage_reschedule", "manage_ics"):
        response = client.get(url(name, visit.pk, "ru"))
        assert response.status_code == 410
        assert salon.business.name not in response.content.decode()
    response = client.post(url("manage_cancel", visit.pk), {"reason": ""})
    assert response.status_code == 410
    with scopes_disabled():
        assert Appointment.objects.get(pk=visit.pk).status == Status.CONFIRMED


@override_settings(MANAGE_LINK_RATE_PER_TOKEN=3, MANAGE_LINK_RATE_PER_IP=1000)
def test_too_many_tries_on_one_link_is_a_429_page(client, salon):
    visit = guest_visit(salon)
    for _ in range(3):
        assert client.get(url("manage", visit.pk)).status_code == 200
    response = client.get(url("manage", visit.pk, "fr"))
    assert response.status_code == 429 and response["Retry-After"]
    assert "Trop de tentatives" in response.content.decode()
    assert salon.business.name not in response.content.decode()
    other = guest_visit(salon, hour=14, email="b@example.test")
    assert client.get(url("manage", other.pk)).status_code == 200  # another link is counted apart


@override_settings(MANAGE_LINK_RATE_PER_TOKEN=1000, MANAGE_LINK_RATE_PER_IP=5)
def test_guessing_links_from_one_address_is_a_429(client, salon):
    codes = [client.get(f"/en/m/{i}.guess/").status_code for i in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    visit = guest_visit(salon)
    assert client.get(url("manage", visit.pk)).status_code == 429  # the address is over
    assert (
        client.get(url("manage", visit.pk), REMOTE_ADDR="10.0.0.9").status_code == 200
    )  # another address is not


def test_a_guest_reschedules_through_the_link(client, salon):
    visit = guest_visit(salon)
    page = client.get(url("manage_reschedule", visit.pk) + "?date=2030-06-03")
    assert page.status_code == 200 and paris(15).isoformat() in page.content.decode()
    response = client.post(
        url("manage_reschedule", visit.pk) + "?date=2030-06-03", {"start": paris(15).isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == url("manage", visit.pk)
    with scopes_disabled():
        moved = Appointment.objects.get(pk=visit.pk)
        assert moved.starts_at == paris(15)
        assert AppointmentEvent.objects.filter(appointment=moved, kind="rescheduled").exists()
    assert client.post(url("manage_reschedule", visit.pk), {"start": "garbage"}).status_code == 400
    taken = guest_visit(salon, hour=12, email="c@example.test")
    refused = client.post(url("manage_reschedule", visit.pk), {"start": paris(12).isoformat()})
    assert refused.status_code in (400, 409) and taken.pk


def test_a_guest_sees_the_policy_then_cancels_through_the_link(client, salon):
    visit = guest_visit(salon)
    page = client.get(url("manage_cancel", visit.pk))
    assert page.status_code == 200
    assert 'id="cancel-policy"' in page.content.decode()
    response = client.post(url("manage_cancel", visit.pk), {"reason": "ill"})
    assert response.status_code == 302
    with scopes_disabled():
        cancelled = Appointment.objects.get(pk=visit.pk)
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_by_client
    after = client.get(url("manage", visit.pk)).content.decode()
    assert "Cancelled" in after and "manage_cancel" not in after
    assert client.get(url("manage_cancel", visit.pk)).status_code == 302  # nothing to cancel


def test_the_done_page_and_the_confirmation_carry_the_link(salon):
    visit = guest_visit(salon)
    from solibook.notifications.defaults import default_template
    from solibook.notifications.models import Channel, Kind

    for language in ("en", "fr", "ru", "ar"):
        for channel in (Channel.EMAIL, Channel.SMS):
            _subject, body = default_template(Kind.CONFIRMATION, channel, language)
            assert "{{ manage_link }}" in body, (language, channel)
    with translation.override("fr"):
        assert manage_path(visit.pk).startswith("/fr/m/")


def test_policy_never_says_free_until_a_past_time(client, salon, monkeypatch):
    """A fixed clock after the free window: the fee that applies now is shown."""
    visit = guest_visit(salon)  # Monday 10:00 Paris; free until Sunday 10:00 (24 h)
    late = datetime(2030, 6, 2, 20, 0, tzinfo=UTC)  # Sunday 22:00 Paris
    monkeypatch.setattr(timezone, "now", lambda: late)
    for name in ("manage", "manage_cancel"):
        body = client.get(url(name, visit.pk)).content.decode()
        assert "free until" not in body.lower(), name
        assert "cancelling now costs" in body and ("22.50" in body or "22,50" in body), name
    early = datetime(2030, 6, 1, 20, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: early)
    body = client.get(url("manage", visit.pk)).content.decode()
    assert "free until 2 June, 10:00" in body and "cancelling now costs" not in body


def test_the_wizards_summary_says_the_fee_once_free_cancellation_has_passed(salon):
    from django.template.loader import render_to_string

    from solibook.clientarea import services

    draft = services.booking_hold(
        business=salon.business,
        location_id=salon.location.pk,
        specs=[ItemSpec(service_id=salon.cut.pk, master_id=salon.lea.pk)],
        start=paris(10),
        now=datetime(2030, 6, 2, 19, 50, tzinfo=UTC),
    )
    late = services.draft_summary(draft, now=datetime(2030, 6, 2, 20, 0, tzinfo=UTC))
    assert late.policy["free_now"] is False and late.policy["fee_now_amount"] == 2250
    with translation.override("ru"):
        text = render_to_string("clientarea/wizard/_summary.html", {"summary": late})
    assert "бесплатно до" not in text and "отмена сейчас стоит" in text and "2 июня" in text
    early = services.draft_summary(draft, now=datetime(2030, 6, 1, 20, 0, tzinfo=UTC))
    assert early.policy["free_now"] is True and early.policy["fee_now_amount"] == 0
    text = render_to_string("clientarea/wizard/_summary.html", {"summary": early})
    assert "free until 2 June, 10:00" in text


def test_a_guest_pays_the_balance_through_the_link(client, salon, settings):
    from solibook.finance.models import FinanceSettings, Payment

    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", True
    with scopes_disabled():
        FinanceSettings.objects.filter(business=salon.business).update(online_provider="test")
    visit = guest_visit(salon)
    page = client.get(url("manage", visit.pk)).content.decode()
    assert 'id="amount-due"' in page and url("manage_pay", visit.pk) in page
    pay = client.get(url("manage_pay", visit.pk))
    assert pay.status_code == 200 and "45.00" in pay.content.decode()
    card = client.post(url("manage_pay", visit.pk))["Location"]
    back = client.post(card, {"number": "4242424242424242", "expiry": "12/34", "cvc": "123"})
    landed = client.get(back["Location"])
    assert landed["Location"].startswith(url("manage", visit.pk))
    with scopes_disabled():
        paid = Payment.objects.get(appointment=visit, purpose=Payment.Purpose.BALANCE)
    assert paid.state == Payment.State.CAPTURED and paid.amount_captured == 4500
    after = client.get(url("manage", visit.pk)).content.decode()
    assert 'id="paid-online"' in after and 'id="amount-due"' not in after
    assert client.get(f"/en/m/{visit.pk}.forged/pay/").status_code == 404
