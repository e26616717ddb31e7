"""The accounting area's door to the finance ledger (the only writer of ledger rows).

Writes go through `finance.ledger.post` / `reverse`; this module only adapts
calls (a reversal by transaction id, inside the caller's tenant). Reads that
finance does not offer live in `accounting.queries`.
"""

from django_scopes import scopes_disabled

from solibook.core.errors import NotFound
from solibook.finance.ledger import Line, post
from solibook.finance.ledger import reverse as _reverse
from solibook.finance.models import LedgerTransaction

__all__ = ["Line", "post", "reverse"]


def reverse(*, business, transaction_id: int | None, memo: str) -> LedgerTransaction:
    with scopes_disabled():
        tx = (
            LedgerTransaction.objects.filter(business_id=business.pk, pk=transaction_id).first()
            if transaction_id
            else None
        )
    if tx is None:
        raise NotFound("ledger transaction")
    # A void cancels the document as of its own date, so the month it was
    # booked in (and its budget) no longer counts it.
    return _reverse(tx, memo=memo, occurred_at=tx.occurred_at)
