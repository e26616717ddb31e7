"""A referral discount voucher as a way of paying at finance's checkout.

`referral_voucher` debits `expenses:referral-rewards` (the salon funds its
referral discounts); data `{"voucher_id": N}`; the amount may not exceed the
voucher's. `apply` uses the voucher once (a conditional update).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.core.errors import ValidationFailed
from solibook.finance import accounts
from solibook.finance.tenders import TenderContext, register_tender
from solibook.referrals import services
from solibook.referrals.models import Voucher


def _voucher(ctx: TenderContext, amount: int, data: dict) -> Voucher:
    voucher_id = data.get("voucher_id")
    voucher = None
    if ctx.client is not None and isinstance(voucher_id, int) and not isinstance(voucher_id, bool):
        voucher = Voucher.objects.filter(
            business=ctx.business, client=ctx.client, pk=voucher_id
        ).first()
    if voucher is None:
        message = _("No such voucher.")
        raise ValidationFailed(message, code="voucher_unknown", fields={"tenders": [message]})
    now = ctx.now or timezone.now()
    if (
        voucher.used_at
        or voucher.void_at
        or (voucher.expires_at and voucher.expires_at <= now)
        or voucher.available_at > now
    ):
        message = _("This voucher is no longer valid.")
        raise ValidationFailed(message, code="voucher_invalid", fields={"tenders": [message]})
    if amount > voucher.amount or voucher.currency != ctx.currency:
        message = _("This voucher is worth %(amount)s at most.") % {"amount": voucher.amount}
        raise ValidationFailed(message, code="voucher_exceeded", fields={"tenders": [message]})
    return voucher


def voucher_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    _voucher(ctx, amount, data)


def voucher_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    voucher = _voucher(ctx, amount, data)
    services.voucher_redeem(
        business=ctx.business,
        client=ctx.client,
        voucher_id=voucher.pk,
        appointment=ctx.appointment,
        now=ctx.now,
    )
    return {"voucher_id": voucher.pk}


register_tender(
    "referral_voucher",
    label=gettext_lazy("Referral voucher"),
    account=accounts.expenses("referral-rewards"),
    validate=voucher_validate,
    apply=voucher_apply,
    needs_client=True,
)
