"""Test payments: Stripe's test mode, without Stripe.

The default of `make run` and of any deployment without Stripe keys
(`settings.PAYMENTS_TEST_MODE`). It behaves like Stripe's test mode with its
well-known test cards, on a card page of ours that says "Test payments — no
real money" (`finance.views.public`):

- 4242 4242 4242 4242 succeeds;
- 4000 0000 0000 0002 is declined ("Your card was declined.");
- 4000 0000 0000 9995 is declined for insufficient funds;
- 4000 0027 6000 3184 asks for a 3-D Secure confirmation (a challenge page
  with "Complete" and "Fail"), also when charged later without the client.

Intents live in the database (`TestModeIntent`), not in memory: the product
runs several server processes and workers, and all of them must see the same
intent. Every write is keyed like Stripe's (`idempotency_key`): the same key
returns the same intent or refund, never a second one. A card submitted twice
(a double click, the back button) charges once: the intent row is locked and
only an intent still waiting for a card takes one.
"""

import hashlib
import secrets
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.finance.models import TestModeIntent, TestModeRefund
from solibook.finance.payments.base import (
    HostedCheckout,
    Intent,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
NEEDS_3DS = "4000002760003184"
TEST_CARDS = (SUCCEEDS, DECLINED, INSUFFICIENT_FUNDS, NEEDS_3DS)


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _intent(row: TestModeIntent) -> Intent:
    return Intent(
        id=row.id,
        status=row.status,
        amount=row.amount,
        currency=row.currency,
        amount_capturable=row.amount_capturable,
        amount_received=row.amount_received,
        client_secret=f"{row.id}_secret",
        payment_method=row.payment_method,
        customer=row.customer,
    )


def _new_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def decline_message(code: str) -> str:
    """What the card page says about a decline (in the active language)."""
    messages = {
        "card_declined": _("Your card was declined."),
        "insufficient_funds": _("Your card has insufficient funds."),
        "incorrect_number": _("Your card number is incorrect."),
        "expired_card": _("Your card has expired."),
        "incorrect_cvc": _("Your card's security code is incorrect."),
        "unknown_test_card": _(
            "This card is not a test card. Use 4242 4242 4242 4242 to pay in test mode."
        ),
        "authentication_failed": _(
            "We could not confirm the payment with your bank (3-D Secure). "
            "Please try again or use another card."
        ),
    }
    return messages.get(code, messages["card_declined"])


def _decline(code: str) -> ProviderError:
    return ProviderError(decline_message(code), code=code)


def _check_card(number: str, expiry: str, cvc: str, today: date) -> str:
    """The card's number without spaces, or a decline (as Stripe checks a form)."""
    number = "".join(number.split()).replace("-", "")
    if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_ok(number):
        raise _decline("incorrect_number")
    month, _sep, year = expiry.replace(" ", "").partition("/")
    try:
        month_n, year_n = int(month), int(year)
    except ValueError:
        raise _decline("expired_card") from None
    year_n += 2000 if year_n < 100 else 0
    if not 1 <= month_n <= 12 or (year_n, month_n) < (today.year, today.month):
        raise _decline("expired_card")
    if not (cvc.isdigit() and 3 <= len(cvc) <= 4):
        raise _decline("incorrect_cvc")
    if number not in TEST_CARDS:
        raise _decline("unknown_test_card")
    return number


class TestModeProvider:
    code = "test"
    online = True
    test_mode = True

    # --- the interface ------------------------------------------------------------

    def create_intent(
        self,
        *,
        amount,
        currency,
        capture_manual,
        account,
        idempotency_key,
        metadata,
        customer="",
        payment_method="",
        off_session=False,
        save_method=False,
        **page,
    ) -> Intent:
        row = self._create(
            amount=amount,
            currency=currency,
            capture_manual=capture_manual,
            account=account,
            idempotency_key=idempotency_key,
            metadata={k: str(v) for k, v in metadata.items()},
            customer=customer,
            **page,
        )
        if payment_method and row.status == "requires_payment_method":
            # A saved card, charged without the client (a fee): the 3-D Secure
            # card cannot be charged off-session, like Stripe's 3184.
            number = payment_method.removeprefix("pm_test_")
            row = self._charge(row.id, number, off_session=off_session)
        return _intent(row)

    def retrieve(self, intent_id, *, account) -> Intent:
        return _intent(self._get(intent_id, account))

    def capture(self, intent_id, *, amount, account, idempotency_key) -> Intent:
        with transaction.atomic():
            row = self._get(intent_id, account, lock=True)
            if row.status == "succeeded":
                return _intent(row)
            if row.status != "requires_capture":
                raise ProviderError(
                    _("This payment cannot be captured in its current state."),
                    code="payment_intent_unexpected_state",
                )
            if not 0 < amount <= row.amount_capturable:
                raise ProviderError(
                    _("You can capture at most %(max)s.") % {"max": row.amount_capturable},
                    code="amount_too_large",
                )
            row.status, row.amount_received, row.amount_capturable = "succeeded", amount, 0
            row.save(update_fields=["status", "amount_received", "amount_capturable", "updated_at"])
        return _intent(row)

    def cancel(self, intent_id, *, account, idempotency_key) -> Intent:
        with transaction.atomic():
            row = self._get(intent_id, account, lock=True)
            if row.status == "canceled":
                return _intent(row)
            if row.status == "succeeded":
                raise ProviderError(
                    _("A completed payment cannot be cancelled; refund it instead."),
                    code="payment_intent_unexpected_state",
                )
            row.status, row.amount_capturable = "canceled", 0
            row.save(update_fields=["status", "amount_capturable", "updated_at"])
        return _intent(row)

    def refund(self, intent_id, *, amount, account, reason, idempotency_key) -> ProviderRefund:
        with transaction.atomic():
            done = TestModeRefund.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return ProviderRefund(id=done.id, status="succeeded", amount=done.amount)
            row = self._get(intent_id, account, lock=True)
            left = row.amount_received - row.amount_refunded
            if row.status != "succeeded" or not 0 < amount <= left:
                raise ProviderError(
                    _("This payment cannot be refunded by that amount."), code="refund_too_large"
                )
            refund = TestModeRefund.objects.create(
                id=_new_id("re"), intent=row, idempotency_key=idempotency_key, amount=amount
            )
            row.amount_refunded += amount
            row.save(update_fields=["amount_refunded", "updated_at"])
        return ProviderRefund(id=refund.id, status="succeeded", amount=amount)

    def create_customer(self, *, email, name, account, idempotency_key) -> str:
        return "cus_test_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]

    def parse_webhook(self, payload: bytes, signature: str) -> ProviderEvent:
        # The card page runs in this product: the return page reads the intent
        # directly (`payment_sync`), no webhook is needed or accepted.
        raise ProviderError(_("Test payments send no webhooks."), code="not_configured")

    def checkout_start(
        self,
        *,
        amount,
        currency,
        capture_manual,
        account,
        idempotency_key,
        metadata,
        description,
        success_url,
        cancel_url,
        language,
        customer="",
        save_method=False,
    ) -> HostedCheckout:
        intent = self.create_intent(
            amount=amount,
            currency=currency,
            capture_manual=capture_manual,
            account=account,
            idempotency_key=idempotency_key,
            metadata=metadata,
            customer=customer,
            save_method=save_method,
            success_url=success_url,
            cancel_url=cancel_url,
            description=description,
            language=language,
        )
        return HostedCheckout(id=intent.id, url=self.page_url(intent.id), intent_id=intent.id)

    def checkout_intent(self, checkout_id, *, account) -> Intent | None:
        return self.retrieve(checkout_id, account=account)

    # --- the card page (the "provider's" side) ----------------------------------------

    @staticmethod
    def page_url(intent_id: str) -> str:
        return reverse("finance:testmode_pay", kwargs={"intent_id": intent_id})

    def card_submit(self, intent_id: str, *, number: str, expiry: str, cvc: str) -> TestModeIntent:
        """The client sends the card form. A decline raises `ProviderError` (the
        intent waits for another card); the 3-D Secure card leaves the intent
        `requires_action` (the challenge page); a card sent to an intent that
        already has one changes nothing (one charge)."""
        number = _check_card(number, expiry, cvc, timezone.localdate())
        return self._charge(intent_id, number, off_session=False)

    def challenge_answer(self, intent_id: str, *, complete: bool) -> TestModeIntent:
        """The client's answer on the 3-D Secure page."""
        with transaction.atomic():
            row = self._get(intent_id, None, lock=True)
            if row.status != "requires_action":
                return row
            if complete:
                self._authorise(row)
            else:
                row.status, row.last_error = "requires_payment_method", "authentication_failed"
                row.payment_method = ""
            row.save()
        if not complete:
            raise _decline("authentication_failed")
        return row

    def page_intent(self, intent_id: str) -> TestModeIntent | None:
        return TestModeIntent.objects.filter(pk=intent_id).first()

    # --- inside -----------------------------------------------------------------

    def _create(self, *, idempotency_key: str, **fields) -> TestModeIntent:
        existing = TestModeIntent.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return TestModeIntent.objects.create(
                    id=_new_id("pi"), idempotency_key=idempotency_key, **fields
                )
        except IntegrityError:  # the same key at the same moment: the first one wins
            return TestModeIntent.objects.get(idempotency_key=idempotency_key)

    @staticmethod
    def _get(intent_id: str, account: str | None, *, lock: bool = False) -> TestModeIntent:
        query = TestModeIntent.objects.select_for_update() if lock else TestModeIntent.objects
        row = query.filter(pk=intent_id).first()
        if row is None or (account is not None and row.account != account):
            raise ProviderError(_("No such payment."), code="resource_missing")
        return row

    def _charge(self, intent_id: str, number: str, *, off_session: bool) -> TestModeIntent:
        with transaction.atomic():
            row = self._get(intent_id, None, lock=True)
            if row.status != "requires_payment_method":
                return row  # already paid, waiting for 3-D Secure, or cancelled
            row.attempts += 1
            if number in (DECLINED, INSUFFICIENT_FUNDS):
                row.last_error = "card_declined" if number == DECLINED else "insufficient_funds"
                row.save(update_fields=["attempts", "last_error", "updated_at"])
                declined = row.last_error
            else:
                declined = ""
                row.payment_method, row.last_error = f"pm_test_{number}", ""
                if number == NEEDS_3DS:
                    row.status = "requires_action"
                else:
                    self._authorise(row)
                row.save()
        if declined:
            raise _decline(declined)
        if off_session and row.status == "requires_action":
            raise ProviderError(
                _("The card needs the client's confirmation."), code="authentication_required"
            )
        return row

    @staticmethod
    def _authorise(row: TestModeIntent) -> None:
        if row.capture_manual:
            row.status, row.amount_capturable = "requires_capture", row.amount
        else:
            row.status, row.amount_received = "succeeded", row.amount
