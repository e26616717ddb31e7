"""Visits for review tests, written through the booking services."""

from django_scopes import scopes_disabled

from solibook.booking.models import Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.booking.services import appointment_create
from solibook.testing.salon import NOW, paris


def visit(salon, client, *, hour: int = 10, master=None, service=None, completed: bool = True):
    """A booked visit of `client` on the salon's Monday, marked completed."""
    with scopes_disabled():
        appointment = appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[
                ItemSpec(service_id=(service or salon.cut).pk, master_id=(master or salon.lea).pk)
            ],
            start=paris(hour),
            source=Source.MARKETPLACE,
            account=client,
            now=NOW,
        )
        if completed:
            appointment.status = Status.COMPLETED
            appointment.save(update_fields=["status"])
    return appointment
