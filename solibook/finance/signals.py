"""Signals other apps listen to (loyalty, accounting, notifications).

Both are sent once the database transaction that made the change commits
(`transaction.on_commit`), so a receiver never sees a rolled-back checkout.

- `checkout_completed(sender, checkout)`: a visit or sale was paid.
- `payment_refunded(sender, refund)`: money went back to a client (a
  `Refund` in state succeeded); `refund.payment.checkout` may be None (a
  deposit or a fee was refunded).
- `fee_charged(sender, payment)`: a late-cancellation or no-show fee was
  captured (`payment.purpose == "fee"`), for the platform's commission.

Two more are sent INSIDE the transaction (like booking's `appointment_changed`),
for derived records that must commit with the sale or not at all (stock): a
receiver that raises rolls the sale back, so receivers keep to quick writes.

- `checkout_recorded(sender, checkout, lines)`: the checkout and its lines are
  written (`lines`: those rows, so a receiver need not read them back).
- `lines_refunded(sender, line_refund)`: a refund by line is written (its
  `items` name the lines and units given back).
"""

from django.db import transaction
from django.dispatch import Signal

checkout_completed = Signal()
payment_refunded = Signal()
fee_charged = Signal()
checkout_recorded = Signal()
lines_refunded = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
