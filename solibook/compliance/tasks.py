"""Background work of the compliance area (Django tasks API; `db_worker` runs it).

`fiscal_send` makes one attempt at a 54-FZ receipt and schedules the next one
itself: a retry after a failure (backoff, `services.MAX_ATTEMPTS` at most) or
a poll of the operator's report while it registers the receipt. Safe to run
twice: the receipt is claimed by a conditional update, and a receipt the
operator has is only polled, never sent again.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope

# Attempts and polls of one receipt before the task stops scheduling itself.
MAX_ROUNDS = 70


def schedule(*, business_id: int, receipt_id: int, delay: int = 0, round_: int = 0) -> None:
    if delay and fiscal_send.get_backend().supports_defer:
        fiscal_send.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            business_id=business_id, receipt_id=receipt_id, round_=round_
        )
    else:
        # The immediate backend (the tests) cannot wait: the next round runs now.
        fiscal_send.enqueue(business_id=business_id, receipt_id=receipt_id, round_=round_)


@task()
def fiscal_send(*, business_id: int, receipt_id: int, round_: int = 0) -> str:
    from solibook.compliance import services

    business = Business.objects.get(pk=business_id)
    with business_scope(business):
        receipt, again = services.fiscal_send(business=business, receipt_id=receipt_id)
    if again is not None and round_ + 1 < MAX_ROUNDS:
        schedule(business_id=business_id, receipt_id=receipt_id, delay=again, round_=round_ + 1)
    return receipt.status
