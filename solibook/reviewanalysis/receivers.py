"""A new or edited review is read in the background after its commit (never on page load).

With the immediate tasks backend (the test suite) a save does not read the review unless
`REVIEWANALYSIS_ON_SAVE = True`: reading trains the models once per process, which every other
area's review tests would otherwise wait for.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from solibook.reviews.models import Review


def _enabled() -> bool:
    explicit = getattr(settings, "REVIEWANALYSIS_ON_SAVE", None)
    if explicit is not None:
        return bool(explicit)
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("ImmediateBackend")


@receiver(post_save, sender=Review, dispatch_uid="reviewanalysis_review_saved")
def review_saved(sender, instance: Review, created: bool, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw") or not _enabled():
        return
    if not created and update_fields is not None and "text" not in update_fields:
        return  # a reply or a moderation: the words did not change
    from solibook.reviewanalysis.tasks import analyse_review

    review_id = instance.pk
    transaction.on_commit(lambda: analyse_review.enqueue(review_id=review_id))
