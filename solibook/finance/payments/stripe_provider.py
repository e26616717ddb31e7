"""Stripe through the official SDK.

Connect: every call carries the salon's connected account
(`Stripe-Account` header, direct charges), so the charge, its refunds and
its disputes belong to the salon. Deposits and fees use manual capture: the
card is authorised when the client books and captured only when the money
is due (the visit, a late cancellation or a no-show). Every write sends an
idempotency key, so a retried call never charges twice.

Webhooks are verified with the endpoint's signing secret
(`stripe.Webhook.construct_event`: HMAC-SHA256 of "timestamp.payload",
timestamps older than 5 minutes refused).
"""

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from solibook.finance.payments.base import (
    HostedCheckout,
    Intent,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)

# Stripe Checkout's page languages among ours (Arabic: the browser's choice).
CHECKOUT_LOCALES = {"en": "en", "fr": "fr", "ru": "ru"}
STRIPE_REFUND_REASONS = {"duplicate": "duplicate", "client_request": "requested_by_customer"}


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _intent(obj) -> Intent:
    obj = _plain(obj)
    return Intent(
        id=obj["id"],
        status=obj["status"],
        amount=int(obj["amount"]),
        currency=str(obj["currency"]).upper(),
        amount_capturable=int(obj.get("amount_capturable") or 0),
        amount_received=int(obj.get("amount_received") or 0),
        client_secret=obj.get("client_secret") or "",
        payment_method=_id(obj.get("payment_method")),
        customer=_id(obj.get("customer")),
    )


def _id(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "")


class StripeProvider:
    code = "stripe"
    online = True

    def __init__(self, *, api_key: str | None = None, webhook_secret: str | None = None):
        self.api_key = api_key if api_key is not None else settings.STRIPE_SECRET_KEY
        self.webhook_secret = (
            webhook_secret if webhook_secret is not None else settings.STRIPE_WEBHOOK_SECRET
        )

    def _client(self) -> stripe.StripeClient:
        if not self.api_key:
            raise ProviderError(_("Online payment is not configured."), code="not_configured")
        base = settings.STRIPE_API_BASE or stripe.api_base
        return stripe.StripeClient(
            self.api_key, base_addresses={"api": base}, max_network_retries=2
        )

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stripe.CardError as exc:
            raise ProviderError(
                exc.user_message or _("The card was declined."), code=exc.code or "card_declined"
            ) from exc
        except stripe.StripeError as exc:
            raise ProviderError(
                _("The payment provider refused the request: %(message)s")
                % {"message": exc.user_message or exc.code or "error"},
                code=exc.code or "provider_error",
            ) from exc

    @staticmethod
    def _options(account: str, idempotency_key: str = "") -> dict:
        options: dict = {}
        if account:
            options["stripe_account"] = account
        if idempotency_key:
            options["idempotency_key"] = idempotency_key
        return options

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
    ) -> Intent:
        params: dict = {
            "amount": amount,
            "currency": currency.lower(),
            "capture_method": "manual" if capture_manual else "automatic",
            "metadata": {k: str(v) for k, v in metadata.items()},
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
        if customer:
            params["customer"] = customer
        if save_method:
            params["setup_future_usage"] = (
                "off_session"  # later fees are charged from the saved card
            )
        if payment_method:
            params.update(payment_method=payment_method, confirm=True, off_session=off_session)
        obj = self._call(
            self._client().v1.payment_intents.create,
            params=params,
            options=self._options(account, idempotency_key),
        )
        return _intent(obj)

    def retrieve(self, intent_id, *, account) -> Intent:
        return _intent(
            self._call(
                self._client().v1.payment_intents.retrieve,
                intent_id,
                options=self._options(account),
            )
        )

    def capture(self, intent_id, *, amount, account, idempotency_key) -> Intent:
        obj = self._call(
            self._client().v1.payment_intents.capture,
            intent_id,
            params={"amount_to_capture": amount},
            options=self._options(account, idempotency_key),
        )
        return _intent(obj)

    def cancel(self, intent_id, *, account, idempotency_key) -> Intent:
        return _intent(
            self._call(
                self._client().v1.payment_intents.cancel,
                intent_id,
                options=self._options(account, idempotency_key),
            )
        )

    def refund(self, intent_id, *, amount, account, reason, idempotency_key) -> ProviderRefund:
        params = {"payment_intent": intent_id, "amount": amount}
        if reason in STRIPE_REFUND_REASONS:
            params["reason"] = STRIPE_REFUND_REASONS[reason]
        obj = self._call(
            self._client().v1.refunds.create,
            params=params,
            options=self._options(account, idempotency_key),
        )
        obj = _plain(obj)
        return ProviderRefund(id=obj["id"], status=obj["status"], amount=int(obj["amount"]))

    def create_customer(self, *, email, name, account, idempotency_key) -> str:
        obj = self._call(
            self._client().v1.customers.create,
            params={"email": email, "name": name},
            options=self._options(account, idempotency_key),
        )
        return _plain(obj)["id"]

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
        """Stripe Checkout: Stripe's own page takes the card and runs 3-D Secure
        (no script of Stripe's on our pages); the PaymentIntent it creates
        carries our metadata, so its webhooks find the payment."""
        plain = {k: str(v) for k, v in metadata.items()}
        intent_data: dict = {
            "capture_method": "manual" if capture_manual else "automatic",
            "metadata": plain,
        }
        if save_method:
            intent_data["setup_future_usage"] = "off_session"
        params: dict = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": amount,
                        "product_data": {"name": description[:200] or "Booking"},
                    },
                }
            ],
            "payment_intent_data": intent_data,
            "metadata": plain,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "locale": CHECKOUT_LOCALES.get(language, "auto"),
        }
        if customer:
            params["customer"] = customer
        obj = _plain(
            self._call(
                self._client().v1.checkout.sessions.create,
                params=params,
                options=self._options(account, idempotency_key),
            )
        )
        return HostedCheckout(
            id=obj["id"], url=obj.get("url") or "", intent_id=_id(obj.get("payment_intent"))
        )

    def checkout_intent(self, checkout_id, *, account) -> Intent | None:
        session = _plain(
            self._call(
                self._client().v1.checkout.sessions.retrieve,
                checkout_id,
                params={"expand": ["payment_intent"]},
                options=self._options(account),
            )
        )
        found = session.get("payment_intent")
        if not found:
            return None
        if isinstance(found, str):
            return self.retrieve(found, account=account)
        return _intent(found)

    def parse_webhook(self, payload: bytes, signature: str) -> ProviderEvent:
        if not self.webhook_secret:
            raise ProviderError(_("Webhooks are not configured."), code="not_configured")
        try:
            event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
        except stripe.SignatureVerificationError as exc:
            raise ProviderError(
                _("The webhook signature is not valid."), code="bad_signature"
            ) from exc
        except ValueError as exc:
            raise ProviderError(
                _("The webhook body is not valid JSON."), code="bad_payload"
            ) from exc
        body = _plain(event)
        return ProviderEvent(
            id=body["id"],
            type=body["type"],
            data=body["data"]["object"],
            account=body.get("account") or "",
        )
