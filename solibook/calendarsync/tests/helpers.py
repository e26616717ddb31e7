"""Small steps the calendar sync tests share."""

from datetime import datetime

from django.utils import timezone

from solibook.booking import services as booking
from solibook.booking.selectors import ItemSpec
from solibook.calendarsync import services
from solibook.calendarsync.models import Connection
from solibook.catalog.models import TimeOff
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.testing.booking import book


def connect_caldav(salon, url: str, *, master=None, password: str = "secret") -> Connection:  # noqa: S107 (the test server's)
    with business_scope(salon.business):
        return services.caldav_connect(
            business=salon.business,
            master_id=(master or salon.lea).pk,
            url=url,
            username="anna",
            password=password,
        )


def sync(connection: Connection):
    return services.connection_sync(connection_id=connection.pk)


def free_starts(salon, day, *, master=None) -> set[str]:
    """The wall-clock starts a client may book a cut with the master on `day`."""
    master = master or salon.lea
    with business_scope(salon.business):
        loaded, found = booking.slots_available(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
            start_date=day,
            days=1,
        )
        return {booking.slot_as_dict(loaded, s)["start"][11:16] for s in found}


def busy_rows(connection: Connection) -> list[tuple[datetime, datetime]]:
    with scopes_disabled():
        return sorted(
            TimeOff.objects.filter(external_ref__startswith=connection.ref_prefix).values_list(
                "starts_at", "ends_at"
            )
        )


def book_now(salon, start, django_capture_on_commit_callbacks, **kwargs):
    """A booking as the site makes it: its after-commit work (the push) runs."""
    with django_capture_on_commit_callbacks(execute=True):
        return book(salon, start, now=timezone.now(), **kwargs)
