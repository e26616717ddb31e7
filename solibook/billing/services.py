"""Writes of billing: subscriptions, charges, invoices, credit notes, payments.

Every write runs in one transaction that locks the business's `Subscription`
row first (one writer per salon at a time), and an invoice's number is taken
from its series' `InvoiceCounter` row under a row lock in the same transaction:
two invoices issued at once wait for each other, numbers have no gaps, and a
number, once taken, is never given again (a regenerated invoice is voided and
keeps its number).

Both books are posted when a document is issued (`_post_document`): the
platform's receivable from the salon against each kind's revenue (subscription
and plan changes, commission, promotion, SMS; credits given) and the VAT it
owes; the salon's platform fees and deductible VAT against what it owes the
platform. A payment moves the receivable (and the salon's payable) to the bank;
a credit note posts the same with the opposite sign; a voided invoice is
reversed. So, per salon and currency, the platform's receivable is what the
salon's open invoices still ask for, less credit notes not yet deducted.

SMS sent for a salon are recorded once each (`sms_record`): free within the
month's credits of its plan, then charged at the SMS price of its billing
currency; the invoice gathers them in one "SMS" line with their count.
"""

import calendar
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from solibook.billing import selectors, signals
from solibook.billing.labels import plan_name
from solibook.billing.models import (
    Charge,
    ChargeKind,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoicePayment,
    Plan,
    Subscription,
)
from solibook.catalog.models import Business, Location, Master
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed, refuse
from solibook.finance import accounts, ledger, taxes
from solibook.finance.models import LedgerTransaction

KINDS = {k.value for k in ChargeKind}
PAYABLE_DAYS = 14
LANGUAGES = {"en", "fr", "ru", "ar"}
COUNTRY_LANGUAGE = {"FR": "fr", "BE": "fr", "CH": "fr", "LU": "fr", "MA": "fr", "TN": "fr"}
COUNTRY_LANGUAGE |= {"RU": "ru", "BY": "ru", "KZ": "ru"}
COUNTRY_LANGUAGE |= dict.fromkeys(("SA", "AE", "BH", "OM", "EG", "DZ", "QA", "KW"), "ar")
# The platform's revenue account of each kind of charge.
REVENUE_ACCOUNTS = {
    ChargeKind.SUBSCRIPTION: accounts.SUBSCRIPTIONS,
    ChargeKind.PRORATION: accounts.SUBSCRIPTIONS,
    ChargeKind.COMMISSION: accounts.COMMISSION_INCOME,
    ChargeKind.PROMOTION: accounts.PROMOTION,
    ChargeKind.SMS: accounts.SMS_INCOME,
    ChargeKind.CREDIT: accounts.CREDITS_GRANTED,
}
# A paid invoice's credit note waits for the next invoice under this source prefix:
# VAT included and already in the ledger, so it is deducted after VAT, never taxed again.
SETTLED_CREDIT = "credit-note:"
SALON_CREDIT = "salon-credit:"  # + referrals.SubscriptionCredit id
ISSUED = "invoice_issued"


# --- helpers ------------------------------------------------------------------------


