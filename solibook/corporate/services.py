"""Every write of corporate wellness.

Companies and their HR admins (platform staff), rules and invitations (HR),
joining (the invited employee), spending the budget at a salon (at booking:
`visit_pay_with_budget`; at the till: the `wellness_budget` tender in
`tenders.py`), giving it back on a refund, and the month's close: one invoice
to the company through billing and each salon's settlement, both in the ledger.
"""

import hashlib
import logging
import re
import secrets
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from solibook.billing.company import company_invoice_issue
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Business, Category
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, NotFound, ValidationFailed, refuse
from solibook.core.money import format_money, is_known_currency
from solibook.core.tenancy import business_scope, scopes_disabled
from solibook.corporate import budgets
from solibook.corporate.models import (
    BudgetEntry,
    Company,
    CompanyAdmin,
    Employee,
    MonthClose,
    Settlement,
)
from solibook.finance import accounts, ledger
from solibook.finance.models import Payment

log = logging.getLogger(__name__)
TENDER = "wellness_budget"
DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z]{2,63}$")
MAX_BUDGET = 10**9


# --- companies (platform staff) ------------------------------------------------------


def _domains(raw) -> list[str]:
    items = raw.split() if isinstance(raw, str) else list(raw or [])
    domains = sorted({str(d).strip().lower().lstrip("@").replace(",", "") for d in items} - {""})
    bad = [d for d in domains if not DOMAIN.match(d)]
    if not domains or bad:
        refuse(_("Enter the company's e-mail domains, such as example.com."), "domains")
    return domains


