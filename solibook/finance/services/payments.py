"""Online payments: deposits, captures, fees from the saved card, webhooks.

Calls to the provider never run inside a database transaction (a slow or
failing network must not hold locks, and a rollback cannot un-charge a
card). The pattern: write the intent to pay (a `Payment` row) and commit;
call the provider with an idempotency key derived from that row; then record
the outcome and its ledger lines in a second transaction. A retry repeats
the same call and the provider returns the same result; ledger postings
carry idempotency keys too.

Deposit lifecycle: an online booking under a deposit rule is
`awaiting_deposit` (held). `deposit_start` authorises the deposit (manual
capture) and saves the card for later fees; the webhook (or
`payment_sync`) confirms the visit. At the visit the deposit is captured
and applied at checkout (tender `online`); a timely cancellation releases
it; a late cancellation or a no-show captures the fee the client accepted
(from the deposit, then from the saved card). An unpaid hold expires
(`deposits_expire`) and frees the slot.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.booking.models import Appointment, Status
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.outbox import outbox_emit
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.finance import accounts, ledger
from solibook.finance.ledger import Line
from solibook.finance.models import FinanceSettings, Payment, ProviderEvent, SavedPaymentMethod
from solibook.finance.payments import ProviderError, provider_for, provider_named
from solibook.finance.services.common import finance_settings
from solibook.finance.signals import fee_charged, send_on_commit

log = logging.getLogger(__name__)


def _provider_error(exc: ProviderError) -> ValidationFailed:
    return ValidationFailed(exc.message, code=f"payment_{exc.code}"[:60])


def _online_provider(business):
    settings_row = finance_settings(business)
    provider = provider_for(settings_row)
    if not provider.online:
        raise ValidationFailed(_("This salon takes payment at the venue only."), code="venue_only")
    return provider, settings_row.stripe_account_id


def _customer(business, account, provider, connected: str) -> str:
    saved = SavedPaymentMethod.objects.filter(
        business=business, account=account, provider=provider.code
    ).first()
    if saved is not None:
        return saved.customer_ref
    customer = provider.create_customer(
        email=account.email,
        name=account.full_name,
        account=connected,
        idempotency_key=f"customer:{business.pk}:{account.pk}",
    )
    try:
        with transaction.atomic():
            SavedPaymentMethod.objects.create(
                business=business,
                account=account,
                provider=provider.code,
                customer_ref=customer,
                method_ref="",
            )
    except IntegrityError:
        pass
    return customer


# --- deposits -------------------------------------------------------------------


def deposit_start(
    *, business, appointment_id: int, account=None, now: datetime | None = None
) -> Payment:
    """Ask the provider to authorise the deposit of a held online booking.
    Returns the `Payment` (with `client_secret` for the client's card form).
    Calling it again returns the same pending payment."""
    now = now or timezone.now()
    provider, connected = _online_provider(business)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .filter(business=business, pk=appointment_id)
            .first()
        )
        if appointment is None or (account is not None and appointment.account_id != account.pk):
            raise NotFound(_("No such appointment."))
        if appointment.status != Status.AWAITING_DEPOSIT or not appointment.deposit_amount:
            raise ValidationFailed(
                _("This booking does not wait for a deposit."), code="no_deposit_due"
            )
        if appointment.hold_expires_at is None or appointment.hold_expires_at <= now:
            raise Conflict(
                _("This hold has expired. Please choose a time again."), code="hold_expired"
            )
        payment = Payment.objects.filter(
            business=business,
            appointment=appointment,
            purpose=Payment.Purpose.DEPOSIT,
            state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED],
        ).first()
        if payment is not None and payment.provider_ref:
            return payment
        if payment is None:
            payment = Payment.objects.create(
                business=business,
                purpose=Payment.Purpose.DEPOSIT,
                tender="online",
                provider=provider.code,
                state=Payment.State.PENDING,
                amount=appointment.deposit_amount,
                currency=appointment.currency,
                appointment=appointment,
                account=appointment.account,
                created_at=now,
            )
    try:
        customer = (
            _customer(business, appointment.account, provider, connected)
            if appointment.account_id
            else ""
        )
        intent = provider.create_intent(
            amount=payment.amount,
            currency=payment.currency,
            capture_manual=True,
            account=connected,
            idempotency_key=f"payment:{payment.pk}:create",
            metadata={
                "business_id": business.pk,
                "appointment_id": appointment.pk,
                "payment_id": payment.pk,
                "purpose": "deposit",
            },
            customer=customer,
            save_method=bool(customer),
        )
    except ProviderError as exc:
        raise _provider_error(exc) from exc
    Payment.objects.filter(pk=payment.pk).update(
        provider_ref=intent.id, client_secret=intent.client_secret
    )
    payment.refresh_from_db()
    if intent.status == "requires_capture":  # authorised at once (a saved card)
        payment_authorized(payment_id=payment.pk, business=business, intent=intent, now=now)
        payment.refresh_from_db()
    return payment


def deposit_record_at_desk(
    *, business, appointment_id: int, tender: str, actor=None, now: datetime | None = None
) -> Payment:
    """A deposit paid at the desk or by phone (cash / card): the visit is confirmed."""
    from solibook.booking.services import appointment_deposit_paid

    now = now or timezone.now()
    if tender not in ("cash", "card"):
        raise ValidationFailed(
            _("A deposit at the desk is paid in cash or by card."),
            code="invalid",
            fields={"tender": [_("Choose cash or card.")]},
        )
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .filter(business=business, pk=appointment_id)
            .first()
        )
        if appointment is None:
            raise NotFound(_("No such appointment."))
        if appointment.status != Status.AWAITING_DEPOSIT or not appointment.deposit_amount:
            raise ValidationFailed(
                _("This booking does not wait for a deposit."), code="no_deposit_due"
            )
        appointment_deposit_paid(
            business=business, appointment_id=appointment.pk, actor=actor, now=now
        )
        payment = Payment.objects.create(
            business=business,
            purpose=Payment.Purpose.DEPOSIT,
            tender=tender,
            provider="venue",
            state=Payment.State.CAPTURED,
            amount=appointment.deposit_amount,
            amount_captured=appointment.deposit_amount,
            currency=appointment.currency,
            appointment=appointment,
            account=appointment.account,
            created_at=now,
        )
        ledger.post(
            business=business,
            kind="deposit",
            memo=f"Deposit for visit #{appointment.pk}",
            reference=f"payment:{payment.pk}",
            occurred_at=now,
            lines=[
                Line(tender, payment.amount, payment.currency, location=appointment.location_id),
                Line(
                    accounts.DEPOSITS_HELD,
                    -payment.amount,
                    payment.currency,
                    location=appointment.location_id,
                ),
            ],
            idempotency_key=f"payment:{payment.pk}:captured",
        )
        audit_log(
            action="finance.deposit_at_desk",
            actor=actor,
            business=business,
            obj=payment,
            data={"amount": payment.amount},
        )
    return payment


def payment_authorized(
    *, business, payment_id: int, intent, now: datetime | None = None
) -> Payment:
    """The provider holds the money (manual capture): confirm the visit, keep the card.
    A deposit that comes after the hold expired keeps the time if it is still
    free, else the money is released at once; `detail["late"]` says which
    ("kept" / "released") for the client's page."""
    from solibook.booking.services import appointment_deposit_paid, appointment_deposit_paid_late

    now = now or timezone.now()
    release = False
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(business=business, pk=payment_id)
        if payment.state != Payment.State.PENDING:
            return payment
        payment.state = Payment.State.AUTHORIZED
        payment.save(update_fields=["state", "updated_at"])
        if intent.payment_method and payment.account_id:
            # The card the client authorised is kept for fees under the accepted policy.
            saved = SavedPaymentMethod.objects.filter(
                business=business, account_id=payment.account_id, provider=payment.provider
            )
            saved.update(method_ref=intent.payment_method)
            if intent.customer:
                saved.update(customer_ref=intent.customer)
        if payment.purpose == Payment.Purpose.DEPOSIT and payment.appointment_id:
            try:
                with transaction.atomic():
                    appointment_deposit_paid(
                        business=business, appointment_id=payment.appointment_id, now=now
                    )
            except Conflict:
                # The hold expired before the client paid: keep the time if free.
                try:
                    with transaction.atomic():
                        appointment_deposit_paid_late(
                            business=business, appointment_id=payment.appointment_id, now=now
                        )
                    late = "kept"
                except Conflict:
                    release, late = True, "released"
                payment.detail = {**payment.detail, "late": late}
                payment.save(update_fields=["detail", "updated_at"])
                _tell_late(business, payment, late)
        audit_log(
            action="finance.payment_authorized",
            business=business,
            obj=payment,
            data={"amount": payment.amount},
        )
    if release:
        payment_release(business=business, payment_id=payment.pk, now=now)
        payment.refresh_from_db()
    return payment


def payment_capture(
    *, business, payment_id: int, amount: int | None = None, now: datetime | None = None
) -> Payment:
    """Capture an authorised online payment (all of it, or `amount`; the rest
    is released). The money then sits in `deposits_held` until applied."""
    now = now or timezone.now()
    payment = Payment.objects.filter(business=business, pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No such payment."))
    if payment.state == Payment.State.CAPTURED:
        return payment
    if payment.state != Payment.State.AUTHORIZED:
        raise ValidationFailed(
            _("Only an authorised payment can be captured."), code="not_capturable"
        )
    amount = payment.amount if amount is None else amount
    if not 0 < amount <= payment.amount:
        raise ValidationFailed(
            _("You can capture at most %(max)s.") % {"max": payment.amount},
            code="capture_too_large",
        )
    provider = provider_named(payment.provider)
    account = finance_settings(business).stripe_account_id
    try:
        intent = provider.capture(
            payment.provider_ref,
            amount=amount,
            account=account,
            idempotency_key=f"payment:{payment.pk}:capture",
        )
    except ProviderError as exc:
        raise _provider_error(exc) from exc
    return _record_capture(
        business=business, payment_id=payment.pk, amount=intent.amount_received or amount, now=now
    )


def _record_capture(*, business, payment_id: int, amount: int, now: datetime) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(business=business, pk=payment_id)
        if payment.state == Payment.State.CAPTURED:
            return payment
        payment.state, payment.amount_captured = Payment.State.CAPTURED, amount
        payment.save(update_fields=["state", "amount_captured", "updated_at"])
        location = payment.appointment.location_id if payment.appointment is not None else None
        ledger.post(
            business=business,
            kind="online_capture",
            memo=f"Online payment #{payment.pk} captured",
            reference=f"payment:{payment.pk}",
            occurred_at=now,
            lines=[
                Line(accounts.ONLINE, amount, payment.currency, location=location),
                Line(accounts.DEPOSITS_HELD, -amount, payment.currency, location=location),
            ],
            idempotency_key=f"payment:{payment.pk}:captured",
        )
        audit_log(
            action="finance.payment_captured",
            business=business,
            obj=payment,
            data={"amount": amount},
        )
    return payment


def payment_release(*, business, payment_id: int, now: datetime | None = None) -> Payment:
    """Cancel an authorisation (a timely cancellation, an expired hold)."""
    payment = Payment.objects.filter(business=business, pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No such payment."))
    if payment.state not in (Payment.State.PENDING, Payment.State.AUTHORIZED):
        return payment
    if payment.provider_ref:
        try:
            provider_named(payment.provider).cancel(
                payment.provider_ref,
                account=finance_settings(business).stripe_account_id,
                idempotency_key=f"payment:{payment.pk}:cancel",
            )
        except ProviderError as exc:
            raise _provider_error(exc) from exc
    Payment.objects.filter(
        pk=payment.pk, state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED]
    ).update(state=Payment.State.CANCELLED)
    audit_log(action="finance.payment_released", business=business, obj=payment)
    payment.refresh_from_db()
    return payment


def payment_sync(*, business, payment_id: int, now: datetime | None = None) -> Payment:
    """Ask the provider where a payment stands (when a webhook is late)."""
    payment = Payment.objects.filter(business=business, pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No such payment."))
    if payment.state not in (Payment.State.PENDING, Payment.State.AUTHORIZED):
        return payment
    provider = provider_named(payment.provider)
    account = finance_settings(business).stripe_account_id
    try:
        if payment.provider_ref:
            intent = provider.retrieve(payment.provider_ref, account=account)
        elif payment.detail.get("checkout_id"):
            # Started on a hosted page: the intent exists once the client paid there.
            intent = provider.checkout_intent(payment.detail["checkout_id"], account=account)
            if intent is None:
                return payment
            Payment.objects.filter(pk=payment.pk, provider_ref="").update(provider_ref=intent.id)
            payment.refresh_from_db()
        else:
            return payment
    except ProviderError as exc:
        raise _provider_error(exc) from exc
    return _apply_intent(business, payment, intent, now=now or timezone.now())


def _apply_intent(business, payment: Payment, intent, *, now: datetime) -> Payment:
    if payment.state == Payment.State.CANCELLED and intent.status in (
        "requires_capture",
        "succeeded",
    ):
        return _give_back(business, payment, intent)
    if intent.status == "requires_capture":
        return payment_authorized(business=business, payment_id=payment.pk, intent=intent, now=now)
    if intent.status == "succeeded":
        if payment.state == Payment.State.PENDING:
            payment_authorized(business=business, payment_id=payment.pk, intent=intent, now=now)
        return _record_capture(
            business=business,
            payment_id=payment.pk,
            amount=intent.amount_received or payment.amount,
            now=now,
        )
    if intent.status == "canceled":
        Payment.objects.filter(
            pk=payment.pk, state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED]
        ).update(state=Payment.State.CANCELLED)
    payment.refresh_from_db()
    return payment


def _tell_late(business, payment: Payment, late: str) -> None:
    """The client is told (notifications, through the outbox) what became of a
    deposit that came after its hold: "kept" or "released"."""
    outbox_emit(
        topic="payment.late",
        business=business,
        payload={"appointment_id": payment.appointment_id, "payment_id": payment.pk, "late": late},
    )


def _give_back(business, payment: Payment, intent) -> Payment:
    """The client paid after the payment was released (its hold expired and the
    time went): the authorisation is cancelled, or a completed charge refunded,
    so nothing is kept."""
    provider = provider_named(payment.provider)
    account = finance_settings(business).stripe_account_id
    try:
        if intent.status == "requires_capture":
            provider.cancel(
                intent.id, account=account, idempotency_key=f"payment:{payment.pk}:cancel-late"
            )
        else:
            provider.refund(
                intent.id,
                amount=intent.amount_received or intent.amount,
                account=account,
                reason="duplicate",
                idempotency_key=f"payment:{payment.pk}:refund-late",
            )
    except ProviderError as exc:
        log.warning("payment %s: could not give back a late payment: %s", payment.pk, exc.code)
        raise _provider_error(exc) from exc
    if payment.detail.get("late") != "released":
        _tell_late(business, payment, "released")
    Payment.objects.filter(pk=payment.pk).update(detail={**payment.detail, "late": "released"})
    audit_log(action="finance.payment_given_back", business=business, obj=payment)
    payment.refresh_from_db()
    return payment


# --- fees ---------------------------------------------------------------------


def _fee_for(appointment: Appointment, event: str) -> int:
    policy = appointment.policy or {}
    percent = policy.get("no_show_fee_percent" if event == "no_show" else "late_fee_percent")
    if percent is None:  # booked before policies were kept: the business's current rule
        percent = appointment.business.cancellation_fee_percent
    return appointment.price_amount * int(percent) // 100


def appointment_settle(
    *, business, appointment_id: int, now: datetime | None = None
) -> list[Payment]:
    """Apply the accepted policy to a visit that will not be checked out:
    cancelled in time → release / refund the deposit; cancelled late or no-show
    → charge the fee (from the deposit first, then the saved card). Idempotent."""
    from solibook.finance.services.refunds import refund_create

    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_related("business")
        .filter(business=business, pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    if appointment.status == Status.NO_SHOW:
        event = "no_show"
    elif appointment.status == Status.CANCELLED:
        event = "late" if appointment.late_cancellation else "in_time"
    elif appointment.status == Status.EXPIRED:
        event = "in_time"
    else:
        return []
    if Payment.objects.filter(
        business=business, appointment=appointment, purpose=Payment.Purpose.FEE
    ).exists():
        return []
    fee = _fee_for(appointment, event) if event != "in_time" else 0
    results = []
    deposits = list(
        Payment.objects.filter(
            business=business, appointment=appointment, purpose=Payment.Purpose.DEPOSIT
        ).exclude(state__in=[Payment.State.CANCELLED, Payment.State.FAILED])
    )
    for deposit in deposits:
        if deposit.state == Payment.State.PENDING:
            payment_release(business=business, payment_id=deposit.pk, now=now)
            continue
        if deposit.state == Payment.State.AUTHORIZED:
            if fee <= 0:
                payment_release(business=business, payment_id=deposit.pk, now=now)
                continue
            deposit = payment_capture(
                business=business, payment_id=deposit.pk, amount=min(fee, deposit.amount), now=now
            )
        kept = deposit.amount_captured - deposit.amount_refunded - deposit.amount_applied
        take = min(fee, kept)
        if take > 0:
            results.append(_fee_from_deposit(business, appointment, deposit, take, now))
            fee -= take
            kept -= take
        if kept > 0:
            refund_create(
                business=business,
                payment_id=deposit.pk,
                amount=kept,
                reason="cancelled_by_salon" if event == "in_time" else "client_request",
                note=_("Deposit left after the fee"),
                now=now,
            )
    if fee > 0:
        charged = _fee_from_saved_card(business, appointment, fee, now)
        if charged is not None:
            results.append(charged)
    for payment in results:
        if payment.state == Payment.State.CAPTURED:
            send_on_commit(fee_charged, Payment, payment=payment)
    return results


def _fee_from_deposit(business, appointment, deposit: Payment, amount: int, now) -> Payment:
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=deposit.pk)
        if amount > locked.amount_captured - locked.amount_refunded - locked.amount_applied:
            raise ValidationFailed(
                _("The deposit does not cover this fee."), code="fee_exceeds_deposit"
            )
        Payment.objects.filter(pk=deposit.pk).update(amount_applied=locked.amount_applied + amount)
        fee = Payment.objects.create(
            business=business,
            purpose=Payment.Purpose.FEE,
            tender="online",
            provider=deposit.provider,
            provider_ref=deposit.provider_ref,
            state=Payment.State.CAPTURED,
            amount=amount,
            amount_captured=amount,
            currency=deposit.currency,
            appointment=appointment,
            account=appointment.account,
            detail={"source_payment_id": deposit.pk},
            created_at=now,
        )
        ledger.post(
            business=business,
            kind="fee",
            memo=f"Fee for visit #{appointment.pk} (from the deposit)",
            reference=f"payment:{fee.pk}",
            occurred_at=now,
            lines=[
                Line(
                    accounts.DEPOSITS_HELD, amount, fee.currency, location=appointment.location_id
                ),
                Line(accounts.FEE_REVENUE, -amount, fee.currency, location=appointment.location_id),
            ],
            idempotency_key=f"fee:{appointment.pk}:deposit",
        )
        audit_log(
            action="finance.fee_charged",
            business=business,
            obj=fee,
            data={"amount": amount, "from": "deposit"},
        )
    return fee


def _fee_from_saved_card(business, appointment, amount: int, now) -> Payment | None:
    settings_row = finance_settings(business)
    provider = provider_for(settings_row)
    saved = (
        SavedPaymentMethod.objects.filter(
            business=business, account_id=appointment.account_id, provider=provider.code
        )
        .exclude(method_ref="")
        .first()
        if appointment.account_id
        else None
    )
    if not provider.online or saved is None:
        audit_log(
            action="finance.fee_uncollected",
            business=business,
            obj=appointment,
            data={"amount": amount, "reason": "no saved card"},
        )
        return None
    with transaction.atomic():
        fee, created = Payment.objects.get_or_create(
            business=business,
            appointment=appointment,
            purpose=Payment.Purpose.FEE,
            tender="online",
            defaults={
                "provider": provider.code,
                "state": Payment.State.PENDING,
                "amount": amount,
                "currency": appointment.currency,
                "account_id": appointment.account_id,
                "created_at": now,
            },
        )
    try:
        intent = provider.create_intent(
            amount=amount,
            currency=fee.currency,
            capture_manual=True,
            account=settings_row.stripe_account_id,
            idempotency_key=f"payment:{fee.pk}:create",
            metadata={
                "business_id": business.pk,
                "appointment_id": appointment.pk,
                "payment_id": fee.pk,
                "purpose": "fee",
            },
            customer=saved.customer_ref,
            payment_method=saved.method_ref,
            off_session=True,
        )
        Payment.objects.filter(pk=fee.pk).update(
            provider_ref=intent.id,
            state=Payment.State.AUTHORIZED
            if intent.status == "requires_capture"
            else Payment.State.PENDING,
        )
        if intent.status != "requires_capture":
            raise ProviderError(
                _("The card needs the client's confirmation."), code="requires_action"
            )
        captured = provider.capture(
            intent.id,
            amount=amount,
            account=settings_row.stripe_account_id,
            idempotency_key=f"payment:{fee.pk}:capture",
        )
    except ProviderError as exc:
        Payment.objects.filter(pk=fee.pk).update(
            state=Payment.State.FAILED, detail={"error": exc.code}
        )
        audit_log(
            action="finance.fee_failed",
            business=business,
            obj=appointment,
            data={"amount": amount, "error": exc.code},
        )
        return None
    with transaction.atomic():
        Payment.objects.filter(pk=fee.pk).update(
            state=Payment.State.CAPTURED, amount_captured=captured.amount_received or amount
        )
        ledger.post(
            business=business,
            kind="fee",
            memo=f"Fee for visit #{appointment.pk} (saved card)",
            reference=f"payment:{fee.pk}",
            occurred_at=now,
            lines=[
                Line(accounts.ONLINE, amount, fee.currency, location=appointment.location_id),
                Line(accounts.FEE_REVENUE, -amount, fee.currency, location=appointment.location_id),
            ],
            idempotency_key=f"payment:{fee.pk}:captured",
        )
        # The fee is not "held": it is earned at once.
        audit_log(
            action="finance.fee_charged",
            business=business,
            obj=fee,
            data={"amount": amount, "from": "saved card"},
        )
    fee.refresh_from_db()
    return fee


# --- expiry ---------------------------------------------------------------------


def deposits_expire(*, now: datetime | None = None) -> int:
    """Free the slots of online bookings whose deposit was not paid in time,
    and cancel their pending authorisations."""
    from solibook.booking.services import appointment_expire_unpaid

    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            Appointment.objects.filter(status=Status.AWAITING_DEPOSIT, hold_expires_at__lte=now)
            .select_related("business")
            .values_list("business_id", "pk")
        )
        # A run that died between expiring a visit and releasing its payments left
        # them open, and the visit is no longer due: release those too.
        open_on_expired = list(
            Payment.objects.filter(
                appointment__status=Status.EXPIRED,
                state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED],
            ).values_list("business_id", "appointment_id")
        )
    from solibook.catalog.models import Business

    count = 0
    for business_id, appointment_id in due:
        business = Business.objects.get(pk=business_id)
        with business_scope(business):
            if (
                appointment_expire_unpaid(business=business, appointment_id=appointment_id, now=now)
                is not None
            ):
                count += 1
                _release_open_payments(business, appointment_id, now)
    for business_id, appointment_id in dict.fromkeys(open_on_expired):
        business = Business.objects.get(pk=business_id)
        with business_scope(business):
            _release_open_payments(business, appointment_id, now)
    return count


