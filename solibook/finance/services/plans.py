"""What a salon sells besides visits: products, package plans, memberships.

Packages are sold at checkout (a `package` line) and used at checkout (a
service line with `client_package_id`). Memberships are charged a month at a
time: at the desk (cash / card) or from the client's saved card, renewed by
the `memberships_renew` task; each period is one ledger posting with an
idempotency key (membership, period start), so a retried renewal charges
once.
"""

import calendar
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.accounts.models import User
from solibook.catalog.models import Service
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.finance import accounts, ledger, taxes
from solibook.finance.ledger import Line
from solibook.finance.models import (
    ClientMembership,
    MembershipPlan,
    PackagePlan,
    Payment,
    Product,
    SavedPaymentMethod,
)
from solibook.finance.payments import ProviderError, provider_for
from solibook.finance.services.common import (
    actor_or_none,
    finance_settings,
    positive_amount,
    same_currency,
)


def add_month(when: datetime) -> datetime:
    """The same day next month (the 31st becomes the month's last day)."""
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    return when.replace(
        year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1])
    )


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(
            _("Give a name (up to 200 characters)."),
            code="invalid",
            fields={"name": [_("Give a name (up to 200 characters).")]},
        )
    return name


def product_create(
    *,
    business,
    name: str,
    price_amount: int,
    currency: str,
    sku: str = "",
    tax_rate: int | None = None,
    actor=None,
) -> Product:
    same_currency(business.currency, currency)
    positive_amount(price_amount, "price_amount", maximum=10**8)
    if tax_rate is not None and not 0 <= tax_rate <= 10000:
        raise ValidationFailed(
            _("A tax rate is between 0 and 10000 basis points."),
            code="invalid",
            fields={"tax_rate": [_("Between 0 and 10000.")]},
        )
    product = Product.objects.create(
        business=business,
        name=_name(name),
        sku=(sku or "")[:64],
        price_amount=price_amount,
        currency=currency,
        tax_rate=tax_rate,
    )
    audit_log(
        action="finance.product_created", actor=actor_or_none(actor), business=business, obj=product
    )
    return product


def package_plan_create(
    *,
    business,
    name: str,
    service_id: int,
    visits: int,
    price_amount: int,
    currency: str,
    validity_days: int = 365,
    actor=None,
) -> PackagePlan:
    same_currency(business.currency, currency)
    positive_amount(price_amount, "price_amount", maximum=10**8)
    service = Service.objects.filter(business=business, pk=service_id).first()
    if service is None:
        raise NotFound(_("No such service."), fields={"service_id": [_("No such service.")]})
    if not isinstance(visits, int) or not 1 <= visits <= 100:
        raise ValidationFailed(
            _("A package has 1 to 100 visits."),
            code="invalid",
            fields={"visits": [_("Between 1 and 100.")]},
        )
    if not isinstance(validity_days, int) or not 1 <= validity_days <= 3650:
        raise ValidationFailed(
            _("Validity is 1 to 3650 days."),
            code="invalid",
            fields={"validity_days": [_("Between 1 and 3650.")]},
        )
    plan = PackagePlan.objects.create(
        business=business,
        name=_name(name),
        service=service,
        visits=visits,
        price_amount=price_amount,
        currency=currency,
        validity_days=validity_days,
    )
    audit_log(
        action="finance.package_plan_created",
        actor=actor_or_none(actor),
        business=business,
        obj=plan,
    )
    return plan


def membership_plan_create(
    *, business, name: str, price_amount: int, currency: str, discount_percent: int = 0, actor=None
) -> MembershipPlan:
    same_currency(business.currency, currency)
    positive_amount(price_amount, "price_amount", maximum=10**8)
    if not isinstance(discount_percent, int) or not 0 <= discount_percent <= 100:
        raise ValidationFailed(
            _("A percentage is between 0 and 100."),
            code="invalid",
            fields={"discount_percent": [_("Between 0 and 100.")]},
        )
    plan = MembershipPlan.objects.create(
        business=business,
        name=_name(name),
        price_amount=price_amount,
        currency=currency,
        discount_percent=discount_percent,
    )
    audit_log(
        action="finance.membership_plan_created",
        actor=actor_or_none(actor),
        business=business,
        obj=plan,
    )
    return plan