def _categories(raw) -> list[str]:
    slugs = sorted({str(s).strip() for s in (raw or [])} - {""})
    known = set(Category.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if set(slugs) - known:
        refuse(_("Choose categories from the list."), "allowed_categories")
    return slugs


def _amount(value, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_BUDGET:
        refuse(_("Enter an amount of zero or more."), field)
    return value


def company_create(
    *,
    actor,
    name: str,
    city: str,
    domains,
    monthly_budget: int,
    rollover_cap: int = 0,
    allowed_categories=(),
    currency: str = "EUR",
    country: str = "FR",
    language: str = "fr",
    time_zone: str = "Europe/Paris",
    legal_name: str = "",
    vat_number: str = "",
    now: datetime | None = None,
) -> Company:
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        refuse(_("Enter the company's name."), "name")
    if not (city or "").strip():
        refuse(_("Enter the company's city."), "city")
    if language not in {"en", "fr", "ru", "ar"}:
        refuse(_("Choose a language."), "language")
    if not is_known_currency((currency or "").upper()):
        refuse(_("Choose a currency the platform takes."), "currency")
    domains = _domains(domains)
    with transaction.atomic():
        base = slugify(name)[:60] or "company"
        slug, n = base, 1
        while Company.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        company = Company.objects.create(
            name=name[:150],
            slug=slug,
            city=city.strip()[:120],
            domains=domains,
            monthly_budget=_amount(monthly_budget, "monthly_budget"),
            rollover_cap=_amount(rollover_cap, "rollover_cap"),
            allowed_categories=_categories(allowed_categories),
            currency=currency.upper()[:3],
            country=country.upper()[:2],
            language=language,
            time_zone=time_zone,
            legal_name=legal_name.strip()[:200],
            vat_number=vat_number.strip()[:40],
            created_at=now,
        )
        audit_log(action="corporate.company_created", actor=actor, obj=company)
    return company


def company_admin_add(*, company: Company, email: str, actor, now=None) -> CompanyAdmin:
    """Make an existing account an HR admin of the company."""
    now = now or timezone.now()
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        refuse(_("No account has this e-mail address: ask them to sign up first."), "email")
    admin, _created = CompanyAdmin.objects.get_or_create(
        company=company, user=user, defaults={"created_at": now}
    )
    audit_log(action="corporate.admin_added", actor=actor, obj=company, data={"user": user.pk})
    return admin


def company_rules_update(
    *,
    company: Company,
    actor,
    monthly_budget: int,
    rollover_cap: int,
    allowed_categories,
    domains=None,
) -> Company:
    """The budget rules, from the next month's grant on (a month granted stays)."""
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        company.monthly_budget = _amount(monthly_budget, "monthly_budget")
        company.rollover_cap = _amount(rollover_cap, "rollover_cap")
        company.allowed_categories = _categories(allowed_categories)
        if domains is not None:
            company.domains = _domains(domains)
        company.save()
        audit_log(
            action="corporate.rules_updated",
            actor=actor,
            obj=company,
            data={
                "monthly_budget": company.monthly_budget,
                "rollover_cap": company.rollover_cap,
                "allowed_categories": company.allowed_categories,
            },
        )
    return company


# --- invitations and joining -----------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def employee_invite(
    *,
    company: Company,
    email: str,
    actor,
    site_url: str = "",
    monthly_budget: int | None = None,
    now: datetime | None = None,
) -> Employee:
    """Invite an address of one of the company's domains; the e-mail (in the company's
    language, through the notifications' e-mail channel) goes after commit. Inviting
    an address again sends a new link (the old one stops working)."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except Exception:
        refuse(_("Enter a valid e-mail address."), "email")
    if domain_of(email) not in company.domains:
        refuse(
            _("%(email)s is not an address of %(company)s (%(domains)s): only they can join.")
            % {"email": email, "company": company.name, "domains": ", ".join(company.domains)},
            "email",
            code="domain_not_allowed",
        )
    if monthly_budget is not None:
        _amount(monthly_budget, "monthly_budget")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        employee = Employee.objects.select_for_update().filter(company=company, email=email).first()
        if employee is not None and employee.status == Employee.Status.ACTIVE:
            refuse(_("%(email)s has already joined.") % {"email": email}, "email", code="joined")
        if employee is None:
            employee = Employee(company=company, email=email)
        employee.status = Employee.Status.INVITED
        employee.token_hash = _hash(token)
        employee.invited_at = now
        employee.monthly_budget = monthly_budget
        employee.save()
        audit_log(action="corporate.invited", actor=actor, obj=employee)
        link = (site_url or settings.NOTIFICATIONS_SITE_URL).rstrip("/")
        transaction.on_commit(lambda: _send_invitation(company, email, link, token))
    return employee


def _send_invitation(company: Company, email: str, site_url: str, token: str) -> None:
    from solibook.notifications.providers import OutgoingMessage, provider_for

    language = company.language
    with translation.override(language):
        url = site_url + reverse("corporate:join", args=[token])
        budget = format_money(company.monthly_budget, company.currency, language)
        subject = _("%(company)s offers you a wellness budget") % {"company": company.name}
        text = _(
            "%(company)s gives you %(budget)s a month to spend at the salons of Solibook.\n\n"
            "Join with this link, signed in with %(email)s:\n%(url)s\n\n"
            "Your employer sees how much you spend and where, never which treatment you had."
        ) % {"company": company.name, "budget": budget, "email": email, "url": url}
    try:
        provider_for("email").send(
            OutgoingMessage(
                channel="email",
                to=email,
                subject=subject,
                text=text,
                from_name=company.name,
                language=language,
                link=url,
            )
        )
    except Exception as exc:  # HR can send it again; never a 500 for the provider
        log.warning("wellness invitation to %s not sent: %s", domain_of(email), exc)


def invitation_accept(*, token: str, user, now: datetime | None = None) -> Employee:
    """Join with the invitation's link, signed in with the invited address."""
    now = now or timezone.now()
    with transaction.atomic():
        employee = (
            Employee.objects.select_for_update()
            .select_related("company")
            .filter(token_hash=_hash(token or ""), status=Employee.Status.INVITED)
            .first()
        )
        if employee is None:
            raise NotFound(_("This invitation is not valid any more."), code="invitation_unknown")
        if user.email.lower() != employee.email:
            refuse(
                _("This invitation is for %(email)s: sign in with that address to join.")
                % {"email": employee.email},
                code="invitation_other_address",
            )
        if domain_of(user.email) not in employee.company.domains:
            refuse(_("Only addresses of the company can join."), code="domain_not_allowed")
        employee.user = user
        employee.status = Employee.Status.ACTIVE
        employee.joined_at = now
        employee.token_hash = ""
        try:
            with transaction.atomic():
                employee.save()
        except IntegrityError:
            raise Conflict(
                _("You already have a wellness budget with another company."), code="employed"
            ) from None
        budgets.refresh(employee, now)
        audit_log(action="corporate.joined", actor=user, obj=employee)
    return employee


def employee_remove(*, company: Company, employee_id: int, actor) -> Employee:
    """The employee left: no more grants, no more spending (what was spent stays)."""
    with transaction.atomic():
        employee = Employee.objects.select_for_update().filter(company=company, pk=employee_id)
        found = employee.first()
        if found is None:
            raise NotFound(_("No such employee."))
        found.status = Employee.Status.LEFT
        found.token_hash = ""
        found.save(update_fields=["status", "token_hash"])
        audit_log(action="corporate.employee_left", actor=actor, obj=found)
    return found


def budgets_refresh(*, now: datetime | None = None) -> int:
    """Grant the month to every active employee (from `run_periodic`); safe twice."""
    now = now or timezone.now()
    done = 0
    for pk in Employee.objects.filter(status=Employee.Status.ACTIVE).values_list("pk", flat=True):
        with transaction.atomic():
            budgets.refresh(budgets.locked_employee(pk), now)
        done += 1
    return done


# --- spending --------------------------------------------------------------------------


def active_employee_of(user) -> Employee | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Employee.objects.select_related("company")
        .filter(user=user, status=Employee.Status.ACTIVE, company__is_active=True)
        .first()
    )


