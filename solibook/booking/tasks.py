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
