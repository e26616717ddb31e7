"""Back-office pages of the compliance area. Thin: a form, one service call.

Reading needs `view_finance`; changing the operator's settings, retrying a
receipt and the accounting codes need `manage_accounting`. Every query runs in
the business's scope, so another business's ids are 404.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounting.queries import business_zone
from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.compliance import packages, reconcile, selectors, services, tasks
from solibook.compliance.forms import ExportForm, FiscalSettingsForm, PeriodForm
from solibook.compliance.models import FiscalReceipt, ZatcaInvoice
from solibook.core.refusals import refusals
from solibook.core.time import to_local, utcnow

VIEW = Capability.VIEW_FINANCE
MANAGE = Capability.MANAGE_ACCOUNTING


def _today(business) -> date:
    return to_local(utcnow(), business_zone(business)).date()


def _last_month(business) -> tuple[date, date]:
    first_of_this = _today(business).replace(day=1)
    end = first_of_this - timedelta(days=1)
    return end.replace(day=1), end


@backoffice_view(VIEW)
def home(request):
    business = request.business
    if business.country == "SA":
        return redirect("compliance:zatca", business_slug=business.slug)
    if business.country == "RU":
        return redirect("compliance:fiscal", business_slug=business.slug)
    return redirect("compliance:exports", business_slug=business.slug)


@backoffice_view(VIEW)
def zatca_page(request):
    return render(
        request,
        "compliance/office/zatca.html",
        {
            "tab": "zatca",
            "status": selectors.zatca_status(business=request.business),
            "invoices": selectors.zatca_invoices(business=request.business)[:100],
        },
    )


def _xml_response(invoice: ZatcaInvoice) -> HttpResponse:
    response = HttpResponse(invoice.xml.encode("utf-8"), content_type="application/xml")
    name = "credit-note" if invoice.refund_id else "invoice"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{invoice.checkout.number}-{invoice.icv}.xml"'
    )
    return response


@backoffice_view(VIEW)
def zatca_xml(request, checkout_id: int):
    invoice = (
        ZatcaInvoice.objects.filter(checkout_id=checkout_id, refund__isnull=True)
        .select_related("checkout")
        .first()
    )
    if invoice is None:
        raise Http404
    return _xml_response(invoice)


@backoffice_view(VIEW)
def zatca_credit_note_xml(request, refund_id: int):
    invoice = ZatcaInvoice.objects.filter(refund_id=refund_id).select_related("checkout").first()
    if invoice is None:
        raise Http404
    return _xml_response(invoice)


def _fiscal_form(request, row):
    initial = {
        f: getattr(row, f)
        for f in (
            "enabled",
            "sandbox",
            "login",
            "group_code",
            "inn",
            "tax_system",
            "payment_address",
            "company_email",
        )
    }
    return FiscalSettingsForm(request.POST or None, initial=initial)


@backoffice_view(VIEW)
def fiscal_page(request):
    business = request.business
    row = services.fiscal_settings_for(business)
    form = _fiscal_form(request, row)
    can_manage = request.access.can(MANAGE)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                services.fiscal_settings_update(
                    business=business, actor=request.user, **form.cleaned_data
                )
            if not refused:
                messages.success(request, _("Settings saved."))
                return redirect("compliance:fiscal", business_slug=business.slug)
            status = refused.status
        else:
            status = 400
    return render(
        request,
        "compliance/office/fiscal.html",
        {
            "tab": "fiscal",
            "form": form,
            "settings_row": row,
            "can_manage": can_manage,
            "receipts": selectors.fiscal_receipts(business=business)[:100],
            "applies": business.country == "RU",
        },
        status=status,
    )


@require_POST
@backoffice_view(MANAGE)
def fiscal_retry(request, receipt_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        receipt = services.fiscal_retry(
            business=request.business, receipt_id=receipt_id, actor=request.user
        )
    if not refused:
        tasks.schedule(business_id=request.business.pk, receipt_id=receipt.pk)
        receipt.refresh_from_db()
        if receipt.status == FiscalReceipt.Status.DONE:
            messages.success(request, _("The receipt is registered."))
        else:
            messages.info(request, _("The receipt is being sent again."))
    return redirect("compliance:fiscal", business_slug=request.business.slug)


@backoffice_view(VIEW)
def exports_page(request):
    business = request.business
    start, end = _last_month(business)
    package = (
        request.GET.get("package") if request.GET.get("package") in packages.PACKAGES else "xero"
    )
    # Only the form's own submit has dates; the accounts' tabs pass just the package.
    submitted = "start" in request.GET
    form = ExportForm(
        request.GET if submitted else None,
        initial={"start": start, "end": end, "package": package},
    )
    if submitted and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            export = packages.package_export(
                business=business,
                package=data["package"],
                start=data["start"],
                end=data["end"],
                codes=selectors.codes_map(business=business, package=data["package"]),
            )
        if not refused:
            response = HttpResponse(export.body.encode("utf-8"), content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    return render(
        request,
        "compliance/office/exports.html",
        {
            "tab": "exports",
            "form": form,
            "package": package,
            "package_name": packages.PACKAGES[package],
            "packages": packages.PACKAGES,
            "codes": selectors.account_codes(business=business, package=package),
            "can_manage": request.access.can(MANAGE),
        },
        status=400 if submitted and not form.is_valid() else 200,
    )


@require_POST
@backoffice_view(MANAGE)
def account_codes(request, package: str):
    if package not in packages.PACKAGES:
        raise Http404
    codes = {
        key[len("code:") :]: value for key, value in request.POST.items() if key.startswith("code:")
    }
    with refusals(request=request) as refused:
        services.account_codes_update(
            business=request.business, package=package, codes=codes, actor=request.user
        )
    if not refused:
        messages.success(request, _("Account codes saved."))
    url = reverse("compliance:exports", args=[request.business.slug])
    return redirect(f"{url}?package={package}#codes")


@backoffice_view(VIEW)
def reconciliation_page(request):
    business = request.business
    start, end = _last_month(business)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    result = None
    status = 200
    if request.GET:
        if form.is_valid():
            with refusals(form) as refused:
                result = reconcile.reconcile(
                    business=business,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            status = refused.status if refused else 200
        else:
            status = 400
    return render(
        request,
        "compliance/office/reconciliation.html",
        {"tab": "reconciliation", "form": form, "result": result, "statuses": reconcile.STATUSES},
        status=status,
    )