def _category_allowed(company: Company, category) -> bool:
    if not company.allowed_categories:
        return True
    slugs = {category.slug}
    if category.parent_id:
        slugs.add(Category.objects.get(pk=category.parent_id).slug)
    return bool(slugs & set(company.allowed_categories))


def _check_categories(company: Company, services) -> None:
    for service in services:
        if not _category_allowed(company, service.category):
            message = _("%(company)s's wellness budget does not pay for this kind of service.") % {
                "company": company.name
            }
            raise ValidationFailed(
                message, code="category_not_allowed", fields={"tenders": [message]}
            )


def _refuse_short(company: Company, held: int, amount: int, language: str = "") -> None:
    lang = language or translation.get_language() or "en"
    message = _(
        "Your wellness budget holds %(held)s: %(amount)s cannot be paid from it. Nothing was "
        "charged; pay the rest by card."
    ) % {
        "held": format_money(held, company.currency, lang),
        "amount": format_money(amount, company.currency, lang),
    }
    raise ValidationFailed(
        message,
        code="budget_insufficient",
        fields={"amount": [message]},
        extra={"balance": held},
    )


def available(*, employee_id: int, now: datetime) -> int:
    """The balance a spend now would see: the month granted first (under the lock)."""
    employee = budgets.locked_employee(employee_id)
    budgets.refresh(employee, now)
    return budgets.balance(employee)


def spend_locked(
    *, employee_id: int, amount: int, business, key: str, payment_id=None, now: datetime
) -> Employee:
    """Take `amount` from the budget under the employee's row lock (the caller's
    transaction): the second of two spends at once waits here, then sees the first."""
    employee = budgets.locked_employee(employee_id)
    company = employee.company
    if employee.status != Employee.Status.ACTIVE or not company.is_active:
        refuse(_("This wellness budget is closed."), code="budget_closed")
    budgets.refresh(employee, now)
    held = budgets.balance(employee)
    if amount <= 0:
        refuse(_("Enter an amount of more than zero."), "amount")
    if amount > held:
        _refuse_short(company, held, amount)
    BudgetEntry.objects.create(
        employee=employee,
        company=company,
        kind=BudgetEntry.Kind.SPEND,
        amount=-amount,
        currency=company.currency,
        month=budgets.month_of(company, now),
        business=business,
        payment_id=payment_id,
        key=key,
        created_at=now,
    )
    # The platform's books: the company owes it (invoiced at the month's close), it
    # owes the salon (paid at the settlement).
    ledger.post(
        business=None,
        kind="wellness_spent",
        memo=f"{company.name} @ {business.name}"[:300],
        reference=key,
        idempotency_key=f"wellness:{key}",
        lines=[
            ledger.Line(accounts.WELLNESS_UNBILLED, amount, company.currency),
            ledger.Line(accounts.WELLNESS_PAYABLE, -amount, company.currency),
        ],
        occurred_at=now,
    )
    return employee


