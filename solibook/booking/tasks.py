"""Background work of the booking engine (Django tasks API; `db_worker` runs it)."""

from datetime import date

from django_tasks import task

from solibook.booking.services.waitlist import waitlist_offer
from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope


@task()
def offer_freed_time(*, business_id: int, location_id: int, day: str) -> int:
    """Offer time freed by a cancellation or a move to the day's waitlist."""
    business = Business.objects.get(pk=business_id)
    with business_scope(business):
        return len(
            waitlist_offer(business=business, location_id=location_id, day=date.fromisoformat(day))
        )


@task()
def finalise_no_show(*, business_id: int, appointment_id: int, undo_until: str) -> bool:
    """Enqueued for the end of a no-show's undo window: then the message and
    the fee go out, unless the mark was undone (`services.no_show`)."""
    from solibook.booking.services.no_show import no_show_finalise

    business = Business.objects.get(pk=business_id)
    with business_scope(business):
        return no_show_finalise(
            business=business, appointment_id=appointment_id, undo_until=undo_until
        )
