"""Booking a visit in tests: one `book()` for every app's tests."""

from datetime import datetime, timedelta

from solibook.booking import services as booking
from solibook.booking.models import Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.testing.salon import NOW, paris

LEA = object()  # the default master: the salon's Léa


def book(
    salon,
    start: datetime | None = None,
    specs: list[ItemSpec] | None = None,
    *,
    hour: int = 10,
    minute: int = 0,
    day_offset: int = 0,
    service=None,
    master=LEA,
    source: str = Source.BACK_OFFICE,
    now: datetime = NOW,
    **kwargs,
):
    """A visit at `salon` (the `salon` fixture) through `booking.services.appointment_create`.

    `start` defaults to `paris(hour, minute)` on the test Monday plus `day_offset` days;
    `specs` to one item of `service` (the cut) with `master` (Léa; `None`: any master).
    The rest go to `appointment_create` as they are: `account=` (a user), `actor=`, `client_name=`,
    `client_phone=`, `client_card=`, `hold=`..."""
    if start is None:
        start = paris(hour, minute) + timedelta(days=day_offset)
    if specs is None:
        master = salon.lea if master is LEA else master
        specs = [
            ItemSpec((service or salon.cut).pk, master_id=master.pk if master is not None else None)
        ]
    with business_scope(salon.business):
        return booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=specs,
            start=start,
            source=source,
            now=now,
            **kwargs,
        )


def client_books(salon, account, **kwargs):
    """The person signed in as `account` books on the marketplace, any master (`book()`'s
    other arguments apply)."""
    kwargs.setdefault("master", None)
    return book(salon, source=Source.MARKETPLACE, actor=account, account=account, **kwargs)


def complete(salon, appointment):
    """The visit is marked completed by the salon."""
    with business_scope(salon.business):
        return booking.appointment_set_status(
            business=salon.business, appointment_id=appointment.pk, status=Status.COMPLETED
        )
