"""Paying online on a hosted payment page: the wizard's deposit, the balance later.

`online_checkout_start` writes the intent to pay (a `Payment` row), commits,
then asks the provider for its payment page (Stripe Checkout, or the
test-mode card page) with an idempotency key derived from that row: the same
click twice, or the API and a page at once, get the same page and at most one
charge. The client comes back to `success_url`; `online_checkout_return`
reads where the payment stands (`payment_sync`) — the webhook does the same
when the client never comes back.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, Status
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope, scopes_disabled

# The module, not its names (`finance.selectors` reads `services.common`):
# whichever of the two is imported first, this import needs nothing of the other.
from solibook.finance import selectors
from solibook.finance.models import Payment
from solibook.finance.payments import ProviderError, provider_for
from solibook.finance.services.common import finance_settings
from solibook.finance.services.payments import _customer, _provider_error, payment_sync

PURPOSES = {"deposit": Payment.Purpose.DEPOSIT, "balance": Payment.Purpose.BALANCE}


@dataclass(frozen=True)
class Started:
    payment: Payment
    url: str  # where the client pays ("" when already paid)


def _appointment(business, appointment_id: int, account) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("business")
        .filter(business=business, pk=appointment_id)
        .first()
    )
    if appointment is None or (account is not None and appointment.account_id != account.pk):
        raise NotFound(_("No such appointment."))
    return appointment


def online_checkout_start(
    *,
    business,
    appointment_id: int,
    purpose: str,
    success_url: str,
    cancel_url: str,
    language: str = "en",
    account=None,
    now: datetime | None = None,
) -> Started:
    """Start (or resume) paying a visit's deposit or balance online.

    `client`: when given, the visit must be theirs (the signed-in client);
    guests reach this through their draft or a signed link, checked by the
    caller. Refused: a salon that takes payment at the venue only, a hold that
    expired (409 `hold_expired`), nothing left to pay (`nothing_due`)."""
    now = now or timezone.now()
    if purpose not in PURPOSES:
        raise ValidationFailed(_("Choose the deposit or the balance."), code="invalid_purpose")
    provider = provider_for(finance_settings(business))
    if not provider.online:
        raise ValidationFailed(_("This salon takes payment at the venue only."), code="venue_only")
    with transaction.atomic():
        appointment = _appointment(business, appointment_id, account)
        if (
            purpose == "deposit"
            and appointment.status == Status.AWAITING_DEPOSIT
            and (appointment.hold_expires_at is None or appointment.hold_expires_at <= now)
        ):
            raise Conflict(
                _("This hold has expired. Please choose a time again."), code="hold_expired"
            )
        existing = selectors.open_online_payment(appointment=appointment, purpose=PURPOSES[purpose])
        if existing is not None and existing.state != Payment.State.PENDING:
            return Started(payment=existing, url="")  # paid already: never a second charge
        due = selectors.amount_due(appointment=appointment)
        if due.purpose != purpose or due.amount <= 0:
            if purpose == "balance" and appointment.starts_at <= now:
                raise ValidationFailed(
                    _("This visit has started; please pay at the salon."), code="visit_started"
                )
            raise ValidationFailed(_("Nothing is left to pay online."), code="nothing_due")
        if purpose == "balance" and appointment.starts_at <= now:
            raise ValidationFailed(
                _("This visit has started; please pay at the salon."), code="visit_started"
            )
        if existing is not None and existing.amount == due.amount:
            payment = existing
        else:
            if existing is not None:  # the price changed since: start afresh
                Payment.objects.filter(pk=existing.pk, state=Payment.State.PENDING).update(
                    state=Payment.State.CANCELLED
                )
            payment = Payment.objects.create(
                business=business,
                purpose=PURPOSES[purpose],
                tender="online",
                provider=provider.code,
                state=Payment.State.PENDING,
                amount=due.amount,
                currency=appointment.currency,
                appointment=appointment,
                account=appointment.account,
                created_at=now,
            )
    if payment.detail.get("checkout_url"):
        return Started(payment=payment, url=payment.detail["checkout_url"])
    connected = finance_settings(business).stripe_account_id
    try:
        customer = (
            _customer(business, appointment.account, provider, connected)
            if appointment.account_id
            else ""
        )
        checkout = provider.checkout_start(
            amount=payment.amount,
            currency=payment.currency,
            # A deposit is held on the card and taken at the visit; a balance is paid now.
            capture_manual=purpose == "deposit",
            account=connected,
            idempotency_key=f"payment:{payment.pk}:checkout",
            metadata={
                "business_id": business.pk,
                "appointment_id": appointment.pk,
                "payment_id": payment.pk,
                "purpose": purpose,
            },
            description=f"{business.name} #{appointment.pk}",
            success_url=success_url,
            cancel_url=cancel_url,
            language=language,
            customer=customer,
            save_method=bool(customer) and purpose == "deposit",
        )
    except ProviderError as exc:
        raise _provider_error(exc) from exc
    Payment.objects.filter(pk=payment.pk).update(
        provider_ref=checkout.intent_id,
        detail={**payment.detail, "checkout_id": checkout.id, "checkout_url": checkout.url},
    )
    audit_log(
        action="finance.online_checkout_started",
        business=business,
        obj=payment,
        data={"amount": payment.amount, "purpose": purpose},
    )
    payment.refresh_from_db()
    return Started(payment=payment, url=checkout.url)


def online_checkout_return(*, business, payment_id: int, now: datetime | None = None) -> Payment:
    """The client is back from the payment page: where does the payment stand?
    (`AUTHORIZED`/`CAPTURED`: paid, the deposit confirmed the visit; `PENDING`:
    not paid yet; `CANCELLED` with `detail["late"] == "released"`: paid too
    late, the money went back.)"""
    return payment_sync(business=business, payment_id=payment_id, now=now)


def online_payment_for(*, business, appointment_id: int, payment_id) -> Payment | None:
    """The visit's online payment with this id (None when it is another's)."""
    try:
        payment_id = int(payment_id)
    except (TypeError, ValueError):
        return None
    return Payment.objects.filter(
        business=business,
        appointment_id=appointment_id,
        pk=payment_id,
        purpose__in=list(PURPOSES.values()),
    ).first()


def balance_checkout(
    *,
    appointment_id: int,
    success_url: str,
    cancel_url: str,
    language: str = "en",
    account=None,
    now: datetime | None = None,
) -> Started:
    """Pay the rest of a confirmed visit's price online (the client's account,
    the guest's manage page). The caller checks who may pay: `client` for a
    signed-in client, a signed link for a guest."""
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business").filter(pk=appointment_id).first()
        )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    with business_scope(appointment.business):
        return online_checkout_start(
            business=appointment.business,
            appointment_id=appointment.pk,
            purpose="balance",
            success_url=success_url,
            cancel_url=cancel_url,
            language=language,
            account=account,
            now=now,
        )


__all__ = [
    "Started",
    "balance_checkout",
    "online_checkout_return",
    "online_checkout_start",
    "online_payment_for",
]