def _month(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    last = calendar.monthrange(start.year, start.month)[1]
    return start, start + timedelta(days=last)


def _prorate(amount: int, *, start: date, end: date, period: tuple[date, date]) -> int:
    """`amount` for the days [start, end) of a month-long `period` (rounded half up)."""
    days = (period[1] - period[0]).days
    used = max((min(end, period[1]) - max(start, period[0])).days, 0)
    return (amount * used * 2 + days) // (2 * days)


def _plan(code: str) -> Plan:
    plan = selectors.plan_named(code)
    if plan is None:
        refuse(_("Choose one of the plans on offer."), "plan", code="unknown_plan")
    if plan.pk is None:  # the defaults, never seeded here (a flushed test database)
        plan, _created = Plan.objects.get_or_create(
            code=plan.code,
            defaults={f.name: getattr(plan, f.name) for f in Plan._meta.concrete_fields[2:]},
        )
    return plan


def _price(plan: Plan, currency: str) -> int:
    price = plan.price_in(currency)
    if price is None and plan.prices:
        refuse(
            _("The %(plan)s plan is not sold in %(currency)s.")
            % {"plan": plan_name(plan.code), "currency": currency},
            "plan",
            code="currency_unavailable",
        )
    return price or 0


def language_of(business: Business) -> str:
    """The salon's language for its invoices: its owner's, else its country's."""
    from solibook.accounts.models import Membership

    with scopes_disabled():
        owner = (
            Membership.objects.filter(business=business, role="owner")
            .select_related("user")
            .order_by("id")
            .first()
        )
    if owner is not None and owner.user.language[:2] in LANGUAGES:
        return owner.user.language[:2]
    return COUNTRY_LANGUAGE.get(business.country.upper(), "en")


def _locked_subscription(business) -> Subscription | None:
    """Lock the business's row (one billing writer per salon at a time, with or without a
    subscription), then return its subscription."""
    list(Business.objects.select_for_update().filter(pk=business.pk).values_list("pk", flat=True))
    with scopes_disabled():
        return Subscription.objects.select_for_update().filter(business=business).first()


def usage_of(business) -> dict[str, int]:
    with scopes_disabled():
        return {
            "masters": Master.objects.filter(business=business, is_active=True).count(),
            "locations": Location.objects.filter(business=business).count(),
        }


def limit_check(*, business, what: str, adding: int = 1) -> None:
    """Refuse one more master or location than the business's plan allows
    (catalog's creation services call this through `catalog.limits`). A business
    without a subscription (created before plans existed) is not limited."""
    if selectors.subscription_of(business) is None:
        return
    plan = selectors.plan_of(business)
    limit = {"masters": plan.max_masters, "locations": plan.max_locations}.get(what)
    if limit is None:
        return
    used = usage_of(business)[what]
    if used + adding > limit:
        messages = {
            "masters": ngettext(
                "Your %(plan)s plan allows %(limit)d master; change plan to add more.",
                "Your %(plan)s plan allows %(limit)d masters; change plan to add more.",
                limit,
            ),
            "locations": ngettext(
                "Your %(plan)s plan allows %(limit)d location; change plan to add more.",
                "Your %(plan)s plan allows %(limit)d locations; change plan to add more.",
                limit,
            ),
        }
        raise ValidationFailed(
            messages[what] % {"plan": plan_name(plan.code), "limit": limit},
            code="plan_limit",
            extra={"limit": limit, "used": used},
        )


# --- charges ------------------------------------------------------------------------


def charge_record(
    *,
    business,
    kind: str,
    amount: int,
    currency: str,
    description: str,
    source: str,
    reverses: str = "",
    now: datetime | None = None,
) -> Charge:
    """Record an amount the salon owes the platform (negative: a credit) for its next
    invoice. Idempotent per `source`: the same source returns the first charge.

    `reverses`: the source of an earlier charge this one cancels (a refunded visit's
    commission). When that charge is already on an issued invoice, a credit note is
    issued at once for it (an issued invoice is never edited)."""
    now = now or timezone.now()
    if kind not in KINDS:
        refuse(_("Unknown kind of charge."), "kind", code="invalid_kind")
    if not source or len(source) > 120:
        refuse(_("A charge needs a source of at most 120 characters."), "source")
    if not isinstance(amount, int) or isinstance(amount, bool):
        refuse(_("Amounts are whole numbers of minor units."), "amount")
    currency = (currency or "").upper()
    with transaction.atomic(), scopes_disabled():
        _locked_subscription(business)
        with scopes_disabled():
            existing = Charge.objects.filter(business=business, source=source).first()
            if existing is not None:
                return existing
            reversed_charge = None
            if reverses:
                reversed_charge = (
                    Charge.objects.select_related("invoice")
                    .filter(business=business, source=reverses)
                    .first()
                )
                if reversed_charge is None:
                    raise NotFound(_("No such charge to reverse."), code="charge_not_found")
            charge = Charge.objects.create(
                business=business,
                kind=kind,
                amount=amount,
                currency=currency,
                description=description[:300],
                source=source,
                reverses=reversed_charge,
                created_at=now,
            )
            if (
                reversed_charge is not None
                and reversed_charge.invoice is not None
                and reversed_charge.invoice.status != Invoice.Status.VOID
            ):
                _credit_note(
                    business=business,
                    invoice=reversed_charge.invoice,
                    charges=[charge],
                    now=now,
                )
        audit_log(
            action="billing.charge_recorded",
            business=business,
            obj=charge,
            data={"kind": kind, "amount": amount, "currency": currency, "source": source},
        )
    return charge


def sms_record(*, business, source: str, now: datetime | None = None) -> Charge:
    """One SMS sent on behalf of `business` (`source`: the message, e.g. the
    notification's id; once per source, whoever calls twice). The month's first
    `Plan.sms_credits_month` messages are free (a charge of 0, counted); the next
    ones cost the SMS price of the salon's billing currency (`selectors.sms_price`)."""
    now = now or timezone.now()
    if not source or len(source) > 116:
        refuse(_("A charge needs a source of at most 120 characters."), "source")
    key = f"sms:{source}"
    with transaction.atomic(), scopes_disabled():
        subscription = _locked_subscription(business)  # one counter per salon at a time
        existing = Charge.objects.filter(business=business, source=key).first()
        if existing is not None:
            return existing
        usage = selectors.sms_usage(business, now=now)
        currency = subscription.currency if subscription else business.currency
        price = selectors.sms_price(currency)
        free = usage.sent < usage.included
        with translation.override(language_of(business)):
            description = _("SMS included in your plan") if free else _("SMS")
        return charge_record(
            business=business,
            kind=ChargeKind.SMS,
            amount=0 if free else price,
            currency=currency,
            description=description,
            source=key,
            now=now,
        )


# --- subscriptions ------------------------------------------------------------------


def subscription_start(*, business, plan_code: str, actor=None, now: datetime | None = None):
    """Put a business on a plan (a new salon at onboarding; a second call changes the plan).
    A plan with a trial starts with it the first time; otherwise the rest of the month
    is charged in proportion."""
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        current = _locked_subscription(business)
        if current is not None:
            return subscription_change(business=business, plan_code=plan_code, actor=actor, now=now)
        plan = _plan(plan_code)
        price = _price(plan, business.currency)
        today = now.date()
        period = _month(today)
        trial = plan.trial_days and price
        subscription = Subscription.objects.create(
            business=business,
            plan=plan,
            status=Subscription.Status.TRIALING if trial else Subscription.Status.ACTIVE,
            currency=business.currency,
            started_at=now,
            trial_ends_at=now + timedelta(days=plan.trial_days) if trial else None,
            period_start=period[0],
            period_end=period[1],
            updated_at=now,
        )
        if price and not trial:
            _subscription_charge(subscription, plan, price, start=today, period=period, now=now)
        audit_log(
            action="billing.subscription_started",
            actor=actor,
            business=business,
            obj=subscription,
            data={"plan": plan.code},
        )
    return subscription


def _subscription_charge(subscription, plan, price, *, start: date, period, now) -> None:
    amount = _prorate(price, start=start, end=period[1], period=period)
    if amount <= 0:
        return
    with translation.override(language_of(subscription.business)):
        description = _("%(plan)s plan, %(start)s – %(end)s") % {
            "plan": plan_name(plan.code),
            "start": start.isoformat(),
            "end": (period[1] - timedelta(days=1)).isoformat(),
        }
    charge_record(
        business=subscription.business,
        kind=ChargeKind.SUBSCRIPTION,
        amount=amount,
        currency=subscription.currency,
        description=description,
        source=f"sub:{subscription.pk}:{period[0]:%Y-%m}:{plan.code}:{start:%d}",
        now=now,
    )


def subscription_change(
    *, business, plan_code: str, actor=None, now: datetime | None = None
) -> Subscription:
    """Upgrade or downgrade. The difference for the rest of the month is charged or
    credited in proportion (a trial changes plan without charge). Refused: a plan
    whose limits are below what the salon uses now."""
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        subscription = _locked_subscription(business)
        if subscription is None:
            return subscription_start(business=business, plan_code=plan_code, actor=actor, now=now)
        plan = _plan(plan_code)
        old = subscription.plan
        if plan.pk == old.pk and subscription.status != Subscription.Status.CANCELLED:
            raise Conflict(_("Your business is already on this plan."), code="same_plan")
        new_price = _price(plan, subscription.currency)
        used = usage_of(business)
        too_many = []
        if plan.max_masters is not None and used["masters"] > plan.max_masters:
            too_many.append(
                _("%(used)d active masters (the %(plan)s plan allows %(limit)d)")
                % {"used": used["masters"], "plan": plan_name(plan.code), "limit": plan.max_masters}
            )
        if plan.max_locations is not None and used["locations"] > plan.max_locations:
            too_many.append(
                _("%(used)d locations (the %(plan)s plan allows %(limit)d)")
                % {
                    "used": used["locations"],
                    "plan": plan_name(plan.code),
                    "limit": plan.max_locations,
                }
            )
        if too_many:
            message = _("Your business uses more than this plan allows: %(what)s.") % {
                "what": "; ".join(too_many)
            }
            raise ValidationFailed(message, code="over_plan_limits", fields={"plan": [message]})
        today = now.date()
        period = (subscription.period_start, subscription.period_end)
        trialing = subscription.status == Subscription.Status.TRIALING
        if not trialing and today < period[1]:
            old_price = old.price_in(subscription.currency) or 0
            difference = _prorate(
                new_price - old_price if new_price >= old_price else old_price - new_price,
                start=today,
                end=period[1],
                period=period,
            )
            if new_price < old_price:
                difference = -difference
            if difference:
                with translation.override(language_of(business)):
                    description = _("Plan change %(old)s → %(new)s, %(start)s – %(end)s") % {
                        "old": plan_name(old.code),
                        "new": plan_name(plan.code),
                        "start": today.isoformat(),
                        "end": (period[1] - timedelta(days=1)).isoformat(),
                    }
                charge_record(
                    business=business,
                    kind=ChargeKind.PRORATION,
                    amount=difference,
                    currency=subscription.currency,
                    description=description,
                    source=f"change:{subscription.pk}:{now.isoformat()}",
                    now=now,
                )
        if trialing and not new_price:
            subscription.status = Subscription.Status.ACTIVE
            subscription.trial_ends_at = None
        if subscription.status == Subscription.Status.CANCELLED:
            subscription.status = Subscription.Status.ACTIVE
        subscription.plan = plan
        subscription.updated_at = now
        subscription.save(update_fields=["plan", "status", "trial_ends_at", "updated_at"])
        audit_log(
            action="billing.plan_changed",
            actor=actor,
            business=business,
            obj=subscription,
            data={"from": old.code, "to": plan.code},
        )
    return subscription


def subscription_renew(*, subscription_id: int, now: datetime | None = None) -> bool:
    """Move a subscription to the month `now` is in, charging that month in advance
    (the part after a trial that ends in it). False when nothing was due."""
    now = now or timezone.now()
    today = now.date()
    with transaction.atomic(), scopes_disabled():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("plan", "business")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None or subscription.status == Subscription.Status.CANCELLED:
            return False
        if (
            subscription.status == Subscription.Status.TRIALING
            and subscription.trial_ends_at
            and subscription.trial_ends_at <= now
        ):
            subscription.status = Subscription.Status.ACTIVE
            price = subscription.plan.price_in(subscription.currency) or 0
            period = (subscription.period_start, subscription.period_end)
            start = subscription.trial_ends_at.date()
            if start < period[1] and price:
                _subscription_charge(
                    subscription, subscription.plan, price, start=start, period=period, now=now
                )
            subscription.save(update_fields=["status"])
        if today < subscription.period_end:
            return False
        period = _month(today)
        subscription.period_start, subscription.period_end = period
        subscription.save(update_fields=["period_start", "period_end"])
        trialing = subscription.status == Subscription.Status.TRIALING
        price = subscription.plan.price_in(subscription.currency) or 0
        if price and not trialing:
            _subscription_charge(
                subscription, subscription.plan, price, start=period[0], period=period, now=now
            )
    return True


# --- invoices -----------------------------------------------------------------------


def _next_number(series: str) -> int:
    """The next number of `series`, under the counter's row lock: held until the
    invoice's transaction commits, so no two invoices get one and none is skipped."""
    InvoiceCounter.objects.get_or_create(series=series)
    counter = InvoiceCounter.objects.select_for_update().get(series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _numbered(kind: str, now: datetime) -> tuple[str, int, str]:
    prefix = "CN" if kind == Invoice.Kind.CREDIT_NOTE else "INV"
    series = f"{prefix}-{now:%Y}"
    sequence = _next_number(series)
    return series, sequence, f"{series}-{sequence:06d}"


def _totals(net: int, country: str) -> tuple[int, int, int]:
    rate = taxes.standard_rate(country)
    _net, tax, gross = taxes.split(net, rate, inclusive=False)
    return rate, tax, gross


def _pull_subscription_credits(business, now) -> None:
    """Salon-refers-salon credit (`referrals.SubscriptionCredit`) becomes a credit charge."""
    from solibook.referrals.models import SubscriptionCredit

    with scopes_disabled():
        credits = list(SubscriptionCredit.objects.filter(business=business))
    for credit in credits:
        with translation.override(language_of(business)):
            description = _("Credit for a salon you invited")
        charge_record(
            business=business,
            kind=ChargeKind.CREDIT,
            amount=-int(credit.amount),
            currency=credit.currency,
            description=description,
            source=f"{SALON_CREDIT}{credit.pk}",
            now=min(now, credit.created_at),
        )


def _post_document(document: Invoice, by_account: dict[str, int], tax: int, now) -> None:
    """Both books for an issued invoice or credit note (`by_account`: the net amount of
    each platform revenue account, negative on a credit note; `tax`: its VAT): the
    platform's receivable against revenue and VAT payable, the salon's platform fees and
    deductible VAT against what it owes the platform. Once per document."""
    net = sum(by_account.values())
    currency = document.currency
    platform = [
        ledger.Line(accounts.RECEIVABLES, net + tax, currency),
        *(ledger.Line(account, -amount, currency) for account, amount in by_account.items()),
        ledger.Line(accounts.TAXES_PAYABLE, -tax, currency),
    ]
    if not any(line.amount for line in platform):
        return
    for business, lines in (
        (None, platform),
        (
            document.business,
            [
                ledger.Line(accounts.PLATFORM_FEES, net, currency),
                ledger.Line(accounts.TAXES_PAYABLE, tax, currency),
                ledger.Line(accounts.PAYABLES, -(net + tax), currency),
            ],
        ),
    ):
        ledger.post(
            business=business,
            kind=ISSUED,
            memo=document.number,
            reference=document.number,
            idempotency_key=f"billing-document:{document.pk}",
            lines=lines,
            occurred_at=now,
        )


def _account_of(charge: Charge) -> str:
    """The platform account a charge's amount goes to when invoiced. A salon-refers-salon
    credit was posted by referrals when granted (against `receivables`), so on the
    invoice it only settles that receivable."""
    if charge.source.startswith(SALON_CREDIT):
        return accounts.RECEIVABLES
    return REVENUE_ACCOUNTS[ChargeKind(charge.kind)]


def _by_account(charges) -> dict[str, int]:
    """What `charges` add up to on each account of the platform's books."""
    by_account: dict[str, int] = {}
    for c in charges:
        account = _account_of(c)
        by_account[account] = by_account.get(account, 0) + c.amount
    return by_account


def _lines(document: Invoice, rows: list[tuple[str, str, int]]) -> list[InvoiceLine]:
    """An invoice's or credit note's lines, in order, from (kind, description, amount)."""
    return [
        InvoiceLine(
            business_id=document.business_id,
            invoice=document,
            position=position,
            kind=kind,
            description=description,
            amount=amount,
        )
        for position, (kind, description, amount) in enumerate(rows)
    ]


def _void_posting(invoice: Invoice, now) -> None:
    """A voided invoice: the mirror of what its issue posted, on both books."""
    with scopes_disabled():
        issued = list(
            LedgerTransaction.objects.filter(
                kind=ISSUED, reference=invoice.number, reverses__isnull=True
            ).filter(Q(business_id=invoice.business_id) | Q(business__isnull=True))
        )
    for tx in issued:
        ledger.reverse(tx, memo=f"{invoice.number} void", occurred_at=now)


def _sms_line(charges: list[Charge]) -> str:
    count = len(charges)
    free = sum(1 for c in charges if c.amount == 0)
    return ngettext(
        "SMS: %(count)d message, %(free)d of them included in your plan",
        "SMS: %(count)d messages, %(free)d of them included in your plan",
        count,
    ) % {"count": count, "free": free}


def invoice_issue(*, business, now: datetime | None = None, replaces=None) -> Invoice | None:
    """Issue the invoice of every uninvoiced charge of the business (None when there is
    nothing to bill). SMS make one line with their count. Credits beyond what is owed
    carry over to the next invoice; a paid invoice's credit note (VAT included) is
    deducted from the total. Posted on both books at once (`_post_document`)."""
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        subscription = _locked_subscription(business)
        currency = subscription.currency if subscription else business.currency
        _pull_subscription_credits(business, now)
        with scopes_disabled():
            charges = list(
                Charge.objects.filter(
                    business=business, invoice__isnull=True, currency=currency, created_at__lte=now
                ).order_by("created_at", "id")
            )
        if not charges:
            return None
        taxable = [c for c in charges if not c.source.startswith(SETTLED_CREDIT)]
        settled = -sum(c.amount for c in charges if c.source.startswith(SETTLED_CREDIT))
        net = sum(c.amount for c in taxable)
        by_account = _by_account(taxable)
        language = language_of(business)
        series, sequence, number = _numbered(Invoice.Kind.INVOICE, now)
        period_start = min(c.created_at for c in charges).date().replace(day=1)
        if subscription is not None:
            period_start = min(period_start, subscription.period_start)
        invoice = Invoice.objects.create(
            business=business,
            kind=Invoice.Kind.INVOICE,
            series=series,
            sequence=sequence,
            number=number,
            replaces=replaces,
            period_start=period_start,
            period_end=now.date() + timedelta(days=1),
            issued_at=now,
            due_at=now + timedelta(days=PAYABLE_DAYS),
            currency=currency,
            language=language,
            country=business.country.upper(),
        )
        rows: list[tuple[str, str, int]] = []

        def add(kind: str, description: str, amount: int) -> None:
            rows.append((kind, description, amount))

        sms = [c for c in taxable if c.kind == ChargeKind.SMS]
        with translation.override(language):
            for c in taxable:
                if c.kind != ChargeKind.SMS:
                    add(c.kind, c.description, c.amount)
                elif c is sms[0]:
                    add(ChargeKind.SMS, _sms_line(sms), sum(x.amount for x in sms))
            carried = _("Credit carried forward to your next invoice")
        if net < 0:  # more credit than charges: the rest waits for the next invoice
            add(ChargeKind.CREDIT, carried, -net)
            by_account[accounts.CREDITS_GRANTED] = by_account.get(accounts.CREDITS_GRANTED, 0) - net
            Charge.objects.create(
                business=business,
                kind=ChargeKind.CREDIT,
                amount=net,
                currency=currency,
                description=carried,
                source=f"carried:{invoice.number}",
                created_at=now + timedelta(microseconds=1),
            )
            net = 0
        InvoiceLine.objects.bulk_create(_lines(invoice, rows))
        Charge.objects.filter(pk__in=[c.pk for c in charges]).update(invoice=invoice)
        rate, tax, gross = _totals(net, invoice.country)
        deducted = min(settled, gross)
        if settled > deducted:  # a credit note larger than this invoice: the rest waits
            Charge.objects.create(
                business=business,
                kind=ChargeKind.CREDIT,
                amount=deducted - settled,
                currency=currency,
                description=carried,
                source=f"{SETTLED_CREDIT}{invoice.number}:rest",
                created_at=now + timedelta(microseconds=1),
            )
        invoice.vat_rate_bp, invoice.net_total, invoice.tax_total, invoice.total = (
            rate,
            net,
            tax,
            gross - deducted,
        )
        if invoice.total == 0:
            invoice.status, invoice.paid_at = Invoice.Status.PAID, now
        invoice.save(
            update_fields=["vat_rate_bp", "net_total", "tax_total", "total", "status", "paid_at"]
        )
        _post_document(invoice, by_account, tax, now)
        # In this transaction: what was invoiced says so when the invoice commits.
        signals.invoice_issued.send(
            sender=Invoice, invoice=invoice, sources=[c.source for c in charges]
        )
        audit_log(
            action="billing.invoice_issued",
            business=business,
            obj=invoice,
            data={"number": number, "total": invoice.total, "currency": currency},
        )
    return invoice


def _credit_note(*, business, invoice: Invoice, charges: list[Charge], now) -> Invoice:
    """A credit note against `invoice` for `charges` (negative amounts). When the invoice
    was paid already, the credit also goes to the next invoice."""
    net = sum(c.amount for c in charges)
    series, sequence, number = _numbered(Invoice.Kind.CREDIT_NOTE, now)
    rate = invoice.vat_rate_bp
    _n, tax, gross = taxes.split(net, rate, inclusive=False)
    note = Invoice.objects.create(
        business=business,
        kind=Invoice.Kind.CREDIT_NOTE,
        series=series,
        sequence=sequence,
        number=number,
        status=Invoice.Status.ISSUED,
        credit_note_of=invoice,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        issued_at=now,
        due_at=now,
        currency=invoice.currency,
        language=invoice.language,
        country=invoice.country,
        vat_rate_bp=rate,
        net_total=net,
        tax_total=tax,
        total=gross,
    )
    InvoiceLine.objects.bulk_create(
        _lines(note, [(c.kind, c.description, c.amount) for c in charges])
    )
    Charge.objects.filter(pk__in=[c.pk for c in charges]).update(invoice=note)
    _post_document(note, _by_account(charges), tax, now)
    # What the salon no longer owes on the invoice; beyond it (a paid invoice, or a
    # note larger than what is left), a credit, VAT included, for the next invoice.
    beyond = -gross if invoice.status == Invoice.Status.PAID else 0
    if invoice.status == Invoice.Status.OPEN:
        with scopes_disabled():
            credited = (
                Invoice.objects.filter(credit_note_of=invoice).aggregate(s=Sum("total"))["s"] or 0
            )
        left = invoice.total + credited
        beyond = max(-left, 0)
        if left <= 0:
            Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PAID, paid_at=now)
    if beyond > 0:
        with translation.override(invoice.language):
            description = _("Credit note %(number)s") % {"number": number}
        Charge.objects.create(
            business=business,
            kind=ChargeKind.CREDIT,
            amount=-beyond,
            currency=invoice.currency,
            description=description,
            source=f"{SETTLED_CREDIT}{number}",
            created_at=now,
        )
    audit_log(
        action="billing.credit_note_issued",
        business=business,
        obj=note,
        data={"number": number, "invoice": invoice.number, "total": gross},
    )
    return note


def invoice_regenerate(
    *, business, invoice_id: int, actor=None, now: datetime | None = None
) -> Invoice:
    """Replace an unpaid invoice (its charges changed, a mistake): the old one is voided
    and keeps its number; the new one takes the next number. Never a reused number."""
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        _locked_subscription(business)
        with scopes_disabled():
            invoice = (
                Invoice.objects.select_for_update()
                .filter(business=business, pk=invoice_id, kind=Invoice.Kind.INVOICE)
                .first()
            )
        if invoice is None:
            raise NotFound(_("No such invoice."))
        if invoice.status != Invoice.Status.OPEN or invoice.credit_notes.exists():
            raise Conflict(
                _("Only an unpaid invoice without credit notes can be regenerated."),
                code="not_regenerable",
            )
        invoice.status = Invoice.Status.VOID
        invoice.save(update_fields=["status"])
        _void_posting(invoice, now)
        with scopes_disabled():
            Charge.objects.filter(invoice=invoice).update(invoice=None)
            Charge.objects.filter(
                business=business,
                source__in=[
                    f"carried:{invoice.number}",
                    f"{SETTLED_CREDIT}{invoice.number}:rest",
                ],
            ).delete()
        new = invoice_issue(business=business, now=now, replaces=invoice)
        if new is None:
            raise Conflict(_("Nothing is left to invoice."), code="nothing_to_invoice")
        audit_log(
            action="billing.invoice_regenerated",
            actor=actor,
            business=business,
            obj=new,
            data={"void": invoice.number, "new": new.number},
        )
    return new


def _invoice_for_update(business, invoice_id) -> Invoice:
    with scopes_disabled():
        invoice = (
            Invoice.objects.select_for_update()
            .filter(business=business, pk=invoice_id, kind=Invoice.Kind.INVOICE)
            .first()
        )
    if invoice is None:
        raise NotFound(_("No such invoice."))
    return invoice


def _record_payment(invoice, *, method, reference, actor, now) -> InvoicePayment:
    amount = selectors.amount_due(invoice)
    payment = InvoicePayment.objects.create(
        business=invoice.business,
        invoice=invoice,
        method=method,
        amount=amount,
        currency=invoice.currency,
        reference=reference[:200],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PAID, paid_at=now)
    if amount:  # the receivable (the salon's payable) becomes money in the bank
        for business, lines in (
            (
                None,
                [
                    ledger.Line(accounts.PLATFORM_BANK, amount, invoice.currency),
                    ledger.Line(accounts.RECEIVABLES, -amount, invoice.currency),
                ],
            ),
            (
                invoice.business,
                [
                    ledger.Line(accounts.PAYABLES, amount, invoice.currency),
                    ledger.Line(accounts.BANK, -amount, invoice.currency),
                ],
            ),
        ):
            ledger.post(
                business=business,
                kind="invoice_paid",
                memo=f"{invoice.number}",
                reference=invoice.number,
                idempotency_key=f"invoice-paid:{invoice.pk}",
                lines=lines,
                occurred_at=now,
            )
    audit_log(
        action="billing.invoice_paid",
        actor=actor,
        business=invoice.business,
        obj=invoice,
        data={"method": method, "amount": amount},
    )
    return payment


def invoice_mark_paid(
    *, invoice_id: int, actor=None, reference: str = "", now: datetime | None = None
) -> Invoice:
    """The operator saw the bank transfer arrive: the invoice is paid."""
    now = now or timezone.now()
    with scopes_disabled():
        business = Invoice.objects.filter(pk=invoice_id).values_list("business", flat=True).first()
    if business is None:
        raise NotFound(_("No such invoice."))
    business = Business.objects.get(pk=business)
    with transaction.atomic(), scopes_disabled():
        _locked_subscription(business)
        invoice = _invoice_for_update(business, invoice_id)
        if invoice.status != Invoice.Status.OPEN:
            raise Conflict(_("This invoice is not waiting for payment."), code="not_open")
        _record_payment(
            invoice,
            method=InvoicePayment.Method.TRANSFER,
            reference=reference,
            actor=actor,
            now=now,
        )
    invoice.refresh_from_db()
    return invoice


def _provider():
    from solibook.finance.payments.registry import provider_named

    return provider_named(getattr(settings, "BILLING_PAYMENT_PROVIDER", "stripe"))


def invoice_pay_start(
    *,
    business,
    invoice_id: int,
    success_url: str,
    cancel_url: str,
    language: str = "en",
    actor=None,
    now: datetime | None = None,
) -> str:
    """Start paying an invoice by card on the payment provider's page (the platform's
    own account); returns the page's address. A second call resumes the same page."""
    from solibook.finance.payments.base import ProviderError

    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        invoice = _invoice_for_update(business, invoice_id)
        if invoice.status != Invoice.Status.OPEN:
            raise Conflict(_("This invoice is not waiting for payment."), code="not_open")
        amount = selectors.amount_due(invoice)
        if invoice.checkout_url and invoice.checkout_id.endswith(f":{amount}"):
            return invoice.checkout_url
        provider = _provider()
        if not getattr(provider, "online", False):
            raise ValidationFailed(
                _("Card payments are not available; please pay by bank transfer."),
                code="card_unavailable",
            )
        try:
            checkout = provider.checkout_start(
                amount=amount,
                currency=invoice.currency,
                capture_manual=False,
                account="",
                idempotency_key=f"invoice:{invoice.pk}:{amount}:checkout",
                metadata={"invoice_id": invoice.pk, "business_id": business.pk},
                description=invoice.number,
                success_url=success_url,
                cancel_url=cancel_url,
                language=language,
            )
        except ProviderError as exc:
            raise ValidationFailed(exc.message, code=exc.code) from exc
        invoice.checkout_id = f"{checkout.id}:{amount}"
        invoice.checkout_url = checkout.url
        invoice.save(update_fields=["checkout_id", "checkout_url"])
        audit_log(
            action="billing.invoice_checkout_started",
            actor=actor,
            business=business,
            obj=invoice,
            data={"amount": amount},
        )
    return checkout.url


def invoice_pay_return(*, business, invoice_id: int, now: datetime | None = None) -> Invoice:
    """Back from the payment page: record the payment once the provider says it
    succeeded (safe to call twice: an invoice is paid once)."""
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        invoice = _invoice_for_update(business, invoice_id)
        if invoice.status == Invoice.Status.OPEN and invoice.checkout_id:
            checkout_id, _sep, _amount = invoice.checkout_id.rpartition(":")
            intent = _provider().checkout_intent(checkout_id, account="")
            if intent is not None and intent.status == "succeeded":
                _record_payment(
                    invoice,
                    method=InvoicePayment.Method.CARD,
                    reference=intent.id,
                    actor=None,
                    now=now,
                )
    invoice.refresh_from_db()
    return invoice


def credit_grant(
    *, business, amount: int, description: str, actor=None, now: datetime | None = None
) -> Charge:
    """The operator credits a salon (a goodwill gesture, a refund): on its next invoice."""
    now = now or timezone.now()
    if not isinstance(amount, int) or amount <= 0:
        refuse(_("Enter a positive amount."), "amount", code="invalid_amount")
    if not description.strip():
        refuse(_("Say why the salon is credited."), "description", code="required")
    charge = charge_record(
        business=business,
        kind=ChargeKind.CREDIT,
        amount=-amount,
        currency=business.currency,
        description=description.strip(),
        source=f"operator-credit:{now.isoformat()}",
        now=now,
    )
    audit_log(action="billing.credit_granted", actor=actor, business=business, obj=charge)
    return charge


# --- the monthly run and reminders -------------------------------------------------


def _remind(invoice: Invoice, stage: int, now) -> None:
    """E-mail the salon's owners about an unpaid invoice (after commit; once per stage)."""
    from django.core.mail import send_mail

    from solibook.accounts.models import Membership

    updated = Invoice.objects.filter(pk=invoice.pk, reminders_sent__lt=stage).update(
        reminders_sent=stage, last_reminded_at=now
    )
    if not updated:
        return
    with scopes_disabled():
        emails = list(
            Membership.objects.filter(business_id=invoice.business_id, role="owner").values_list(
                "user__email", flat=True
            )
        )
    if not emails:
        return
    from solibook.core.money import format_money

    with translation.override(invoice.language):
        amount = format_money(selectors.amount_due(invoice), invoice.currency, invoice.language)
        subjects = {
            1: _("Invoice %(number)s is due"),
            2: _("Reminder: invoice %(number)s is unpaid"),
            3: _("Your back office is read-only: invoice %(number)s is unpaid"),
        }
        subject = subjects[stage] % {"number": invoice.number}
        body = _(
            "Invoice %(number)s of %(amount)s is waiting for payment. Pay it by card from "
            "Billing in your back office, or by bank transfer quoting its number. After "
            "%(days)d days unpaid, your back office becomes read-only (your clients can still "
            "book)."
        ) % {"number": invoice.number, "amount": amount, "days": selectors.read_only_after_days()}
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True)
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind unpaid invoices: when due, after the grace period, when read-only."""
    now = now or timezone.now()
    sent = 0
    grace = timedelta(days=selectors.grace_days())
    locked = timedelta(days=selectors.read_only_after_days())
    with scopes_disabled():
        open_invoices = list(
            Invoice.objects.filter(
                kind=Invoice.Kind.INVOICE, status=Invoice.Status.OPEN, due_at__lte=now
            ).order_by("due_at")
        )
    for invoice in open_invoices:
        overdue = now - invoice.due_at
        stage = 3 if overdue > locked else 2 if overdue > grace else 1
        if invoice.reminders_sent < stage:
            with transaction.atomic(), scopes_disabled():
                _remind(invoice, stage, now)
            sent += 1
    return sent


def billing_run(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: renew subscriptions into the new month, issue the invoices of
    the month that ended (once: on the first days of a month, for charges before it),
    send reminders. Safe to run again."""
    now = now or timezone.now()
    renewed = issued = 0
    with scopes_disabled():
        ids = list(Subscription.objects.values_list("pk", flat=True))
    for pk in ids:
        renewed += subscription_renew(subscription_id=pk, now=now)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with scopes_disabled():
        due = list(
            Charge.objects.filter(invoice__isnull=True, created_at__lt=month_start)
            .values_list("business", flat=True)
            .distinct()
        )
        businesses = list(Business.objects.filter(pk__in=due))
    for business in businesses:
        if invoice_issue(business=business, now=now) is not None:
            issued += 1
    return {"renewed": renewed, "issued": issued, "reminded": reminders_send(now=now)}


def subscription_cancel(*, business, actor=None, now: datetime | None = None) -> Subscription:
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        subscription = _locked_subscription(business)
        if subscription is None:
            raise NotFound(_("This business has no subscription."))
        subscription.status = Subscription.Status.CANCELLED
        subscription.updated_at = now
        subscription.save(update_fields=["status", "updated_at"])
        audit_log(action="billing.subscription_cancelled", actor=actor, business=business)
    return subscription


__all__ = [
    "billing_run",
    "charge_record",
    "credit_grant",
    "invoice_issue",
    "invoice_mark_paid",
    "invoice_pay_return",
    "invoice_pay_start",
    "invoice_regenerate",
    "limit_check",
    "reminders_send",
    "sms_record",
    "subscription_cancel",
    "subscription_change",
    "subscription_renew",
    "subscription_start",
]
