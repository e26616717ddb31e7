"""Other areas' events that webhooks need, heard inside their transactions.

- a `finance.Payment` saved as captured (created so, or its state changed to
  it: a checkout's tenders, an online deposit or prepayment, a package or gift
  card sold, a membership's charge) becomes a `payment.succeeded` outbox event
  in the same transaction, committed with the payment or not at all; a fee
  captured by a bulk update is heard through finance's `fee_charged`.
- any outbox event a webhook may want (`core.OutboxEvent` saved): once its
  transaction commits, the task worker is asked for a pass at once, so a
  subscriber hears of a booking in seconds; `run_webhooks` in the periodic
  runner is the safety net. Only for salons with a webhook (a cached set), so
  other salons' transactions pay nothing.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from solibook.core.models import OutboxEvent
from solibook.core.outbox import outbox_emit
from solibook.developers import delivery
from solibook.developers.delivery import subscribed_businesses
from solibook.finance.models import Payment
from solibook.finance.signals import fee_charged


def _payment_succeeded(payment: Payment) -> None:
    outbox_emit(
        topic="payment.succeeded",
        business=payment.business,
        payload={
            "payment_id": payment.pk,
            "checkout_id": payment.checkout_id,
            "appointment_id": payment.appointment_id,
            "purpose": payment.purpose,
            "amount": payment.amount_captured,
            "currency": payment.currency,
            "tender": payment.tender,
        },
    )


@receiver(post_save, sender=Payment, dispatch_uid="developers.payment_saved")
def on_payment_saved(sender, instance: Payment, created: bool, update_fields=None, **kwargs):
    if instance.state != Payment.State.CAPTURED:
        return
    # Only the save that captures it: created captured, or its state written now
    # (later saves of a captured payment, a refund's totals, say nothing new).
    if not created and not (update_fields and "state" in update_fields):
        return
    if instance.business_id in subscribed_businesses():
        _payment_succeeded(instance)


@receiver(fee_charged, dispatch_uid="developers.fee_charged")
def on_fee_charged(sender, payment: Payment, **kwargs) -> None:
    """A no-show or late-cancellation fee taken from a saved card: captured by
    a bulk update (no save to hear), announced after its commit."""
    if payment.business_id not in subscribed_businesses():
        return
    with scopes_disabled():
        # A fee kept from a deposit was created captured: already announced.
        if OutboxEvent.objects.filter(
            topic="payment.succeeded", payload__payment_id=payment.pk
        ).exists():
            return
        _payment_succeeded(Payment.objects.get(pk=payment.pk))


@receiver(post_save, sender=OutboxEvent, dispatch_uid="developers.outbox_saved")
def on_outbox_saved(sender, instance: OutboxEvent, created: bool, **kwargs) -> None:
    if not created or instance.topic not in delivery.TOPICS:
        return
    if instance.business_id in subscribed_businesses():
        transaction.on_commit(delivery.kick)
