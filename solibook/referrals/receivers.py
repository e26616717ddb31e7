"""Finance's signals drive the rewards (sent after the checkout commits).

`checkout_completed`: a visit was paid: the referrer's reward, partner
commission. `payment_refunded`: a refund that leaves the visit fully
refunded takes back the referral reward it triggered and its commission
(loyalty's own receivers handle points). A failure here is logged, never raised: the
payment is already committed, and every step can be replayed (each grant
is unique per key).
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from solibook.booking.models import Status
from solibook.catalog.signals import business_created
from solibook.core.tenancy import business_scope
from solibook.finance.signals import checkout_completed, payment_refunded
from solibook.loyalty.receivers import paid_for_visit
from solibook.referrals import services
from solibook.referrals.models import ReferralProgramme

log = logging.getLogger(__name__)


def _card_fingerprint(checkout) -> str:
    for payment in checkout.payments.all():
        detail = payment.detail or {}
        fingerprint = detail.get("card_fingerprint") or detail.get("fingerprint") or ""
        if fingerprint:
            return str(fingerprint)
    return ""


@receiver(business_created, dispatch_uid="referrals.business_created")
def on_business_created(sender, business, **kwargs) -> None:
    """Its programme is created with the business (inactive until the salon turns it on)."""
    ReferralProgramme.objects.get_or_create(business=business)


@receiver(checkout_completed, dispatch_uid="referrals.checkout_completed")
def on_checkout_completed(sender, checkout, **kwargs) -> None:
    appointment = checkout.appointment
    if appointment is None or appointment.account_id is None:
        return
    try:
        with business_scope(checkout.business), transaction.atomic():
            appointment.refresh_from_db()
            if appointment.status != Status.COMPLETED:
                return
            paid = paid_for_visit(checkout)
            fingerprint = _card_fingerprint(checkout)
            services.referral_visit_paid(
                appointment=appointment,
                paid_amount=paid,
                payment_fingerprint=fingerprint,
                now=checkout.created_at,
            )
            if fingerprint:
                services.payment_seen(user=appointment.account, fingerprint=fingerprint)
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("loyalty/referral rewards failed for checkout %s", checkout.pk)


@receiver(payment_refunded, dispatch_uid="referrals.payment_refunded")
def on_payment_refunded(sender, refund, **kwargs) -> None:
    checkout = getattr(refund.payment, "checkout", None)
    if checkout is None or checkout.appointment_id is None:
        return
    try:
        with business_scope(checkout.business), transaction.atomic():
            checkout.refresh_from_db()
            if checkout.refunded_total < checkout.total:
                return  # a partial refund (a goodwill gesture) keeps the rewards
            services.referral_payment_refunded(
                appointment=checkout.appointment, now=refund.created_at
            )
    except Exception:  # noqa: BLE001 - logged; replayable
        log.exception("loyalty/referral clawback failed for refund %s", refund.pk)
