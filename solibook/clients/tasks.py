"""Background work on client cards (Django tasks API; `db_worker` runs it)."""

from django_tasks import task

from solibook.catalog.models import Business
from solibook.clients.imports import import_run
from solibook.core.tenancy import business_scope


@task()
def run_import(*, job_id: int, business_id: int) -> int:
    """Import a CSV in chunks; safe to run again (it resumes after the last committed chunk)."""
    business = Business.objects.get(pk=business_id)
    with business_scope(business):
        return import_run(business=business, job_id=job_id).processed_rows
