from django_tasks import task

from solibook.privacy.services import retention_run


@task()
def retention_task(days: int | None = None) -> dict:
    """Anonymise clients inactive for PRIVACY_CLIENT_RETENTION_DAYS (default
    3 years). Enqueue daily (cron: `manage.py privacy_retention --enqueue`)."""
    return retention_run(days=days)
