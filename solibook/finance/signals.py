"""Signals other apps listen to (loyalty, accounting, notifications).

Both are sent once the database transaction that made the change commits
(`transaction.on_commit`), so a receiver never sees a rolled-back checkout.

- `checkout_completed(sender, checkout)`: a visit or sale was paid.
- `payment_refunded(sender, refund)`: money went back to a client (a
  `Refund` in state succeeded); `refund.payment.checkout` may be None (a
  deposit or a fee was refunded).
- `fee_charged(sender, payment)`: a late-cancellation or no-show fee was
  captured (`payment.purpose == "fee"`), for the platform's commission.
"""

from django.db import transaction
from django.dispatch import Signal

checkout_completed = Signal()
payment_refunded = Signal()
fee_charged = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
