"""The operator console's pages of corporate wellness: companies, their HR admins,
and the month's close (the company's invoice and the salons' settlement)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.billing.company import company_invoice_mark_paid
from solibook.core.refusals import refusals
from solibook.corporate import budgets, selectors, services
from solibook.corporate.forms import CompanyForm, EmailForm, MonthForm
from solibook.corporate.models import Company

VIEW = PlatformCapability.VIEW_PLATFORM_FINANCE
MANAGE = PlatformCapability.MANAGE_PLATFORM_FINANCE


@platform_view(capability=VIEW)
def companies(request):
    form = CompanyForm(request.POST or None, language=request.LANGUAGE_CODE)
    status = 200
    if request.method == "POST":
        if MANAGE not in request.platform_capabilities:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            with refusals(form) as refused:
                company = services.company_create(
                    actor=request.user,
                    name=data["name"],
                    city=data["city"],
                    domains=data["domains"],
                    monthly_budget=data["monthly_budget"],
                    rollover_cap=data["rollover_cap"],
                    allowed_categories=data["allowed_categories"],
                    language=data["language"],
                    legal_name=data["legal_name"],
                    vat_number=data["vat_number"],
                )
            if not refused:
                messages.success(request, _("The company is created."))
                return redirect("corporate:platform_company", company_id=company.pk)
            status = refused.status
        else:
            status = 400
    return render(
        request,
        "corporate/platform/companies.html",
        {"companies": Company.objects.order_by("name"), "form": form},
        status=status,
    )


@platform_view(capability=VIEW)
def company(request, company_id: int):
    company = get_object_or_404(Company, pk=company_id)
    today = budgets.local_today(company, timezone.now())
    return render(
        request,
        "corporate/platform/company.html",
        {
            "company": company,
            "admins": company.admins.select_related("user"),
            "admin_form": EmailForm(),
            "month_form": MonthForm(),
            "months": selectors.closable_months(company, today=today),
            "invoices": selectors.invoices_of(company),
            "employee_count": company.employees.filter(status="active").count(),
        },
    )


@require_POST
@platform_view(capability=MANAGE)
def company_admin_add(request, company_id: int):
    company = get_object_or_404(Company, pk=company_id)
    form = EmailForm(request.POST)
    if form.is_valid():
        with refusals(request=request):
            services.company_admin_add(
                company=company, email=form.cleaned_data["email"], actor=request.user
            )
            messages.success(request, _("They are now an HR admin of the company."))
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("corporate:platform_company", company_id=company.pk)


@require_POST
@platform_view(capability=MANAGE)
def company_close(request, company_id: int):
    company = get_object_or_404(Company, pk=company_id)
    form = MonthForm(request.POST)
    if form.is_valid():
        month: date = form.cleaned_data["month"]
        with refusals(request=request):
            closed = services.month_close(company=company, month=month, actor=request.user)
            messages.success(
                request, _("Invoice %(number)s is issued.") % {"number": closed.invoice.number}
            )
    else:
        messages.error(request, _("Choose a month."))
    return redirect("corporate:platform_company", company_id=company.pk)


@require_POST
@platform_view(capability=MANAGE)
def invoice_paid(request, company_id: int, invoice_id: int):
    """The company's transfer arrived (finance staff record it)."""
    company = get_object_or_404(Company, pk=company_id)
    with refusals(request=request, not_found_404=True):
        invoice = selectors.invoice_of(company, invoice_id)
        company_invoice_mark_paid(invoice_id=invoice.pk, actor=request.user)
        messages.success(request, _("Invoice %(number)s is paid.") % {"number": invoice.number})
    return redirect("corporate:platform_company", company_id=company.pk)
