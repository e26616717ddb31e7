"""The same work as `run_notifications`, as Django tasks (any tasks backend:
`django_tasks_db.DatabaseBackend` run by `db_worker`, or a Redis-backed
backend such as `django-tasks-rq` when scaled out: only TASKS changes)."""

from django_tasks import task

from solibook.notifications.consumer import consume_outbox
from solibook.notifications.dispatcher import dispatch_due


@task()
def consume_outbox_task(*, batch: int = 200) -> int:
    return consume_outbox(batch=batch)


@task()
def dispatch_due_task(*, batch: int = 100) -> dict:
    result = dispatch_due(batch=batch)
    return {
        "claimed": result.claimed,
        "sent": result.sent,
        "retrying": result.retrying,
        "failed": result.failed,
        "cancelled": result.cancelled,
    }


@task()
def notifications_pass(*, batch: int = 100) -> dict:
    """One pass: outbox to notifications, then send what is due."""
    consumed = consume_outbox(batch=batch)
    result = dispatch_due(batch=batch)
    return {
        "consumed": consumed,
        "sent": result.sent,
        "retrying": result.retrying,
        "failed": result.failed,
        "cancelled": result.cancelled,
    }
