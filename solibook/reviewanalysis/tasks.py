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


@task()
def analyse_business_reviews(*, business_id: int) -> None:
    """Read every review of a salon not read yet, oldest first (the demo, an import)."""
    business = Business.objects.filter(pk=business_id).first()
    if business is not None:
        reviews_analyse(business=business)
