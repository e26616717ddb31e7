"""Background work of the marketplace (Django tasks API; `db_worker` runs it)."""

from django_tasks import task

from solibook.marketplace.index import business_refresh


@task()
def refresh_business(*, business_id: int) -> int:
    """Rebuild a business's listings and its coming days' free time."""
    return business_refresh(business_id)