def _post_period(
    business,
    membership: ClientMembership,
    tender_account: str,
    period_start: datetime,
    now: datetime,
) -> None:
    settings_row = finance_settings(business)
    rate = (
        (
            settings_row.service_tax_rate
            if settings_row.service_tax_rate is not None
            else taxes.standard_rate(business.country)
        )
        if settings_row.vat_registered
        else 0
    )
    net, tax, gross = taxes.split(
        membership.plan.price_amount, rate, inclusive=settings_row.prices_include_tax
    )
    c = membership.plan.currency
    lines = [Line(tender_account, gross, c), Line(accounts.MEMBERSHIP_REVENUE, -net, c)]
    if tax:
        lines.append(Line(accounts.TAXES_PAYABLE, -tax, c))
    ledger.post(
        business=business,
        kind="membership",
        memo=f"Membership {membership.plan.name} from {period_start:%Y-%m-%d}",
        lines=lines,
        reference=f"membership:{membership.pk}",
        idempotency_key=f"membership:{membership.pk}:{period_start.isoformat()}",
        occurred_at=now,
    )
    Payment.objects.create(
        business=business,
        purpose=Payment.Purpose.MEMBERSHIP,
        tender="online" if tender_account == accounts.ONLINE else tender_account,
        provider="",
        state=Payment.State.CAPTURED,
        amount=gross,
        amount_captured=gross,
        currency=c,
        account=membership.account,
        detail={"membership_id": membership.pk, "period_start": period_start.isoformat()},
        created_at=now,
    )


def membership_start(
    *, business, plan_id: int, account_id: int, tender: str, actor=None, now: datetime | None = None
) -> ClientMembership:
    """Start a membership and take the first month (cash / card at the desk, or
    `online`: the client's saved card, renewed automatically each month)."""
    now = now or timezone.now()
    if tender not in ("cash", "card", "online"):
        raise ValidationFailed(
            _("Choose cash, card or the saved card."),
            code="invalid",
            fields={"tender": [_("Choose cash, card or the saved card.")]},
        )
    plan = MembershipPlan.objects.filter(business=business, pk=plan_id, is_active=True).first()
    if plan is None:
        raise NotFound(
            _("No such membership plan."), fields={"plan_id": [_("No such membership plan.")]}
        )
    same_currency(business.currency, plan.currency)
    account = User.objects.filter(pk=account_id, appointments__business=business).distinct().first()
    if account is None:
        raise NotFound(_("No such client."), fields={"account_id": [_("No such client.")]})
    if tender == "online":
        _charge_saved_card(
            business,
            account,
            plan.price_amount,
            plan.currency,
            key=f"membership:{plan.pk}:{account.pk}:{now:%Y%m%d}",
        )
    try:
        with transaction.atomic():
            membership = ClientMembership.objects.create(
                business=business,
                plan=plan,
                account=account,
                tender=tender,
                current_period_start=now,
                current_period_end=add_month(now),
                created_at=now,
            )
            _post_period(
                business, membership, accounts.ONLINE if tender == "online" else tender, now, now
            )
            audit_log(
                action="finance.membership_started",
                actor=actor_or_none(actor),
                business=business,
                obj=membership,
            )
    except IntegrityError:
        raise Conflict(
            _("The client already has this membership."), code="membership_exists"
        ) from None
    return membership


