"""Marketing's background work as Django tasks (run by the task worker); each is
safe to run twice or beside the periodic runner (row claims, unique keys).
`campaign_queue_task` (enqueued when a campaign is sent) lives beside the service
that enqueues it."""

from django_tasks import task

from solibook.marketing.journeys import journeys_run
from solibook.marketing.services import campaign_queue_task, campaigns_run

__all__ = ["campaign_queue_task", "marketing_pass"]


@task()
def marketing_pass() -> dict:
    """Due campaigns, then the journeys that are on."""
    return {"campaigns": campaigns_run(), "journeys": journeys_run()}
