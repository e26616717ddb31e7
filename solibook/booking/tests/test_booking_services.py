from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment, BookingSegment, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.clients.models import ClientPatchTest
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def slots(salon, specs, days=1, **kwargs):
    with business_scope(salon.business):
        loaded, found = services.slots_available(
            business=salon.business,
            location_id=salon.location.pk,
            specs=specs,
            start_date=MONDAY,
            days=days,
            now=NOW,
            **kwargs,
        )
    return [services.slot_as_dict(loaded, s) for s in found]


def test_a_booking_blocks_the_master_and_writes_its_outbox_event(salon):
    appointment = book(salon, paris(10))
    assert appointment.status == Status.CONFIRMED
    assert appointment.price_amount == 4500
    with scopes_disabled():
        [segment] = BookingSegment.objects.filter(appointment=appointment)
        assert (segment.master_id, segment.starts_at, segment.ends_at) == (
            salon.lea.pk,
            paris(10),
            paris(11),
        )
        assert OutboxEvent.objects.filter(
            topic="appointment.created", payload__appointment_id=appointment.pk
        ).exists()
    starts = [s["start"] for s in slots(salon, [ItemSpec(salon.cut.pk, master_id=salon.lea.pk)])]
    assert paris(10).isoformat() not in starts
    assert paris(9).isoformat() in starts and paris(11).isoformat() in starts
    assert paris(9, 15).isoformat() not in starts  # would run into 10:00


def test_the_same_slot_twice_is_a_409_with_alternatives(salon):
    book(salon, paris(10))
    with pytest.raises(Conflict) as caught:
        book(salon, paris(10))
    assert caught.value.code == "slot_taken"
    alternatives = [a["start"] for a in caught.value.extra["alternatives"]]
    assert paris(9).isoformat() in alternatives or paris(11).isoformat() in alternatives
    with scopes_disabled():
        assert Appointment.objects.count() == 1


def test_processing_time_lets_the_master_take_another_client(salon):
    book(
        salon, paris(10), [ItemSpec(salon.colour.pk, master_id=salon.lea.pk)]
    )  # busy 10:00-10:30 and 11:05-11:35
    starts = [s["start"] for s in slots(salon, [ItemSpec(salon.cut.pk, master_id=salon.lea.pk)])]
    assert paris(10, 30).isoformat() not in starts  # 60 minutes do not fit in the 35-minute window
    second = book(salon, paris(10, 30), [ItemSpec(salon.cut.pk, master_id=salon.marc.pk)])
    assert second.pk


def test_any_master_and_a_chained_visit_across_two_masters(salon):
    book(salon, paris(9), [ItemSpec(salon.cut.pk, master_id=salon.lea.pk)])
    [first, *_] = slots(salon, [ItemSpec(salon.cut.pk)])
    assert first["start"] == paris(9).isoformat()
    assert first["items"][0]["master_name"] == "Marc"  # Léa is taken at 9:00
    chained = slots(
        salon,
        [
            ItemSpec(salon.cut.pk, master_id=salon.marc.pk),
            ItemSpec(salon.colour.pk, master_id=salon.lea.pk),
        ],
    )
    assert chained[0]["items"][0]["end"] == chained[0]["items"][1]["start"]
    assert chained[0]["price_amount"] == 4500 + 8000


def test_bad_input_is_refused_and_writes_nothing(salon):
    with pytest.raises(ValidationFailed, match="does not perform"):
        book(salon, paris(10), [ItemSpec(salon.colour.pk, master_id=salon.marc.pk)])
    with pytest.raises(NotFound):
        book(salon, paris(10), [ItemSpec(999999)])
    with pytest.raises(ValidationFailed) as past:
        book(salon, NOW - timedelta(days=1))
    assert past.value.code == "in_the_past"
    with pytest.raises(Conflict):
        book(salon, paris(20))  # outside working time
    with scopes_disabled():
        assert not Appointment.objects.exists()


def test_online_bookings_respect_lead_time_and_horizon(salon):
    salon.business.lead_time_minutes = 60 * 24 * 5
    salon.business.save()
    with pytest.raises(ValidationFailed) as soon:
        book(salon, paris(10), source=Source.MARKETPLACE)
    assert soon.value.code == "too_soon"
    assert book(salon, paris(10), source=Source.BACK_OFFICE).pk  # the salon itself may
    salon.business.lead_time_minutes, salon.business.horizon_days = 0, 1
    salon.business.save()
    with pytest.raises(ValidationFailed) as far:
        book(salon, paris(10, day=MONDAY + timedelta(days=30)), source=Source.MARKETPLACE)
    assert far.value.code == "too_far"


