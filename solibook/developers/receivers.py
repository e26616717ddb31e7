"""Other areas' events that webhooks need, heard inside their transactions.

- finance's `checkout_recorded` (sent before commit): each payment taken at
  the checkout becomes a `payment.succeeded` outbox event, committed with the
  sale or not at all.
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
from solibook.finance.signals import checkout_recorded


@receiver(checkout_recorded, dispatch_uid="developers.checkout_recorded")
def on_checkout_recorded(sender, checkout, **kwargs) -> None:
    if checkout.business_id not in subscribed_businesses():
        return
    with scopes_disabled():
        payments = list(Payment.objects.filter(checkout=checkout, state=Payment.State.CAPTURED))
    for payment in payments:
        outbox_emit(
            topic="payment.succeeded",
            business=checkout.business,
            payload={
                "payment_id": payment.pk,
                "checkout_id": checkout.pk,
                "appointment_id": payment.appointment_id,
                "amount": payment.amount_captured,
                "currency": payment.currency,
                "tender": payment.tender,
            },
        )


@receiver(post_save, sender=OutboxEvent, dispatch_uid="developers.outbox_saved")
def on_outbox_saved(sender, instance: OutboxEvent, created: bool, **kwargs) -> None:
    if not created or instance.topic not in delivery.TOPICS:
        return
    if instance.business_id in subscribed_businesses():
        transaction.on_commit(delivery.kick)
