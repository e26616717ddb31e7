"""At a salon that asks a deposit, a waitlist offer and a repeating visit are
held for their deposit ("Awaiting deposit"): the offer page and the series
report lead to the payment step, and the paid deposit confirms the visit and
books the waitlist entry (test-mode provider, through the pages)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source, Status, WaitlistEntry
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.finance.models import FinanceSettings, Payment
from solibook.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CARD_OK = {"number": "4242 4242 4242 4242", "expiry": "12/34", "cvc": "123"}


def day_ahead(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


@pytest.fixture
def deposit_salon(salon, settings):
    settings.STRIPE_SECRET_KEY, settings.PAYMENTS_TEST_MODE = "", True
    business = salon.business
    business.deposit_rule, business.deposit_value = "fixed", 2000
    business.save(update_fields=["deposit_rule", "deposit_value"])
    with scopes_disabled():
        FinanceSettings.objects.filter(business=business).update(online_provider="test")
    return salon


def signed_in() -> tuple[Client, object]:
    user = UserFactory()
    client = Client()
    client.login(email=user.email, password=TEST_PASSWORD)
    return client, user


def offered_entry(salon, user, start) -> WaitlistEntry:
    """Both masters busy, the client waiting, one visit cancelled: the offer is made."""
    with business_scope(salon.business):
        blocking = [
            booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
                start=start,
                source=Source.BACK_OFFICE,
                client_name="Blocking",
            )
            for master in (salon.lea, salon.marc)
        ]
        entry = booking.waitlist_join(
            business=salon.business,
            account=user,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=start.date(),
            time_from=start.time(),
            time_to=(start + timedelta(hours=1)).time(),
        )
        booking.appointment_cancel(
            business=salon.business, appointment_id=blocking[0].pk, reason="", by_client=False
        )
        offered = booking.waitlist_offer(
            business=salon.business, location_id=salon.location.pk, day=start.date()
        )
    assert [e.pk for e in offered] == [entry.pk]
    with scopes_disabled():
        return WaitlistEntry.objects.get(pk=entry.pk)


def pay_with_the_test_card(client, pay_url: str) -> str:
    """The payment step, the test card that succeeds; where the client lands."""
    card_page = client.post(pay_url)
    assert card_page.status_code == 302 and "/pay/test/" in card_page["Location"]
    back = client.post(card_page["Location"], CARD_OK)
    assert back.status_code == 302 and "/pay/return/" in back["Location"]
    landed = client.get(back["Location"])
    assert landed.status_code == 302
    return landed["Location"]


def test_an_offer_at_a_deposit_salon_leads_to_the_payment_and_paying_books_it(deposit_salon):
    client, user = signed_in()
    entry = offered_entry(deposit_salon, user, day_ahead(5, 10))
    with scopes_disabled():
        offer = Appointment.objects.get(pk=entry.offer_id)
    assert offer.status == Status.AWAITING_DEPOSIT and offer.deposit_amount == 2000

    url = reverse("clientarea:waitlist_offer", args=[entry.pk])
    page = client.get(url).content.decode()
    assert 'id="offer-deposit"' in page and "Deposit to pay now" in page and "20.00" in page
    assert "Continue to payment" in page

    # Someone else's offer stays a 404, even with a deposit to pay.
    stranger, _other = signed_in()
    assert stranger.post(url).status_code == 404

    # The offer's button leads to the payment step of that visit (before: a 409).
    pressed = client.post(url)
    pay_url = reverse("clientarea:visit_pay", args=[offer.pk])
    assert pressed.status_code == 302 and pressed["Location"] == pay_url
    pay_page = client.get(pay_url).content.decode()
    assert "Deposit to pay now" in pay_page and "20.00" in pay_page

    landed = pay_with_the_test_card(client, pay_url)
    assert landed.startswith(reverse("clientarea:visits"))
    with scopes_disabled():
        entry.refresh_from_db()
        offer.refresh_from_db()
        payment = Payment.objects.get(appointment=offer)
    assert offer.status == Status.CONFIRMED
    assert entry.state == WaitlistEntry.State.BOOKED  # marked when the deposit was paid
    assert payment.amount == 2000
    assert "You are booked!" in client.get(url).content.decode()
    waitlist = client.get(reverse("clientarea:waitlist")).content.decode()
    assert "See the offer" not in waitlist


def test_an_offer_without_a_deposit_still_confirms_with_its_button(salon):
    client, user = signed_in()
    entry = offered_entry(salon, user, day_ahead(5, 11))
    url = reverse("clientarea:waitlist_offer", args=[entry.pk])
    page = client.get(url).content.decode()
    assert 'id="offer-deposit"' not in page and "Continue to payment" not in page
    assert client.post(url)["Location"] == url
    with scopes_disabled():
        entry.refresh_from_db()
    assert entry.state == WaitlistEntry.State.BOOKED


def test_a_series_at_a_deposit_salon_links_each_visit_to_its_payment(deposit_salon):
    salon = deposit_salon
    first = day_ahead(3, 10)
    client, user = signed_in()
    url = reverse("clientarea:series_book", args=[salon.business.slug])
    query = {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": "any",
        "date": first.date().isoformat(),
    }
    booked = client.post(
        f"{url}?location={salon.location.pk}",
        {**query, "start": first.isoformat(), "interval_weeks": "1", "occurrences": "2"},
    )
    assert booked.status_code == 302
    report = client.get(booked["Location"]).content.decode()
    with scopes_disabled():
        placed = list(Appointment.objects.filter(account=user).order_by("starts_at"))
    assert len(placed) == 2 and all(a.status == Status.AWAITING_DEPOSIT for a in placed)
    for visit in placed:
        assert reverse("clientarea:visit_pay", args=[visit.pk]) in report

    landed = pay_with_the_test_card(client, reverse("clientarea:visit_pay", args=[placed[0].pk]))
    assert landed.startswith(reverse("clientarea:visits"))
    report = client.get(booked["Location"]).content.decode()
    assert reverse("clientarea:visit_pay", args=[placed[0].pk]) not in report
    assert reverse("clientarea:visit_pay", args=[placed[1].pk]) in report