def test_a_hold_blocks_until_it_expires_then_frees_the_slot(salon):
    hold = book(salon, paris(10), hold=True)
    assert hold.status == Status.HOLD
    with pytest.raises(Conflict):
        book(salon, paris(10), now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=services.HOLD_MINUTES + 1)
    replacement = book(salon, paris(10), now=later)
    with scopes_disabled():
        hold.refresh_from_db()
    assert hold.status == Status.EXPIRED
    assert replacement.status == Status.CONFIRMED
    with business_scope(salon.business), pytest.raises(Conflict) as expired:
        services.appointment_confirm(business=salon.business, appointment_id=hold.pk, now=later)
    assert expired.value.code == "hold_expired"


def test_confirming_a_live_hold(salon):
    hold = book(salon, paris(10), hold=True)
    with business_scope(salon.business):
        confirmed = services.appointment_confirm(
            business=salon.business, appointment_id=hold.pk, now=NOW + timedelta(minutes=2)
        )
    assert confirmed.status == Status.CONFIRMED
    with scopes_disabled():
        assert not BookingSegment.objects.filter(
            appointment=hold, hold_expires_at__isnull=False
        ).exists()


def test_reschedule_is_atomic(salon):
    first = book(salon, paris(10))
    other = book(salon, paris(14))
    with business_scope(salon.business):
        with pytest.raises(Conflict):
            services.appointment_reschedule(
                business=salon.business, appointment_id=first.pk, start=paris(14), now=NOW
            )
        moved = services.appointment_reschedule(
            business=salon.business, appointment_id=first.pk, start=paris(10, 30), now=NOW
        )
    assert moved.starts_at == paris(10, 30)  # overlapping its own old time is fine
    with scopes_disabled():
        active = BookingSegment.objects.filter(is_active=True).order_by("starts_at")
        assert [(s.appointment_id, s.starts_at) for s in active] == [
            (first.pk, paris(10, 30)),
            (other.pk, paris(14)),
        ]


def test_cancellation_policy_marks_late_client_cancellations(salon):
    early = book(salon, paris(10))
    late = book(salon, paris(15))
    with business_scope(salon.business):
        services.appointment_cancel(
            business=salon.business,
            appointment_id=early.pk,
            by_client=True,
            now=paris(10) - timedelta(days=2),
        )
        cancelled = services.appointment_cancel(
            business=salon.business,
            appointment_id=late.pk,
            by_client=True,
            now=paris(15) - timedelta(hours=2),
        )
        with pytest.raises(ValidationFailed):
            services.appointment_cancel(
                business=salon.business, appointment_id=late.pk, by_client=True, now=NOW
            )
    assert cancelled.late_cancellation
    with scopes_disabled():
        early.refresh_from_db()
        assert not early.late_cancellation
        assert (
            OutboxEvent.objects.get(
                topic="appointment.cancelled", payload__appointment_id=late.pk
            ).payload["fee"]
            == 2250
        )
    assert book(salon, paris(10)).pk  # the time is free again


def test_a_patch_test_requirement_blocks_until_satisfied(salon):
    with scopes_disabled():
        salon.colour.requires_patch_test = True
        salon.colour.save()
    client = UserFactory()
    specs = [ItemSpec(salon.colour.pk, master_id=salon.lea.pk)]
    with pytest.raises(ValidationFailed) as blocked:
        book(salon, paris(10), specs, account=client)
    assert blocked.value.code == "patch_test_required"
    with scopes_disabled():
        # The patch test lives on the salon's card for the person (their account's card).
        ClientPatchTest.objects.create(
            business=salon.business,
            client=client_card_for_booking(business=salon.business, user=client),
            service=salon.colour,
            taken_at=(NOW - timedelta(days=2)).date(),
            valid_until=(NOW + timedelta(days=180)).date(),
        )
    assert book(salon, paris(10), specs, account=client).pk


def test_one_master_doing_two_items_in_a_row_through_a_clean_up_buffer(salon):
    # The kernel lets Léa go on with the second item while the first one's
    # clean-up time runs; the written segments must not overlap each other
    # (on PostgreSQL the exclusion constraint would refuse the booking).
    with scopes_disabled():
        salon.cut.buffer_after_minutes = 10
        salon.cut.save()
    specs = [
        ItemSpec(salon.cut.pk, master_id=salon.lea.pk),
        ItemSpec(salon.cut.pk, master_id=salon.lea.pk),
    ]
    assert paris(10).isoformat() in [s["start"] for s in slots(salon, specs)]
    appointment = book(salon, paris(10), specs=specs)
    with scopes_disabled():
        spans = sorted(
            BookingSegment.objects.filter(appointment=appointment).values_list(
                "starts_at", "ends_at"
            )
        )
    assert spans[0][0] == paris(10)
    assert spans[-1][1] == paris(12, 10)  # two hours of work plus the last clean-up
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False))
    with pytest.raises(Conflict):
        book(salon, paris(12), specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)])