def visit_pay_with_budget(
    *, account, appointment_id: int, amount: int, now: datetime | None = None
) -> Payment:
    """The booking's payment step: pay `amount` of the employee's own visit from the
    budget (the rest by card, online or at the salon). Refused, with nothing charged,
    when the budget is short, the service's category is not paid for, or the amount
    is more than the visit owes."""
    from solibook.booking.services import appointment_deposit_paid
    from solibook.finance.services import prepayment_record

    now = now or timezone.now()
    employee = active_employee_of(account)
    if employee is None:
        raise NotFound(_("You have no wellness budget."), code="no_budget")
    company = employee.company
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business")
            .filter(pk=appointment_id, account=account)
            .first()
        )
    if appointment is None:
        raise NotFound(_("No such appointment."))
    business = appointment.business
    if not business.is_listed:
        refuse(_("This salon does not take wellness budgets."), code="salon_not_listed")
    if appointment.currency != company.currency:
        refuse(_("This salon is paid in another currency."), code="currency_mismatch")
    with business_scope(business), transaction.atomic():
        services = [item.service for item in appointment.items.select_related("service__category")]
        _check_categories(company, services)
        key = f"visit:{appointment.pk}:{secrets.token_hex(6)}"
        spend_locked(employee_id=employee.pk, amount=amount, business=business, key=key, now=now)
        payment = prepayment_record(
            business=business,
            appointment_id=appointment.pk,
            tender=TENDER,
            amount=amount,
            account=account,
            detail={"employee_id": employee.pk, "budget_key": key},
            actor=account,
            now=now,
        )
        BudgetEntry.objects.filter(key=key).update(payment_id=payment.pk)
        appointment.refresh_from_db()
        if appointment.status == Status.AWAITING_DEPOSIT and amount >= (
            appointment.deposit_amount or 0
        ):
            appointment_deposit_paid(business=business, appointment_id=appointment.pk, now=now)
    return payment


def budget_give_back(*, refund, now: datetime | None = None) -> BudgetEntry | None:
    """A refund of a payment made with the budget (finance's `payment_refunded`, on
    commit): the amount goes back to the budget it came from, once per refund."""
    now = now or timezone.now()
    payment = refund.payment
    employee_id = (payment.detail or {}).get("employee_id")
    if payment.tender != TENDER or not employee_id:
        return None
    key = f"refund:{refund.pk}"
    with transaction.atomic():
        employee = budgets.locked_employee(int(employee_id))
        company = employee.company
        if BudgetEntry.objects.filter(key=key).exists():
            return None
        entry = BudgetEntry.objects.create(
            employee=employee,
            company=company,
            kind=BudgetEntry.Kind.REFUND,
            amount=refund.amount,
            currency=company.currency,
            month=budgets.month_of(company, now),
            business_id=payment.business_id,
            payment_id=payment.pk,
            key=key,
            created_at=now,
        )
        ledger.post(
            business=None,
            kind="wellness_refunded",
            memo=company.name[:300],
            reference=key,
            idempotency_key=f"wellness:{key}",
            lines=[
                ledger.Line(accounts.WELLNESS_PAYABLE, refund.amount, company.currency),
                ledger.Line(accounts.WELLNESS_UNBILLED, -refund.amount, company.currency),
            ],
            occurred_at=now,
        )
    return entry


# --- the month's close -------------------------------------------------------------------


