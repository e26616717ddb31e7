"""The HR admin's pages: employees and invitations, budget rules, usage (amounts,
months, salons and participation: never a service), invoices.

Under `/<lang>/company/<slug>/`; a user who is not an HR admin of the company
(nor platform staff) gets 404, as for another salon's back office.
"""

import csv
import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from solibook.billing.documents import company_invoice_pdf
from solibook.core.errors import NotFound
from solibook.core.refusals import refusals
from solibook.corporate import budgets, selectors, services
from solibook.corporate.forms import InviteForm, MonthForm, RulesForm, major
from solibook.corporate.models import Company

SPLIT = re.compile(r"[\s,;]+")


def _company(request, slug: str) -> Company:
    try:
        return selectors.company_for_admin(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404 from exc


def _rules_form(company: Company, request, data=None) -> RulesForm:
    return RulesForm(
        data,
        currency=company.currency,
        language=request.LANGUAGE_CODE,
        initial={
            "monthly_budget": major(company.monthly_budget, company.currency),
            "rollover_cap": major(company.rollover_cap, company.currency),
            "allowed_categories": company.allowed_categories,
        },
    )


@login_required
def employees(request, slug: str):
    company = _company(request, slug)
    now = timezone.now()
    invite = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST" and invite.is_valid():
        sent, refused_to = 0, []
        for email in [e for e in SPLIT.split(invite.cleaned_data["emails"]) if e][:500]:
            with refusals() as refused:
                services.employee_invite(
                    company=company,
                    email=email,
                    actor=request.user,
                    site_url=request.build_absolute_uri("/"),
                    now=now,
                )
                sent += 1
            if refused:
                refused_to.append(refused.message)
        if sent:
            messages.success(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent)
                % {"count": sent},
            )
        for message in refused_to:
            invite.add_error("emails", message)
        if not refused_to:
            return redirect("corporate:employees", slug=company.slug)
        status = 400
    return render(
        request,
        "corporate/company/employees.html",
        {
            "company": company,
            "tab": "employees",
            "rows": selectors.employees_with_balances(
                company, month=budgets.month_of(company, now)
            ),
            "invite_form": invite,
            "rules_form": _rules_form(company, request),
        },
        status=status,
    )


@require_POST
@login_required
def rules(request, slug: str):
    company = _company(request, slug)
    form = _rules_form(company, request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals(request=request) as refused:
            services.company_rules_update(
                company=company,
                actor=request.user,
                monthly_budget=data["monthly_budget"],
                rollover_cap=data["rollover_cap"],
                allowed_categories=data["allowed_categories"],
            )
        if not refused:
            messages.success(request, _("The budget rules are saved; they apply from next month."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("corporate:employees", slug=company.slug)


@require_POST
@login_required
def employee_remove(request, slug: str, employee_id: int):
    company = _company(request, slug)
    with refusals(request=request, not_found_404=True):
        services.employee_remove(company=company, employee_id=employee_id, actor=request.user)
        messages.success(request, _("The employee's budget is closed."))
    return redirect("corporate:employees", slug=company.slug)


def _range(company: Company, request) -> tuple[date, date]:
    until = budgets.next_month(budgets.month_of(company, timezone.now()))
    months = request.GET.get("months", "6")
    count = int(months) if months.isdigit() and 1 <= int(months) <= 24 else 6
    since = until
    for _i in range(count):
        since = date(since.year - (since.month == 1), (since.month - 2) % 12 + 1, 1)
    return since, until


@login_required
def usage(request, slug: str):
    company = _company(request, slug)
    since, until = _range(company, request)
    return render(
        request,
        "corporate/company/usage.html",
        {
            "company": company,
            "tab": "usage",
            "rows": selectors.usage(company, since=since, until=until),
            "participation": selectors.participation(company, since=since, until=until),
        },
    )


@login_required
def usage_csv(request, slug: str):
    company = _company(request, slug)
    since, until = _range(company, request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wellness-usage-{company.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Month"), _("Employee"), _("Salon"), _("Amount"), _("Currency")])
    for row in selectors.usage(company, since=since, until=until):
        writer.writerow(
            [
                row.month.strftime("%Y-%m"),
                row.employee_email,
                row.salon,
                str(major(row.amount, company.currency)),
                company.currency,
            ]
        )
    return response


@login_required
def invoices(request, slug: str):
    company = _company(request, slug)
    form = MonthForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals(form) as refused:
                closed = services.month_close(
                    company=company, month=form.cleaned_data["month"], actor=request.user
                )
            if not refused:
                messages.success(
                    request,
                    _("Invoice %(number)s is issued.") % {"number": closed.invoice.number},
                )
                return redirect("corporate:invoices", slug=company.slug)
            status = refused.status
        else:
            status = 400
    today = budgets.local_today(company, timezone.now())
    return render(
        request,
        "corporate/company/invoices.html",
        {
            "company": company,
            "tab": "invoices",
            "invoices": selectors.invoices_of(company),
            "months": selectors.closable_months(company, today=today),
            "form": form,
        },
        status=status,
    )


@login_required
def invoice_pdf(request, slug: str, invoice_id: int):
    company = _company(request, slug)
    try:
        invoice = selectors.invoice_of(company, invoice_id)
    except NotFound as exc:
        raise Http404 from exc
    response = HttpResponse(company_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response
