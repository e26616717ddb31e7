"""Payment-provider reconciliation: Stripe payouts matched to the ledger.

For a period of local days, through the official `stripe` library on the
salon's connected account (as finance's provider calls it):

1. the payouts that arrived in the period and up to `SETTLE_DAYS` after it
   (a Friday's card payments reach the bank on Monday) — `GET /v1/payouts`;
2. each payout's balance transactions, with their source expanded
   (`GET /v1/balance_transactions?payout=…&expand[]=data.source`): a charge
   names its PaymentIntent, a refund its own id;
3. the ledger's side: the salon's Stripe payments captured in the period
   (`finance.Payment`, keyed by PaymentIntent id) and its refunds through
   Stripe (`finance.Refund`, keyed by refund id).

Each provider transaction made in the period is `matched`, `amount_differs`
or `missing_in_ledger`; each ledger payment or refund of the period found in
no payout is `missing_at_provider` (not yet paid out, or lost). Fees are shown
beside each line: they are the provider's, the ledger's amounts are gross.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import stripe
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.accounting import queries
from solibook.core.errors import ValidationFailed
from solibook.core.time import local_day_bounds
from solibook.finance.models import FinanceSettings, Payment, Refund

SETTLE_DAYS = 7
PAGE = 100
STATUSES = {
    "matched": gettext_lazy("Matched"),
    "amount_differs": gettext_lazy("Amounts differ"),
    "missing_in_ledger": gettext_lazy("Missing in the ledger"),
    "missing_at_provider": gettext_lazy("Missing at the provider"),
}


@dataclass
class Line:
    status: str
    kind: str  # charge, refund
    reference: str  # PaymentIntent or refund id
    provider_amount: int | None
    ledger_amount: int | None
    fee: int = 0
    payout: str = ""
    created: datetime | None = None

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def difference(self) -> int:
        return (self.provider_amount or 0) - (self.ledger_amount or 0)


@dataclass
class PayoutRow:
    id: str
    arrival: date
    amount: int
    status: str


@dataclass
class Reconciliation:
    start: date
    end: date
    currency: str
    payouts: list[PayoutRow] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        return [(code, str(label), self.count(code)) for code, label in STATUSES.items()]

    @property
    def clean(self) -> bool:
        return all(line.status == "matched" for line in self.lines)


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ValidationFailed(
            _("Stripe is not configured on this server."), code="provider_not_configured"
        )
    base = settings.STRIPE_API_BASE or stripe.api_base
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": base}, max_network_retries=2
    )


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _list_all(method, params: dict, options: dict) -> list[dict]:
    """Every page of a list call (`starting_after` the last id)."""
    items: list[dict] = []
    params = {**params, "limit": PAGE}
    while True:
        page = _plain(method(params=params, options=options))
        data = [_plain(x) for x in page.get("data", [])]
        items.extend(data)
        if not page.get("has_more") or not data:
            return items
        params = {**params, "starting_after": data[-1]["id"]}


def _provider_side(client, account: str, first: datetime, last: datetime):
    options = {"stripe_account": account}
    try:
        payouts = _list_all(
            client.v1.payouts.list,
            {
                "arrival_date[gte]": _ts(first),
                "arrival_date[lt]": _ts(last + timedelta(days=SETTLE_DAYS)),
            },
            options,
        )
        transactions: list[tuple[str, dict]] = []
        for payout in payouts:
            for txn in _list_all(
                client.v1.balance_transactions.list,
                {"payout": payout["id"], "expand": ["data.source"]},
                options,
            ):
                transactions.append((payout["id"], txn))
    except stripe.StripeError as exc:
        raise ValidationFailed(
            _("Stripe refused the request: %(message)s")
            % {"message": exc.user_message or exc.code or "error"},
            code="provider_error",
        ) from exc
    return payouts, transactions


def _intent_of(source) -> str:
    if isinstance(source, dict):
        intent = source.get("payment_intent")
        if isinstance(intent, dict):
            return intent.get("id", "")
        return intent or ""
    return ""


def reconcile(*, business, start: date, end: date) -> Reconciliation:
    if end < start:
        raise ValidationFailed(
            _("The end date cannot be before the start date."),
            code="invalid_period",
            fields={"end": [_("The end date cannot be before the start date.")]},
        )
    if (end - start).days > 92:
        raise ValidationFailed(
            _("Reconcile at most three months at a time."),
            code="invalid_period",
            fields={"end": [_("Reconcile at most three months at a time.")]},
        )
    finance = FinanceSettings.objects.filter(business=business).first()
    account = finance.stripe_account_id if finance else ""
    if not account:
        raise ValidationFailed(
            _("This salon has no Stripe account connected: nothing to reconcile."),
            code="no_provider_account",
        )
    zone = queries.business_zone(business)
    first, last = local_day_bounds(start, zone)[0], local_day_bounds(end, zone)[1]
    payouts, transactions = _provider_side(_client(), account, first, last)
    result = Reconciliation(start=start, end=end, currency=business.currency)
    result.payouts = [
        PayoutRow(
            id=p["id"],
            arrival=datetime.fromtimestamp(int(p["arrival_date"]), tz=first.tzinfo).date(),
            amount=int(p["amount"]),
            status=str(p.get("status", "")),
        )
        for p in payouts
    ]

    payments = {
        p.provider_ref: p
        for p in Payment.objects.filter(
            business=business,
            provider="stripe",
            amount_captured__gt=0,
        ).exclude(provider_ref="")
    }
    refunds = {
        r.provider_ref: r
        for r in Refund.objects.filter(
            business=business, payment__provider="stripe", state=Refund.State.SUCCEEDED
        ).exclude(provider_ref="")
    }
    seen_payments, seen_refunds = set(), set()
    for payout_id, txn in transactions:
        kind = txn.get("type", "")
        created = datetime.fromtimestamp(int(txn.get("created", 0)), tz=first.tzinfo)
        if not first <= created < last:
            continue  # made in another period, reconciled there
        amount, fee = int(txn.get("amount", 0)), int(txn.get("fee", 0))
        source = txn.get("source")
        if kind in ("charge", "payment"):
            ref = _intent_of(source)
            payment = payments.get(ref)
            seen_payments.add(ref)
            ledger = payment.amount_captured if payment else None
            status = (
                "missing_in_ledger"
                if payment is None
                else "matched"
                if ledger == amount
                else "amount_differs"
            )
            result.lines.append(
                Line(status, "charge", ref, amount, ledger, fee, payout_id, created)
            )
        elif kind in ("refund", "payment_refund"):
            ref = source.get("id", "") if isinstance(source, dict) else str(source or "")
            refund = refunds.get(ref)
            seen_refunds.add(ref)
            ledger = -refund.amount if refund else None
            status = (
                "missing_in_ledger"
                if refund is None
                else "matched"
                if ledger == amount
                else "amount_differs"
            )
            result.lines.append(
                Line(status, "refund", ref, amount, ledger, fee, payout_id, created)
            )

    for ref, payment in payments.items():
        if ref not in seen_payments and first <= payment.created_at < last:
            result.lines.append(
                Line(
                    "missing_at_provider",
                    "charge",
                    ref,
                    None,
                    payment.amount_captured,
                    created=payment.created_at,
                )
            )
    for ref, refund in refunds.items():
        if ref not in seen_refunds and first <= refund.created_at < last:
            result.lines.append(
                Line(
                    "missing_at_provider",
                    "refund",
                    ref,
                    None,
                    -refund.amount,
                    created=refund.created_at,
                )
            )
    order = list(STATUSES)
    result.lines.sort(
        key=lambda line: (
            order.index(line.status) if line.status != "matched" else 9,
            line.reference,
        )
    )
    return result
