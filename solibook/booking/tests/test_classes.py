"""Group classes: one master, many clients, a capacity the database state keeps."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import BookingSegment, ClassSession, Source, Status
from solibook.booking.selectors import ItemSpec, to_minutes
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.testing.factories import UserFactory, make_service
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def yoga(salon):
    from solibook.catalog.models import MasterService
    from solibook.catalog.versioning import catalog_changed

    service = make_service(
        salon.business,
        name="Yoga",
        steps=[(60, True)],
        price=2000,
        category_slug="fitness-class",
        group_capacity=3,
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.marc, service=service)
    catalog_changed(salon.business.pk)
    return service


def join(salon, service, *, start=None, hold=False, now=NOW, client=None):
    with business_scope(salon.business):
        return services.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(service.pk, master_id=salon.marc.pk)],
            start=start or paris(16),
            source=Source.MARKETPLACE,
            account=client or UserFactory(),
            hold=hold,
            now=now,
        )


def test_clients_share_a_session_until_it_is_full(salon, yoga):
    first, second, third = join(salon, yoga), join(salon, yoga), join(salon, yoga)
    assert first.session_id == second.session_id == third.session_id
    with scopes_disabled():
        assert (
            BookingSegment.objects.filter(session=first.session, is_active=True).count() == 1
        )  # the master is blocked once
    with pytest.raises(Conflict) as full:
        join(salon, yoga)
    assert full.value.code == "class_full"


def test_open_sessions_with_seats_are_listed_and_the_master_is_otherwise_busy(salon, yoga):
    join(salon, yoga)
    with business_scope(salon.business):
        _, slots = services.slots_available(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
            start_date=paris(9).date(),
            days=1,
            now=NOW,
        )
        _, cuts = services.slots_available(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.marc.pk)],
            start_date=paris(9).date(),
            days=1,
            now=NOW,
        )
    assert to_minutes(paris(16)) in {s.start for s in slots}
    assert to_minutes(paris(15, 30)) not in {s.start for s in cuts}  # Marc teaches 16:00-17:00


def test_the_last_attendee_leaving_frees_the_master(salon, yoga):
    a, b = join(salon, yoga), join(salon, yoga)
    with business_scope(salon.business):
        services.appointment_cancel(
            business=salon.business, appointment_id=a.pk, by_client=True, now=NOW
        )
        with scopes_disabled():
            assert ClassSession.objects.get().is_active
        services.appointment_cancel(
            business=salon.business, appointment_id=b.pk, by_client=True, now=NOW
        )
    with scopes_disabled():
        session = ClassSession.objects.get()
        assert not session.is_active
        assert not BookingSegment.objects.filter(session=session, is_active=True).exists()
    assert join(salon, yoga).session_id != session.pk  # a new session opens


def test_an_expired_held_seat_is_released(salon, yoga):
    join(salon, yoga)
    join(salon, yoga)
    held = join(salon, yoga, hold=True)
    with pytest.raises(Conflict):
        join(salon, yoga)
    later = NOW + timedelta(minutes=services.HOLD_MINUTES + 1)
    taken = join(salon, yoga, now=later)
    assert taken.session_id == held.session_id
    with scopes_disabled():
        held.refresh_from_db()
    assert held.status == Status.EXPIRED


def test_a_class_is_booked_alone_and_not_moved(salon, yoga):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as alone:
        services.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk), ItemSpec(salon.cut.pk)],
            start=paris(16),
            source=Source.MARKETPLACE,
            now=NOW,
        )
    assert alone.value.code == "class_alone"
    seat = join(salon, yoga)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as moved:
        services.appointment_reschedule(
            business=salon.business, appointment_id=seat.pk, start=paris(17), now=NOW
        )
    assert moved.value.code == "class_not_movable"
