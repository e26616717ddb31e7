"""Back-office pages of the accounting area. Thin: a form, one service call.

Reading needs `view_finance`; writing needs `manage_accounting` (owners,
managers and accountants). Every query runs in the business's scope, so
another business's ids are 404.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounting import exports, reports, services, staff
from solibook.accounting.forms import (
    BudgetCellForm,
    CategoryForm,
    CommissionRuleForm,
    ExpenseForm,
    PayForm,
    PayPeriodForm,
    PeriodForm,
    SupplierForm,
    VoidForm,
)
from solibook.accounting.models import (
    CommissionRule,
    Expense,
    ExpenseCategory,
    PayStatement,
    Supplier,
)
from solibook.accounting.queries import business_zone, months_between
from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location, Master, Service
from solibook.core.refusals import refusals
from solibook.core.time import to_local, utcnow
from solibook.finance.models import LedgerEntry

VIEW = Capability.VIEW_FINANCE
MANAGE = Capability.MANAGE_ACCOUNTING


def _today(business) -> date:
    return to_local(utcnow(), business_zone(business)).date()


def _default_period(business) -> tuple[date, date]:
    """The current calendar year up to the end of this month."""
    today = _today(business)
    end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return today.replace(month=1, day=1), end


def _period(request) -> tuple[PeriodForm, date, date, int | None]:
    locations = Location.objects.order_by("name")
    start, end = _default_period(request.business)
    form = PeriodForm(
        request.GET or None, locations=locations, initial={"start": start, "end": end}
    )
    location_id = None
    if request.GET and form.is_valid():
        start, end, location_id = (
            form.cleaned_data["start"],
            form.cleaned_data["end"],
            form.cleaned_data["location"],
        )
    return form, start, end, location_id


def _obj(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _with_ledger_amount(expenses):
    """The amount the ledger holds for each expense: its posting to `expenses:*`
    net of its reversal (0 once voided)."""
    posted = (
        LedgerEntry.objects.filter(
            Q(transaction_id=OuterRef("ledger_transaction_id"))
            | Q(transaction_id=OuterRef("reversal_transaction_id")),
            account__startswith="expenses:",
        )
        .order_by()
        .values("business_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return expenses.annotate(ledger_amount=Coalesce(Subquery(posted), Value(0)))


def _can_manage(request) -> bool:
    return request.access.can(MANAGE)


# ---------------------------------------------------------------- reports


@backoffice_view(VIEW)
def report(request):
    form, start, end, location_id = _period(request)
    valid = not request.GET or form.is_valid()
    pnl = (
        reports.profit_and_loss(
            business=request.business, start=start, end=end, location_id=location_id
        )
        if valid
        else None
    )
    flow = (
        reports.cash_flow(business=request.business, start=start, end=end, location_id=location_id)
        if valid
        else None
    )
    query = request.GET.urlencode() if valid and request.GET else f"start={start}&end={end}"
    return render(
        request,
        "accounting/office/report.html",
        {
            "form": form,
            "pnl": pnl,
            "flow": flow,
            "start": start,
            "end": end,
            "query": query,
            "pnl_chart": pnl.chart() if pnl else None,
            "flow_chart": flow.chart() if flow else None,
            "can_export_fec": request.business.currency == "EUR",
        },
    )


def _export_response(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.body.encode("utf-8"), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@backoffice_view(VIEW)
def export(request, kind: str):
    form, start, end, location_id = _period(request)
    if request.GET and not form.is_valid():
        messages.error(request, _("Choose a valid period."))
        return redirect("accounting:report", business_slug=request.business.slug)
    with refusals(request=request) as refused:
        if kind == "journal":
            result = exports.journal_csv(
                business=request.business, start=start, end=end, location_id=location_id
            )
        elif kind == "pnl":
            pnl = reports.profit_and_loss(
                business=request.business, start=start, end=end, location_id=location_id
            )
            result = exports.pnl_csv(pnl, business=request.business)
        elif kind == "fec":
            result = exports.fec_export(business=request.business, start=start, end=end)
        else:
            raise Http404
    if refused:
        return redirect("accounting:report", business_slug=request.business.slug)
    return _export_response(result)


# ---------------------------------------------------------------- expenses


def _expense_form(request, data=None, files=None):
    services.categories_ensure_defaults(business=request.business)
    return ExpenseForm(
        data,
        files,
        business=request.business,
        locations=Location.objects.order_by("name"),
        categories=ExpenseCategory.objects.filter(is_active=True).order_by("name"),
        suppliers=Supplier.objects.filter(is_active=True).order_by("name"),
        initial={"incurred_on": _today(request.business), "paid_from": "card"},
    )


@backoffice_view(VIEW)
def expense_list(request):
    form, start, end, location_id = _period(request)
    expenses = _with_ledger_amount(
        Expense.objects.select_related("category", "supplier", "location")
    ).order_by("-incurred_on", "-id")
    if not request.GET or form.is_valid():
        expenses = expenses.filter(incurred_on__gte=start, incurred_on__lte=end)
        if location_id:
            expenses = expenses.filter(location_id=location_id)
    return render(
        request,
        "accounting/office/expense_list.html",
        {"form": form, "expenses": expenses[:500], "can_manage": _can_manage(request)},
    )


@backoffice_view(MANAGE)
def expense_new(request):
    form = _expense_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            expense = services.expense_create(
                actor=request.user,
                business=request.business,
                **form.cleaned_data,
                currency=request.business.currency,
            )
        if not refused:
            messages.success(request, _("Expense recorded."))
            return redirect(
                "accounting:expense_detail",
                business_slug=request.business.slug,
                expense_id=expense.pk,
            )
    return render(request, "accounting/office/expense_form.html", {"form": form})


@backoffice_view(VIEW)
def expense_detail(request, expense_id: int):
    expense = _obj(
        _with_ledger_amount(Expense.objects.select_related("category", "supplier", "location")),
        expense_id,
    )
    form = VoidForm(request.POST or None)
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                services.expense_void(
                    actor=request.user,
                    business=request.business,
                    expense_id=expense.pk,
                    reason=form.cleaned_data["reason"],
                )
            if not refused:
                messages.success(request, _("Expense voided."))
                return redirect(
                    "accounting:expense_detail",
                    business_slug=request.business.slug,
                    expense_id=expense.pk,
                )
    return render(
        request,
        "accounting/office/expense_detail.html",
        {"expense": expense, "form": form, "can_manage": _can_manage(request)},
    )


@backoffice_view(VIEW)
def expense_receipt(request, expense_id: int):
    """Receipts are private: served through the back office, never from a public URL."""
    expense = _obj(Expense.objects, expense_id)
    if not expense.receipt:
        raise Http404
    try:
        handle = expense.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"receipt-{expense.pk}{expense.receipt.name[expense.receipt.name.rfind('.') :]}"
    response = FileResponse(handle, as_attachment=False, filename=name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- categories and suppliers


@backoffice_view(VIEW)
def category_list(request):
    services.categories_ensure_defaults(business=request.business)
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                services.category_create(
                    actor=request.user, business=request.business, **form.cleaned_data
                )
            if not refused:
                messages.success(request, _("Category saved."))
                return redirect("accounting:category_list", business_slug=request.business.slug)
    return render(
        request,
        "accounting/office/category_list.html",
        {
            "form": form,
            "categories": ExpenseCategory.objects.order_by("name"),
            "can_manage": _can_manage(request),
        },
    )


@backoffice_view(MANAGE)
def category_edit(request, category_id: int):
    category = _obj(ExpenseCategory.objects, category_id)
    form = CategoryForm(
        request.POST or None,
        initial={f: getattr(category, f) for f in ("name", "code", "fec_account", "is_active")},
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        with refusals(form) as refused:
            services.category_update(
                actor=request.user, business=request.business, category_id=category.pk, **fields
            )
        if not refused:
            messages.success(request, _("Category saved."))
            return redirect("accounting:category_list", business_slug=request.business.slug)
    return render(
        request,
        "accounting/office/simple_form.html",
        {
            "form": form,
            "title": category.name,
            "back": reverse("accounting:category_list", args=[request.business.slug]),
        },
    )


@backoffice_view(VIEW)
def supplier_list(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                services.supplier_create(
                    actor=request.user, business=request.business, **form.cleaned_data
                )
            if not refused:
                messages.success(request, _("Supplier saved."))
                return redirect("accounting:supplier_list", business_slug=request.business.slug)
    return render(
        request,
        "accounting/office/supplier_list.html",
        {
            "form": form,
            "suppliers": Supplier.objects.order_by("name"),
            "can_manage": _can_manage(request),
        },
    )


@backoffice_view(MANAGE)
def supplier_edit(request, supplier_id: int):
    supplier = _obj(Supplier.objects, supplier_id)
    form = SupplierForm(
        request.POST or None, initial={f: getattr(supplier, f) for f in services.SUPPLIER_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.supplier_update(
                actor=request.user,
                business=request.business,
                supplier_id=supplier.pk,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("Supplier saved."))
            return redirect("accounting:supplier_list", business_slug=request.business.slug)
    return render(
        request,
        "accounting/office/simple_form.html",
        {
            "form": form,
            "title": supplier.name,
            "back": reverse("accounting:supplier_list", args=[request.business.slug]),
        },
    )


# ---------------------------------------------------------------- budget


@backoffice_view(VIEW)
def budget(request):
    services.categories_ensure_defaults(business=request.business)
    try:
        year = int(request.GET.get("year") or _today(request.business).year)
    except ValueError:
        year = _today(request.business).year
    year = min(max(year, 2000), 2100)
    locations = list(Location.objects.order_by("name"))
    try:
        location_id = int(request.GET.get("location") or 0) or None
    except ValueError:
        location_id = None
    if location_id and location_id not in {loc.pk for loc in locations}:
        raise Http404
    months = months_between(date(year, 1, 1), date(year, 12, 31))
    categories = ExpenseCategory.objects.filter(is_active=True).order_by("name")
    cell = BudgetCellForm(
        request.POST or None,
        business=request.business,
        categories=categories,
        months=months,
        initial={
            "location": location_id,
            "month": _today(request.business).replace(day=1).isoformat(),
        },
    )
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        if cell.is_valid():
            data = cell.cleaned_data
            with refusals(cell) as refused:
                services.budget_set(
                    actor=request.user,
                    business=request.business,
                    category_id=data["category_id"],
                    month=data["month"],
                    amount=data["amount"] or 0,
                    currency=request.business.currency,
                    location_id=data.get("location"),
                )
            if not refused:
                messages.success(request, _("Budget saved."))
                return redirect(
                    f"{reverse('accounting:budget', args=[request.business.slug])}?year={year}&location={location_id or ''}"
                )
    grid = []
    for category in categories:
        grid.append({"category": category, "cells": []})
    cells = reports.budget_grid(
        business=request.business, start=months[0], end=date(year, 12, 31), location_id=location_id
    )
    for row in grid:
        for month in months:
            planned, actual = cells.get((row["category"].pk, month), (0, 0))
            row["cells"].append(
                {
                    "month": month,
                    "planned": planned,
                    "actual": actual,
                    "over": bool(planned and actual > planned),
                }
            )
    year_rows = reports.budget_vs_actual(
        business=request.business,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        location_id=location_id,
    )
    chart = {
        "currency": request.business.currency,
        "labels": [r.category.name for r in year_rows],
        "planned": [r.planned for r in year_rows],
        "actual": [r.actual for r in year_rows],
    }
    return render(
        request,
        "accounting/office/budget.html",
        {
            "year": year,
            "months": months,
            "grid": grid,
            "form": cell,
            "locations": locations,
            "location_id": location_id,
            "year_rows": year_rows,
            "chart": chart,
            "can_manage": _can_manage(request),
        },
    )


# ---------------------------------------------------------------- staff pay


@backoffice_view(VIEW)
def pay_home(request):
    masters = Master.objects.order_by("display_name")
    rule_form = CommissionRuleForm(
        request.POST or None,
        business=request.business,
        masters=masters,
        services=Service.objects.order_by("name"),
        initial={"valid_from": _today(request.business).replace(day=1)},
    )
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        if rule_form.is_valid():
            # The service's rate_bp is the form's percent.
            with refusals(rule_form, fields={"rate_bp": "percent"}) as refused:
                services.commission_rule_create(
                    actor=request.user,
                    business=request.business,
                    currency=request.business.currency,
                    **rule_form.service_arguments(),
                )
            if not refused:
                messages.success(request, _("Rule saved."))
                return redirect("accounting:pay_home", business_slug=request.business.slug)
    today = _today(request.business)
    first = today.replace(day=1)
    period_form = PayPeriodForm(
        masters=masters,
        initial={
            "start": first,
            "end": (first + timedelta(days=32)).replace(day=1) - timedelta(days=1),
        },
    )
    return render(
        request,
        "accounting/office/pay_home.html",
        {
            "rules": CommissionRule.objects.select_related("master", "service").order_by(
                "master__display_name", "kind", "valid_from"
            ),
            "statements": PayStatement.objects.select_related("master").order_by(
                "-period_start", "master__display_name"
            )[:200],
            "rule_form": rule_form,
            "period_form": period_form,
            "can_manage": _can_manage(request),
            "today": today,
        },
    )


@backoffice_view(MANAGE)
@require_POST
def rule_end(request, rule_id: int):
    rule = _obj(CommissionRule.objects, rule_id)
    with refusals(request=request) as refused:
        services.commission_rule_end(
            actor=request.user,
            business=request.business,
            rule_id=rule.pk,
            valid_until=_today(request.business),
        )
    if not refused:
        messages.success(request, _("Rule ended."))
    return redirect("accounting:pay_home", business_slug=request.business.slug)


@backoffice_view(VIEW)
def pay_preview(request):
    masters = Master.objects.order_by("display_name")
    form = PayPeriodForm(request.POST or request.GET or None, masters=masters)
    pay = master = None
    if form.is_bound and form.is_valid():
        master = _obj(Master.objects, form.cleaned_data["master"])
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        with refusals(form):
            services.check_period(start, end)
            if request.method == "POST":
                if not _can_manage(request):
                    raise Http404
                statement = services.pay_statement_approve(
                    actor=request.user,
                    business=request.business,
                    master_id=master.pk,
                    period_start=start,
                    period_end=end,
                )
                messages.success(request, _("Statement approved."))
                return redirect(
                    "accounting:statement_detail",
                    business_slug=request.business.slug,
                    statement_id=statement.pk,
                )
            pay = staff.pay_for(business=request.business, master=master, start=start, end=end)
    return render(
        request,
        "accounting/office/pay_preview.html",
        {"form": form, "pay": pay, "master": master, "can_manage": _can_manage(request)},
    )


@backoffice_view(VIEW)
def statement_detail(request, statement_id: int):
    statement = _obj(PayStatement.objects.select_related("master"), statement_id)
    form = PayForm(request.POST or None)
    if request.method == "POST":
        if not _can_manage(request):
            raise Http404
        with refusals(request=request):
            if request.POST.get("action") == "void":
                services.pay_statement_void(
                    actor=request.user, business=request.business, statement_id=statement.pk
                )
                messages.success(request, _("Statement voided."))
            elif form.is_valid():
                services.pay_statement_pay(
                    actor=request.user,
                    business=request.business,
                    statement_id=statement.pk,
                    paid_from=form.cleaned_data["paid_from"],
                )
                messages.success(request, _("Statement paid."))
            else:
                return render(
                    request,
                    "accounting/office/statement_detail.html",
                    {"statement": statement, "form": form, "can_manage": True},
                )
        return redirect(
            "accounting:statement_detail",
            business_slug=request.business.slug,
            statement_id=statement.pk,
        )
    return render(
        request,
        "accounting/office/statement_detail.html",
        {"statement": statement, "form": form, "can_manage": _can_manage(request)},
    )