def month_close(*, company: Company, month: date, actor, now: datetime | None = None) -> MonthClose:
    """One invoice to the company for what its employees spent at salons in `month`
    (one line per salon, never a service), through billing; then each salon's
    settlement, posted on both sides. Refused for a month still open."""
    now = now or timezone.now()
    month = date(month.year, month.month, 1)
    end = budgets.next_month(month)
    today = budgets.local_today(company, now)
    if end > today:  # in the reader's language
        message = _("%(month)s is still open: its invoice can be issued from %(date)s.") % {
            "month": date_format(month, "F Y"),
            "date": date_format(end, "j F Y"),
        }
        raise ValidationFailed(message, code="month_open", fields={"month": [message]})
    with translation.override(company.language):  # the invoice's words: the company's
        label = date_format(month, "F Y")
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=company.pk)  # one close at a time
        if MonthClose.objects.filter(company=company, month=month).exists():
            raise Conflict(_("This month is already invoiced."), code="already_invoiced")
        by_salon = list(
            BudgetEntry.objects.filter(
                company=company,
                month=month,
                kind__in=[BudgetEntry.Kind.SPEND, BudgetEntry.Kind.REFUND],
            )
            .values("business_id")
            .annotate(total=Sum("amount"))
            .order_by("business_id")
        )
        salons = {
            b.pk: b for b in Business.objects.filter(pk__in=[r["business_id"] for r in by_salon])
        }
        with translation.override(company.language):
            lines = [
                (
                    _("Wellness budgets spent at %(salon)s, %(month)s")
                    % {"salon": salons[row["business_id"]].name, "month": label},
                    -row["total"],
                )
                for row in by_salon
                if row["total"]
            ]
        invoice = company_invoice_issue(
            customer_ref=f"company:{company.pk}",
            customer_name=company.legal_name or company.name,
            vat_number=company.vat_number,
            country=company.country,
            language=company.language,
            currency=company.currency,
            period_start=month,
            period_end=end,
            closes_on=today,
            lines=lines,
            credit_account=accounts.WELLNESS_UNBILLED,
            actor=actor,
            now=now,
        )
        closed = MonthClose.objects.create(
            company=company, month=month, invoice=invoice, created_at=now
        )
        for row in by_salon:
            if row["total"]:
                _settle(company, salons[row["business_id"]], month, -row["total"], now)
        audit_log(
            action="corporate.month_closed",
            actor=actor,
            obj=company,
            data={"month": month.isoformat(), "invoice": invoice.number},
        )
    return closed


def _settle(company: Company, business, month: date, amount: int, now: datetime) -> None:
    """The platform pays the salon what the company's employees spent there."""
    row = Settlement.objects.create(
        company=company,
        business=business,
        month=month,
        amount=amount,
        currency=company.currency,
        created_at=now,
    )
    reference = f"wellness-settlement:{row.pk}"
    ledger.post(
        business=None,
        kind="wellness_settled",
        memo=f"{company.name} → {business.name}"[:300],
        reference=reference,
        idempotency_key=f"{reference}:platform",
        lines=[
            ledger.Line(accounts.WELLNESS_PAYABLE, amount, company.currency),
            ledger.Line(accounts.PLATFORM_BANK, -amount, company.currency),
        ],
        occurred_at=now,
    )
    ledger.post(
        business=business,
        kind="wellness_settled",
        memo=company.name[:300],
        reference=reference,
        idempotency_key=f"{reference}:salon",
        lines=[
            ledger.Line(accounts.BANK, amount, company.currency),
            ledger.Line(accounts.WELLNESS_RECEIVABLE, -amount, company.currency),
        ],
        occurred_at=now,
    )


def visit_budget_release(*, business_id: int, appointment_id: int, now=None) -> int:
    """A cancelled visit prepaid from the budget: what was not used at a checkout goes
    back to the payer (finance's refund; `payment_refunded` then gives the budget
    back). A cancellation has no fee from a budget: the whole rest comes back. Safe
    twice (a payment with nothing left is skipped)."""
    from solibook.finance.models import Refund
    from solibook.finance.services import refund_create

    business = Business.objects.get(pk=business_id)
    given = 0
    with business_scope(business):
        payments = Payment.objects.filter(
            business=business,
            appointment_id=appointment_id,
            tender=TENDER,
            purpose=Payment.Purpose.BALANCE,
            state=Payment.State.CAPTURED,
        )
        for payment in payments:
            left = payment.amount_captured - payment.amount_refunded - payment.amount_applied
            if left > 0:
                refund_create(
                    business=business,
                    payment_id=payment.pk,
                    amount=left,
                    reason=Refund.Reason.CLIENT_REQUEST,
                    now=now,
                )
                given += left
    return given