def _release_open_payments(business, appointment_id: int, now: datetime) -> None:
    for payment in Payment.objects.filter(
        business=business,
        appointment_id=appointment_id,
        state__in=[Payment.State.PENDING, Payment.State.AUTHORIZED],
    ):
        try:
            payment_release(business=business, payment_id=payment.pk, now=now)
        except ValidationFailed:
            log.warning("could not release payment %s", payment.pk)


# --- webhooks ---------------------------------------------------------------------


HANDLED = {
    "checkout.session.completed",
    "payment_intent.amount_capturable_updated",
    "payment_intent.succeeded",
    "payment_intent.canceled",
    "payment_intent.payment_failed",
    "charge.refunded",
    "refund.updated",
}


def webhook_receive(
    *, provider_code: str, payload: bytes, signature: str, now: datetime | None = None
) -> str:
    """Verify, record once, act. Returns "processed", "duplicate" or "ignored";
    raises ValidationFailed for a bad signature or body (nothing recorded)."""
    from solibook.finance.services.refunds import refund_provider_update

    now = now or timezone.now()
    provider = provider_named(provider_code)
    try:
        event = provider.parse_webhook(payload, signature)
    except ProviderError as exc:
        raise ValidationFailed(exc.message, code=f"webhook_{exc.code}") from exc
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProviderEvent.objects.create(
                    provider=provider_code, event_id=event.id, kind=event.type[:80]
                )
        except IntegrityError:
            return "duplicate"
        if event.type not in HANDLED:
            return "ignored"
    obj = event.data
    if event.type in ("charge.refunded", "refund.updated"):
        refund_provider_update(obj=obj, event_type=event.type)
        return "processed"
    metadata = obj.get("metadata") or {}
    try:
        business_id, payment_id = (
            int(metadata.get("business_id", 0)),
            int(metadata.get("payment_id", 0)),
        )
    except (TypeError, ValueError):
        return "ignored"
    with scopes_disabled():
        # A payment started on a hosted page learns its intent id from the
        # first event that names it (the session's, or the intent's own).
        intent_id = (
            _ref(obj.get("payment_intent"))
            if event.type == "checkout.session.completed"
            else obj.get("id", "")
        )
        payment = (
            Payment.objects.select_related("business")
            .filter(pk=payment_id, business_id=business_id)
            .filter(
                Q(provider_ref=intent_id) | Q(provider_ref="", detail__checkout_id__isnull=False)
            )
            .first()
            if intent_id
            else None
        )
        account = (
            FinanceSettings.objects.filter(business_id=business_id)
            .values_list("stripe_account_id", flat=True)
            .first()
            or ""
        )
    if payment is None:
        return "ignored"
    if event.account and account and event.account != account:
        log.warning(
            "webhook %s: account %s is not the salon's %s", event.id, event.account, account
        )
        return "ignored"
    from solibook.finance.payments.stripe_provider import _intent

    with business_scope(payment.business):
        if not payment.provider_ref:
            Payment.objects.filter(pk=payment.pk, provider_ref="").update(provider_ref=intent_id)
            payment.refresh_from_db()
        if event.type == "checkout.session.completed":
            payment_sync(business=payment.business, payment_id=payment.pk, now=now)
            return "processed"
        if event.type == "payment_intent.payment_failed":
            Payment.objects.filter(pk=payment.pk, state=Payment.State.PENDING).update(
                state=Payment.State.FAILED
            )
        else:
            _apply_intent(payment.business, payment, _intent(obj), now=now)
    return "processed"


def _ref(value) -> str:
    if isinstance(value, dict):
        return value.get("id", "")
    return value or ""
