"""Every way a client books from the marketplace records the first touch that
the commission line shows as its evidence: a class seat, each visit of a
recurring series, and a waitlist offer (kept with the entry when the client
joined, since the offer is made later by a task without the visitor's
session) — as the booking wizard does."""

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
from solibook.commissions.models import CommissionLine, ExemptReason, Touch, WaitlistTouch
from solibook.commissions.tests.test_commission import books_balanced, pay
from solibook.core.tenancy import business_scope
from solibook.testing.booking import complete
from solibook.testing.factories import TEST_PASSWORD, UserFactory, make_service

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def day_ahead(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def signed_in() -> tuple[Client, object]:
    user = UserFactory()
    client = Client()
    client.login(email=user.email, password=TEST_PASSWORD)
    return client, user


def paid_line(salon, appointment, captured, total) -> CommissionLine:
    complete(salon, appointment)
    pay(salon, appointment, captured, total=total)
    with scopes_disabled():
        return CommissionLine.objects.get(appointment=appointment)


def test_a_class_seat_booked_from_a_search_result_carries_search_as_its_evidence(
    salon, django_capture_on_commit_callbacks
):
    from solibook.catalog.models import MasterService
    from solibook.catalog.versioning import catalog_changed

    yoga = make_service(
        salon.business,
        name="Yoga",
        steps=[(60, True)],
        price=2000,
        category_slug="fitness-class",
        group_capacity=3,
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.marc, service=yoga)
    catalog_changed(salon.business.pk)
    start = day_ahead(2, 16)
    with business_scope(salon.business):
        seat = booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
            start=start,
            source=Source.BACK_OFFICE,
            client_name="Front desk guest",
        )
    with scopes_disabled():
        session_id = seat.session_id
    client, user = signed_in()
    slug = salon.business.slug
    before = timezone.now()
    listed = client.get(reverse("clientarea:classes", args=[slug]), {"via": "search"})
    assert listed.status_code == 200
    held = client.post(reverse("clientarea:class_book", args=[slug, session_id]))
    assert held.status_code == 302
    assert client.post(held["Location"], {"action": "confirm"}).status_code == 302
    with scopes_disabled():
        mine = Appointment.objects.get(account=user)
        assert mine.status == Status.CONFIRMED and mine.source == Source.MARKETPLACE
        assert Touch.objects.get(appointment=mine).kind == "search"
    line = paid_line(salon, mine, django_capture_on_commit_callbacks, 2000)
    assert line.touch_kind == "search" and line.touched_at >= before
    assert line.amount > 0 and not line.exempt_reason
    books_balanced()


def test_every_visit_of_a_series_booked_through_the_salons_own_link_says_so(
    salon, django_capture_on_commit_callbacks
):
    first = day_ahead(3, 10)
    client, user = signed_in()
    url = reverse("clientarea:series_book", args=[salon.business.slug])
    query = {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": "any",
        "date": first.date().isoformat(),
    }
    assert client.get(url, {**query, "via": "link"}).status_code == 200
    booked = client.post(
        f"{url}?location={salon.location.pk}",
        {**query, "start": first.isoformat(), "interval_weeks": "2", "occurrences": "3"},
    )
    assert booked.status_code == 302
    with scopes_disabled():
        placed = list(Appointment.objects.filter(account=user).order_by("starts_at"))
        assert len(placed) == 3
        assert {t.kind for t in Touch.objects.filter(appointment__in=placed)} == {"own_link"}
        assert Touch.objects.filter(appointment__in=placed).count() == 3
    line = paid_line(salon, placed[0], django_capture_on_commit_callbacks, 4500)
    # The salon's own link: the evidence says so and nothing is charged.
    assert line.touch_kind == "own_link"
    assert (line.amount, line.exempt_reason) == (0, ExemptReason.OWN_CHANNEL)


def test_a_series_from_a_search_result_is_charged_with_search_as_its_evidence(
    salon, django_capture_on_commit_callbacks
):
    first = day_ahead(4, 11)
    client, user = signed_in()
    url = reverse("clientarea:series_book", args=[salon.business.slug])
    query = {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": "any",
        "date": first.date().isoformat(),
    }
    client.get(url, {**query, "via": "search"})
    client.post(
        f"{url}?location={salon.location.pk}",
        {**query, "start": first.isoformat(), "interval_weeks": "1", "occurrences": "2"},
    )
    with scopes_disabled():
        placed = list(Appointment.objects.filter(account=user).order_by("starts_at"))
    assert len(placed) == 2
    line = paid_line(salon, placed[0], django_capture_on_commit_callbacks, 4500)
    assert line.touch_kind == "search" and line.amount > 0


def test_a_waitlist_offer_carries_the_touch_kept_when_the_client_joined(
    salon, django_capture_on_commit_callbacks
):
    start = day_ahead(5, 10)
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
    client, user = signed_in()
    join = reverse("clientarea:waitlist_join", args=[salon.business.slug])
    before = timezone.now()
    assert client.get(join, {"location": salon.location.pk, "via": "search"}).status_code == 200
    joined = client.post(
        f"{join}?location={salon.location.pk}",
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "",
            "date": start.date().isoformat(),
            "time_from": "10:00",
            "time_to": "11:00",
        },
    )
    assert joined.status_code == 302, joined.content
    with scopes_disabled():
        entry = WaitlistEntry.objects.get(account=user)
        assert WaitlistTouch.objects.get(entry=entry).kind == "search"
    with business_scope(salon.business):
        booking.appointment_cancel(
            business=salon.business, appointment_id=blocking[0].pk, reason="", by_client=False
        )
        booking.waitlist_offer(
            business=salon.business, location_id=salon.location.pk, day=start.date()
        )
    # The client accepts from another device: no first touch in that session.
    other_device = Client()
    other_device.login(email=user.email, password=TEST_PASSWORD)
    accepted = other_device.post(reverse("clientarea:waitlist_offer", args=[entry.pk]))
    assert accepted.status_code == 302
    with scopes_disabled():
        entry.refresh_from_db()
        offer = Appointment.objects.get(pk=entry.offer_id)
        assert offer.status == Status.CONFIRMED and offer.source == Source.MARKETPLACE
    line = paid_line(salon, offer, django_capture_on_commit_callbacks, 4500)
    assert line.touch_kind == "search" and before <= line.touched_at <= timezone.now()
    assert line.amount > 0
    books_balanced()


def test_a_made_up_promoted_id_on_a_class_link_counts_as_search_not_promotion(salon):
    client, _user = signed_in()
    page = client.get(
        reverse("clientarea:classes", args=[salon.business.slug]), {"via": "promoted.999999"}
    )
    assert page.status_code == 200
    kept = client.session["first_touches"][str(salon.business.pk)]
    assert kept["kind"] == "search" and kept["promotion"] is None
