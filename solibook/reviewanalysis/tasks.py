"""Background work of review analysis (each task safe to run twice)."""

import logging

from django_tasks import task

from solibook.catalog.models import Business
from solibook.reviewanalysis.services import review_analyse, reviews_analyse

log = logging.getLogger("solibook.reviewanalysis")


@task()
def analyse_review(*, review_id: int) -> None:
    """Read a new review after its commit: the review is already saved whatever happens here."""
    try:
        review_analyse(review_id=review_id)
    except Exception:  # a model failing must never undo or block the client's review
        log.exception("review analysis failed", extra={"review_id": review_id})


# A backlog (the demo's year, an import) is read a batch at a time at a low priority, so the
# one task worker keeps answering the work people wait for (a booking's search summary, a
# deposit to settle) between batches instead of after minutes of reading.
BACKLOG_BATCH = 25
BACKLOG_PRIORITY = -50


@task(priority=BACKLOG_PRIORITY)
def analyse_business_reviews(*, business_id: int) -> None:
    """Read a batch of a salon's reviews not read yet, oldest first, then queue the next."""
    business = Business.objects.filter(pk=business_id).first()
    if business is not None and reviews_analyse(business=business, limit=BACKLOG_BATCH):
        analyse_business_reviews.enqueue(business_id=business_id)
