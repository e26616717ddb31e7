"""The employer's wellness budget as a way of paying at finance's checkout (the till).

`wellness_budget` (account `wellness_receivable`: the platform owes the salon
what the budget paid). Two cases:
- the visit was paid from the budget at booking (`services.visit_pay_with_budget`,
  a prepayment held in `deposits_held`): `apply` uses that prepayment
  (`finance.services.prepayment_apply`), the budget is not touched again;
- otherwise (a walk-in, a visit not prepaid): `apply` spends the budget now,
  under the employee's row lock, after checking the services' categories.
Refusing in `validate` or `apply` rolls the whole checkout back: nothing charged.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.catalog.models import Service
from solibook.core.errors import refuse
from solibook.corporate import services
from solibook.finance import accounts
from solibook.finance.models import CheckoutLine
from solibook.finance.services import prepaid_left, prepayment_apply
from solibook.finance.tenders import TenderContext, register_tender


def _employee(ctx: TenderContext):
    employee = services.active_employee_of(ctx.account)
    if employee is None:
        refuse(
            _("This client has no wellness budget from an employer."),
            "tenders",
            code="no_budget",
        )
    if employee.company.currency != ctx.currency:
        refuse(_("This salon is paid in another currency."), "tenders", code="currency_mismatch")
    return employee


def _prepaid(ctx: TenderContext) -> int:
    if ctx.appointment is None:
        return 0
    return prepaid_left(appointment=ctx.appointment, tender=services.TENDER)


def wellness_validate(ctx: TenderContext, amount: int, data: dict) -> None:
    prepaid = _prepaid(ctx)
    if prepaid:
        if amount > prepaid:
            refuse(
                _("Only %(left)s was paid from the wellness budget for this visit.")
                % {"left": prepaid},
                "tenders",
                code="tender_payment_exceeded",
            )
        return
    employee = _employee(ctx)
    held = services.available(employee_id=employee.pk, now=ctx.now)
    if amount > held:
        services._refuse_short(employee.company, held, amount)


def wellness_apply(ctx: TenderContext, amount: int, data: dict) -> dict:
    if _prepaid(ctx):
        payment = prepayment_apply(ctx=ctx, tender=services.TENDER, amount=amount)
        return {
            "prepayment_id": payment.pk,
            "employee_id": (payment.detail or {}).get("employee_id"),
        }
    employee = _employee(ctx)
    service_ids = CheckoutLine.objects.filter(
        checkout=ctx.checkout, kind="service", service__isnull=False
    ).values_list("service_id", flat=True)
    services._check_categories(
        employee.company,
        Service.objects.filter(pk__in=list(service_ids)).select_related("category"),
    )
    key = f"checkout:{ctx.checkout.pk}"
    services.spend_locked(
        employee_id=employee.pk, amount=amount, business=ctx.business, key=key, now=ctx.now
    )
    return {"employee_id": employee.pk, "budget_key": key}


register_tender(
    services.TENDER,
    label=gettext_lazy("Wellness budget"),
    account=accounts.WELLNESS_RECEIVABLE,
    validate=wellness_validate,
    apply=wellness_apply,
    needs_client=True,
)
