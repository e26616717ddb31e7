"""Finance's signals earn and take back points (sent after the checkout commits).

A failure is logged, never raised: the payment is already committed, and
every grant is unique per key, so replaying is safe.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from solibook.booking.models import Status
from solibook.catalog.signals import business_created
from solibook.core.tenancy import business_scope
from solibook.finance.signals import checkout_completed, payment_refunded
from solibook.loyalty import services
from solibook.loyalty.models import (
    PointsKind,
    PointsTransaction,
    Programme,
    WalletKind,
    WalletTransaction,
)

log = logging.getLogger(__name__)


def paid_for_visit(checkout) -> int:
    """What the client paid for the visit with money: tips, points, wallet
    credit and referral vouchers earn nothing."""
    from solibook.loyalty.tenders import NON_EARNING_TENDERS

    rewards = sum(p.amount for p in checkout.payments.all() if p.tender in NON_EARNING_TENDERS)
    return max(0, int(checkout.total) - int(checkout.tip_total or 0) - rewards)


@receiver(business_created, dispatch_uid="loyalty.business_created")
def on_business_created(sender, business, **kwargs) -> None:
    """Its programme is created with the business (inactive until the salon turns it on)."""
    Programme.objects.get_or_create(business=business)


@receiver(checkout_completed, dispatch_uid="loyalty.checkout_completed")
def on_checkout_completed(sender, checkout, **kwargs) -> None:
    appointment = checkout.appointment
    if appointment is None or (
        appointment.account_id is None and appointment.client_card_id is None
    ):
        return  # a sale with no visit, or a visit with no one to reward
    try:
        with business_scope(checkout.business), transaction.atomic():
            appointment.refresh_from_db()
            if appointment.status == Status.COMPLETED:
                services.visit_paid(
                    appointment=appointment,
                    paid_amount=paid_for_visit(checkout),
                    now=checkout.created_at,
                )
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("loyalty points failed for checkout %s", checkout.pk)


def _return_tender(refund) -> None:
    """A refund of a payment made with wallet credit or points gives them back
    (once) to the card that paid: the payment's detail names its row."""
    payment = refund.payment
    detail = payment.detail or {}
    if payment.tender == "wallet_credit" and detail.get("wallet_transaction_id"):
        spent = WalletTransaction.objects.filter(pk=detail["wallet_transaction_id"]).first()
        if spent is None:
            return
        services.wallet_credit(
            client=spent.account.client,
            amount=int(refund.amount),
            currency=refund.currency,
            kind=WalletKind.SPEND_RETURN,
            key=f"refund:{refund.pk}",
            appointment=payment.appointment,
            now=refund.created_at,
        )
    elif payment.tender == "loyalty_points" and detail.get("points_transaction_id"):
        redeemed = PointsTransaction.objects.filter(
            business=payment.business, pk=detail["points_transaction_id"]
        ).first()
        if redeemed is None:
            return
        points = (
            int((payment.detail or {}).get("points") or 0)
            * int(refund.amount)
            // max(int(payment.amount), 1)
        )
        services.points_grant(
            business=payment.business,
            client=redeemed.account.client,
            points=points,
            kind=PointsKind.REFUND,
            key=f"refund:{refund.pk}",
            now=refund.created_at,
        )


@receiver(payment_refunded, dispatch_uid="loyalty.payment_refunded")
def on_payment_refunded(sender, refund, **kwargs) -> None:
    checkout = getattr(refund.payment, "checkout", None)
    try:
        with business_scope(refund.business), transaction.atomic():
            if not getattr(refund, "to_client_credit", False):
                _return_tender(refund)
            if checkout is None or checkout.appointment_id is None:
                return
            checkout.refresh_from_db()
            if checkout.refunded_total >= checkout.total:  # a partial refund keeps the points
                services.points_reverse_for_visit(
                    appointment=checkout.appointment, now=refund.created_at
                )
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("loyalty points reversal failed for refund %s", refund.pk)


def on_review_saved(sender, instance, created: bool, **kwargs) -> None:
    """A client's first review earns a badge; a review counts for challenges."""
    if not created or instance.author_id is None:
        return

    def award() -> None:
        try:
            with business_scope(instance.business), transaction.atomic():
                card = services.card_for_account(business=instance.business, user=instance.author)
                if card is not None:
                    services.badges_check(client=card)
                    services.challenges_check(business=instance.business, client=card)
        except Exception:  # noqa: BLE001 - logged; replayable
            log.exception("loyalty badges failed for review %s", instance.pk)

    transaction.on_commit(award)


if apps.is_installed("solibook.reviews"):
    post_save.connect(on_review_saved, sender="reviews.Review", dispatch_uid="loyalty.review_saved")
