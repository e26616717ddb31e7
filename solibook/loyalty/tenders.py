"""Loyalty points and wallet credit as ways of paying at finance's checkout.

Registered with `finance.tenders.register_tender`; the checkout calls
`validate` (refuse with a message, write nothing) then `apply` inside its one
transaction, after it has debited the tender's account in the ledger:
- `loyalty_points` (account `loyalty_points`, an expense: the salon gives
  the discount): data `{"points": N}`; the amount must be N × the point's
  value. `apply` redeems the points under the account's row lock, so two
  checkouts spending the same points cannot both pass.
- `wallet_credit` (account `wallet_credit`, the client's credit, a
  liability): `apply` spends the card's credit at the salon under its row lock.

`ctx.client` is the salon's client card, so a walk-in or a phone client
pays with points and credit like a person with an online account.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.core.errors import refuse
from solibook.finance import accounts
from solibook.finance.tenders import TenderContext, register_tender
from solibook.loyalty import selectors, services

NON_EARNING_TENDERS = ("loyalty_points", "wallet_credit", "referral_voucher")


def _points_of(ctx: TenderContext, amount: int, data: dict) -> int:
    if ctx.client is None:
        refuse(
            _("Paying with points needs a client on the checkout."),
            "tenders",
            code="tender_needs_client",
        )
    programme = selectors.programme_for(business=ctx.business)
    if not programme.is_active:
        refuse(_("This salon has no loyalty programme."), "tenders", code="programme_inactive")
    points = data.get("points")
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        refuse(_("Enter a positive number of points."), "tenders", code="points_invalid")
    if points * programme.point_value != amount:
        refuse(
            _("%(points)s points are worth %(value)s, not %(amount)s.")
            % {"points": points, "value": points * programme.point_value, "amount": amount},
            "tenders",
            code="points_value_mismatch",
        )
    return points


def points_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    points = _points_of(ctx, amount, data)
    balance = selectors.points_balance_of(business=ctx.business, client=ctx.client)
    if points > balance:
        refuse(
            _("You have %(balance)s points: you cannot redeem %(points)s.")
            % {"balance": balance, "points": points},
            "tenders",
            code="insufficient_points",
        )


def points_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    points = _points_of(ctx, amount, data)
    row = services.points_redeem(
        business=ctx.business,
        client=ctx.client,
        points=points,
        appointment=ctx.appointment,
        key=f"checkout:{ctx.checkout.pk}:points",
        now=ctx.now,
        actor=ctx.actor,
        check_price=False,
    )
    return {"points": points, "points_transaction_id": row.pk}


def wallet_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    if ctx.client is None:
        refuse(
            _("Paying with wallet credit needs a client on the checkout."),
            "tenders",
            code="tender_needs_client",
        )
    if amount > selectors.wallet_spendable(client=ctx.client, currency=ctx.currency, now=ctx.now):
        refuse(_("Your wallet holds less than this amount."), "tenders", code="insufficient_credit")


def wallet_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    row = services.wallet_spend(
        client=ctx.client,
        amount=amount,
        currency=ctx.currency,
        appointment=ctx.appointment,
        key=f"checkout:{ctx.checkout.pk}:wallet",
        now=ctx.now,
    )
    return {"wallet_transaction_id": row.pk}


register_tender(
    "loyalty_points",
    label=gettext_lazy("Loyalty points"),
    account=accounts.LOYALTY_POINTS,
    validate=points_validate,
    apply=points_apply,
    needs_client=True,
)
register_tender(
    "wallet_credit",
    label=gettext_lazy("Wallet credit"),
    account=accounts.WALLET_CREDIT,
    validate=wallet_validate,
    apply=wallet_apply,
    needs_client=True,
)