def _charge_saved_card(business, account, amount: int, currency: str, *, key: str) -> None:
    settings_row = finance_settings(business)
    provider = provider_for(settings_row)
    saved = (
        SavedPaymentMethod.objects.filter(
            business=business, account=account, provider=provider.code
        )
        .exclude(method_ref="")
        .first()
    )
    if not provider.online or saved is None:
        raise ValidationFailed(_("The client has no saved card."), code="no_saved_card")
    try:
        intent = provider.create_intent(
            amount=amount,
            currency=currency,
            capture_manual=False,
            account=settings_row.stripe_account_id,
            idempotency_key=key,
            metadata={"business_id": business.pk, "purpose": "membership"},
            customer=saved.customer_ref,
            payment_method=saved.method_ref,
            off_session=True,
        )
    except ProviderError as exc:
        raise ValidationFailed(exc.message, code=f"payment_{exc.code}"[:60]) from exc
    if intent.status != "succeeded":
        raise ValidationFailed(_("The card could not be charged."), code="payment_failed")


def membership_renew(
    *, business, membership_id: int, now: datetime | None = None
) -> ClientMembership:
    """Charge the next period of a membership that is due (saved card), or mark
    it past due. Desk-paid memberships are renewed with `tender`=cash/card by
    calling this with `desk_tender`."""
    now = now or timezone.now()
    membership = (
        ClientMembership.objects.select_related("plan", "account")
        .filter(business=business, pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such membership."))
    if membership.state == ClientMembership.State.CANCELLED or membership.current_period_end > now:
        return membership
    period_start = membership.current_period_end
    if membership.tender == "online":
        try:
            _charge_saved_card(
                business,
                membership.account,
                membership.plan.price_amount,
                membership.plan.currency,
                key=f"membership:{membership.pk}:{period_start.isoformat()}",
            )
        except ValidationFailed:
            ClientMembership.objects.filter(pk=membership.pk).update(
                state=ClientMembership.State.PAST_DUE
            )
            audit_log(action="finance.membership_past_due", business=business, obj=membership)
            membership.refresh_from_db()
            return membership
    else:
        # Paid at the desk: it lapses until the client pays again.
        ClientMembership.objects.filter(pk=membership.pk).update(
            state=ClientMembership.State.PAST_DUE
        )
        membership.refresh_from_db()
        return membership
    with transaction.atomic():
        locked = ClientMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.current_period_end != period_start:
            return locked  # renewed meanwhile
        _post_period(business, locked, accounts.ONLINE, period_start, now)
        locked.current_period_start, locked.current_period_end = (
            period_start,
            add_month(period_start),
        )
        locked.state, locked.renewals = ClientMembership.State.ACTIVE, locked.renewals + 1
        locked.save(
            update_fields=["current_period_start", "current_period_end", "state", "renewals"]
        )
        audit_log(
            action="finance.membership_renewed",
            business=business,
            obj=locked,
            data={"period_start": period_start.isoformat()},
        )
    return locked


def membership_cancel(*, business, membership_id: int, actor=None) -> ClientMembership:
    membership = ClientMembership.objects.filter(business=business, pk=membership_id).first()
    if membership is None:
        raise NotFound(_("No such membership."))
    ClientMembership.objects.filter(pk=membership.pk).update(state=ClientMembership.State.CANCELLED)
    audit_log(
        action="finance.membership_cancelled",
        actor=actor_or_none(actor),
        business=business,
        obj=membership,
    )
    membership.refresh_from_db()
    return membership


def memberships_renew_due(*, now: datetime | None = None) -> int:
    """The monthly renewal run (a task): every membership whose period ended."""
    from solibook.catalog.models import Business

    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            ClientMembership.objects.filter(
                state=ClientMembership.State.ACTIVE, current_period_end__lte=now
            ).values_list("business_id", "pk")
        )
    renewed = 0
    for business_id, membership_id in due:
        business = Business.objects.get(pk=business_id)
        with business_scope(business):
            result = membership_renew(business=business, membership_id=membership_id, now=now)
            renewed += result.state == ClientMembership.State.ACTIVE
    return renewed
