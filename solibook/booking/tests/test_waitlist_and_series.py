from datetime import date, time, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment, Source, Status, WaitlistEntry
from solibook.booking.selectors import ItemSpec
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def test_a_cancellation_offers_the_freed_time_to_the_first_client_waiting(
    salon, django_capture_on_commit_callbacks
):
    first, waiting, later = UserFactory(), UserFactory(), UserFactory()
    taken = book(salon, paris(10), account=first, source=Source.MARKETPLACE)
    with business_scope(salon.business):
        entry = services.waitlist_join(
            business=salon.business,
            account=waiting,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            master_id=salon.lea.pk,
            day=MONDAY,
            time_from=time(10),
            time_to=time(11),
            now=NOW,
        )
        second = services.waitlist_join(
            business=salon.business,
            account=later,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            master_id=salon.lea.pk,
            day=MONDAY,
            time_from=time(10),
            time_to=time(11),
            now=NOW,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.appointment_cancel(
                business=salon.business, appointment_id=taken.pk, by_client=True, now=NOW
            )
    with scopes_disabled():
        entry.refresh_from_db()
        second.refresh_from_db()
        assert entry.state == WaitlistEntry.State.OFFERED
        assert second.state == WaitlistEntry.State.WAITING  # one slot, one offer
        offer = entry.offer
        assert (offer.status, offer.account_id, offer.starts_at) == (
            Status.HOLD,
            waiting.pk,
            paris(10),
        )
        assert offer.hold_expires_at > offer.created_at + timedelta(
            minutes=services.OFFER_MINUTES - 1
        )
    with business_scope(salon.business):
        services.appointment_confirm(business=salon.business, appointment_id=offer.pk)
    with scopes_disabled():
        entry.refresh_from_db()
    assert entry.state == WaitlistEntry.State.BOOKED


def test_waitlist_refuses_bad_windows_and_duplicates(salon):
    client = UserFactory()
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed):
            services.waitlist_join(
                business=salon.business,
                account=client,
                location_id=salon.location.pk,
                service_id=salon.cut.pk,
                day=MONDAY,
                time_from=time(12),
                time_to=time(11),
                now=NOW,
            )
        with pytest.raises(ValidationFailed):
            services.waitlist_join(
                business=salon.business,
                account=client,
                location_id=salon.location.pk,
                service_id=salon.cut.pk,
                day=date(2020, 1, 1),
                time_from=time(10),
                time_to=time(11),
                now=NOW,
            )
        services.waitlist_join(
            business=salon.business,
            account=client,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=MONDAY,
            time_from=time(10),
            time_to=time(11),
            now=NOW,
        )
        with pytest.raises(ValidationFailed) as twice:
            services.waitlist_join(
                business=salon.business,
                account=client,
                location_id=salon.location.pk,
                service_id=salon.cut.pk,
                day=MONDAY,
                time_from=time(9),
                time_to=time(11),
                now=NOW,
            )
    assert twice.value.code == "already_waiting"


def test_a_weekly_series_keeps_local_time_across_dst_and_reports_what_failed(salon):
    first = paris(10, day=date(2030, 10, 14))  # Monday; clocks change on 2030-10-27
    book(
        salon, paris(10, day=date(2030, 10, 28)), source=Source.MARKETPLACE
    )  # one occurrence is already taken
    with business_scope(salon.business):
        report = services.appointment_series_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            first_start=first,
            interval_weeks=1,
            occurrences=4,
            source=Source.BACK_OFFICE,
            now=NOW,
        )
    assert [a.starts_at for a in report.placed] == [
        paris(10, day=date(2030, 10, 14)),
        paris(10, day=date(2030, 10, 21)),
        paris(10, day=date(2030, 11, 4)),
    ]
    assert (
        report.placed[0].starts_at.hour == 8 and report.placed[2].starts_at.hour == 9
    )  # UTC: summer +2, winter +1
    assert [f["code"] for f in report.failed] == ["slot_taken"]
    assert report.failed[0]["start"].startswith("2030-10-28T10:00:00+01:00")
    with scopes_disabled():
        assert Appointment.objects.filter(series=report.series).count() == 3


def test_a_series_with_no_free_date_writes_nothing(salon):
    book(salon, paris(10), source=Source.MARKETPLACE)
    book(salon, paris(10, day=MONDAY + timedelta(weeks=1)), source=Source.MARKETPLACE)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as empty:
        services.appointment_series_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            first_start=paris(10),
            interval_weeks=1,
            occurrences=2,
            source=Source.BACK_OFFICE,
            now=NOW,
        )
    assert empty.value.code == "series_empty"
    with scopes_disabled():
        assert Appointment.objects.count() == 2
