"""How a checkout is paid: a registry of tender kinds.

Built in: `cash`, `card` (terminal), `online` (a captured online payment —
a deposit or a prepayment — applied to this visit), `gift_card`,
`client_credit`. Another app adds its own kind (the loyalty app:
`loyalty_points`, `wallet_credit`) with `register_tender`:

    register_tender(
        "wallet_credit", label=_("Wallet"), account=accounts.WALLET_CREDIT,
        validate=check_wallet, apply=spend_wallet, needs_client=True,
    )

At checkout, inside its one database transaction:
1. `validate(ctx, amount, data)` for every tender (raise `ValidationFailed`
   with a translated message to refuse; only the checkout row is written,
   `ctx.checkout`, its number still pending);
2. `apply(ctx, amount, data)` for every tender, once the checkout's lines are
   written: spend the points, lock and decrement what must be decremented,
   post further ledger lines of its own with `finance.ledger.post`. It may
   return a dict kept on the `Payment`. Raising here rolls the whole checkout
   back. It runs before the receipt number is taken, beside other checkouts:
   it must not read `ctx.checkout.number`;
3. the checkout's ledger transaction is posted: each tender's `account` is
   debited with its amount (with the client as dimension when
   `needs_client`), revenue, taxes and tips are credited.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.core.errors import ValidationFailed
from solibook.finance import accounts


@dataclass
class TenderContext:
    business: Any
    checkout: Any  # finance.models.Checkout, saved
    location: Any
    client: Any  # the salon's client card (clients.Client) or None: walk-ins pay like anyone
    currency: str
    actor: Any
    now: datetime
    appointment: Any = None
    extra: dict = field(default_factory=dict)
    account: Any = None  # the card's online account (accounts.User), when there is one


def tender_card(*, business, appointment=None, user=None):
    """The client card a checkout's tenders belong to: the visit's card, else
    the account's card at the salon (found or created, as the booking does)."""
    if appointment is not None and appointment.client_card_id is not None:
        return appointment.client_card
    if user is None:
        return None
    from solibook.clients.services import client_card_for_booking

    return client_card_for_booking(business=business, user=user)


Callback = Callable[[TenderContext, int, dict], Any]


@dataclass(frozen=True)
class TenderKind:
    code: str
    label: Any
    account: str
    validate: Callback | None = None
    apply: Callback | None = None
    needs_client: bool = False


_REGISTRY: dict[str, TenderKind] = {}


def register_tender(
    code: str,
    *,
    label,
    account: str,
    validate: Callback | None = None,
    apply: Callback | None = None,
    needs_client: bool = False,
) -> TenderKind:
    if not accounts.is_valid(account):
        raise ValueError(f"Unknown ledger account {account!r}")
    kind = TenderKind(
        code=code,
        label=label,
        account=account,
        validate=validate,
        apply=apply,
        needs_client=needs_client,
    )
    _REGISTRY[code] = kind
    return kind


def get_tender(code: str) -> TenderKind:
    kind = _REGISTRY.get(code)
    if kind is None:
        raise ValidationFailed(
            _("Unknown way of paying: %(kind)s.") % {"kind": code},
            code="tender_unknown",
            fields={"tenders": [_("Unknown way of paying.")]},
        )
    return kind


def tender_kinds() -> list[TenderKind]:
    return list(_REGISTRY.values())


# --- built-in tenders ----------------------------------------------------------


def _online_payment(ctx: TenderContext, data: dict, *, lock: bool):
    from solibook.finance.models import Payment

    payment_id = data.get("payment_id")
    if not isinstance(payment_id, int):
        raise ValidationFailed(
            _("Choose the online payment to use."),
            code="tender_payment_missing",
            fields={"tenders": [_("Choose the online payment to use.")]},
        )
    query = Payment.objects.filter(
        business=ctx.business, pk=payment_id, tender="online", state=Payment.State.CAPTURED
    )
    if lock:
        query = query.select_for_update()
    payment = query.first()
    if payment is None:
        raise ValidationFailed(
            _("This online payment is not available."), code="tender_payment_unavailable"
        )
    if ctx.appointment is not None and payment.appointment_id not in (None, ctx.appointment.pk):
        raise ValidationFailed(
            _("This online payment belongs to another visit."), code="tender_payment_other_visit"
        )
    return payment


def _online_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    payment = _online_payment(ctx, data, lock=True)
    if payment.currency != ctx.currency:
        raise ValidationFailed(
            _("This payment is in %(currency)s, the checkout in %(other)s.")
            % {"currency": payment.currency, "other": ctx.currency},
            code="currency_mismatch",
        )
    left = payment.amount_captured - payment.amount_refunded - payment.amount_applied
    if amount > left:
        raise ValidationFailed(
            _("Only %(left)s of this online payment is left to use.") % {"left": left},
            code="tender_payment_exceeded",
        )


def _online_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    from solibook.finance.models import Payment

    # Conditional update under the row lock taken in validate: never past what is kept.
    updated = Payment.objects.filter(
        pk=data["payment_id"],
        amount_applied__lte=F("amount_captured") - F("amount_refunded") - amount,
    ).update(amount_applied=F("amount_applied") + amount)
    if not updated:
        raise ValidationFailed(
            _("This online payment has already been used."), code="tender_payment_exceeded"
        )
    return {"payment_id": data["payment_id"]}


def _gift_card_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    from solibook.finance.services.giftcards import gift_card_check

    gift_card_check(
        business=ctx.business,
        code=str(data.get("code", "")),
        amount=amount,
        currency=ctx.currency,
        now=ctx.now,
    )


def _gift_card_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    from solibook.finance.services.giftcards import gift_card_spend

    card = gift_card_spend(
        business=ctx.business,
        code=str(data.get("code", "")),
        amount=amount,
        currency=ctx.currency,
        now=ctx.now,
        checkout=ctx.checkout,
    )
    return {"gift_card_id": card.pk, "code_last4": card.code_last4}


def _client_credit_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    from solibook.accounts.models import User
    from solibook.finance import ledger

    if ctx.account is None:  # the ledger's client credit is kept per online account
        raise ValidationFailed(
            _("Client credit needs a client on the checkout."), code="tender_needs_client"
        )
    # Serialise spends of one client's credit on the client's row.
    User.objects.select_for_update().filter(pk=ctx.account.pk).first()
    held = -ledger.balance(
        business=ctx.business,
        account=accounts.CLIENT_CREDIT,
        currency=ctx.currency,
        user=ctx.account,
    )
    if amount > held:
        raise ValidationFailed(
            _("The client has only %(held)s of credit.") % {"held": held},
            code="client_credit_insufficient",
        )


register_tender("cash", label=gettext_lazy("Cash"), account=accounts.CASH)
register_tender("card", label=gettext_lazy("Card"), account=accounts.CARD)
register_tender(
    "online",
    label=gettext_lazy("Paid online"),
    account=accounts.DEPOSITS_HELD,
    validate=_online_validate,
    apply=_online_apply,
)
register_tender(
    "gift_card",
    label=gettext_lazy("Gift card"),
    account=accounts.GIFT_CARDS_OUTSTANDING,
    validate=_gift_card_validate,
    apply=_gift_card_apply,
)
register_tender(
    "client_credit",
    label=gettext_lazy("Client credit"),
    account=accounts.CLIENT_CREDIT,
    validate=_client_credit_validate,
    needs_client=True,
)
