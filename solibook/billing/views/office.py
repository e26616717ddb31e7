"""The salon's billing: its plan and usage, plan changes, invoices, PDF, paying by card."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.billing import selectors, services
from solibook.billing.documents import invoice_pdf
from solibook.billing.forms import PlanForm
from solibook.billing.labels import feature_name
from solibook.billing.models import Charge, Invoice
from solibook.commissions import selectors as commission_selectors
from solibook.core.money import format_money
from solibook.core.refusals import refusals

CAPABILITY = Capability.MANAGE_BUSINESS


def _invoice(request, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(business=request.business, pk=invoice_id)
        .select_related("business", "credit_note_of")
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


@backoffice_view(CAPABILITY)
def billing_home(request):
    business = request.business
    subscription = selectors.subscription_of(business)
    current = selectors.plan_of(business)
    plans = [
        {
            "plan": plan,
            "price": plan.price_in(business.currency),
            "features": [feature_name(f) for f in plan.features],
            "current": plan.code == current.code,
            "commission": f"{plan.commission_rate_bp / 100:g}",
        }
        for plan in selectors.plans()
        if plan.price_in(business.currency) is not None or not plan.prices
    ]
    invoices = [(i, selectors.amount_due(i)) for i in selectors.invoices_of(business)]
    sms = selectors.sms_usage(business)
    context = {
        "subscription": subscription,
        "current": current,
        "plans": plans,
        "usage": services.usage_of(business),
        "sms": sms,
        "sms_price": format_money(
            selectors.sms_price(sms.currency), sms.currency, get_language() or "en"
        )
        if selectors.sms_price(sms.currency)
        else "",
        "invoices": invoices,
        "upcoming": selectors.uninvoiced_charges(business),
        "currency": business.currency,
        "section": "billing",
    }
    return render(request, "billing/office/home.html", context)


@require_POST
@backoffice_view(CAPABILITY)
def plan_change(request):
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the plans on offer."))
        return redirect("billing:office", request.business.slug)
    with refusals(request=request) as refused:
        services.subscription_change(
            business=request.business, plan_code=form.cleaned_data["plan"], actor=request.user
        )
    if not refused:
        messages.success(
            request,
            _("Your plan is now %(plan)s.") % {"plan": selectors.plan_of(request.business).name},
        )
    return redirect("billing:office", request.business.slug)


@backoffice_view(CAPABILITY)
def invoice_detail(request, invoice_id: int):
    invoice = _invoice(request, invoice_id)
    sources = Charge.objects.filter(invoice=invoice).values_list("source", flat=True)
    context = {
        "invoice": invoice,
        "deducted": invoice.total - invoice.net_total - invoice.tax_total,
        "commission_lines": commission_selectors.lines_on_invoice(
            business=request.business, sources=list(sources)
        ),
        "due": selectors.amount_due(invoice),
        "vat": f"{invoice.vat_rate_bp / 100:g}",
        "lines": list(invoice.lines.all()),
        "credit_notes": list(invoice.credit_notes.all()),
        "section": "billing",
    }
    return render(request, "billing/office/invoice.html", context)


@backoffice_view(CAPABILITY)
def invoice_download(request, invoice_id: int):
    invoice = _invoice(request, invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@require_POST
@backoffice_view(CAPABILITY)
def invoice_pay(request, invoice_id: int):
    back = request.build_absolute_uri(
        reverse("billing:invoice_paid", args=[request.business.slug, invoice_id])
    )
    cancel = request.build_absolute_uri(
        reverse("billing:invoice", args=[request.business.slug, invoice_id])
    )
    with refusals(request=request, not_found_404=True) as refused:
        url = services.invoice_pay_start(
            business=request.business,
            invoice_id=invoice_id,
            success_url=back,
            cancel_url=cancel,
            language=get_language() or "en",
            actor=request.user,
        )
    if refused:
        return redirect("billing:invoice", request.business.slug, invoice_id)
    return redirect(url)


@backoffice_view(CAPABILITY)
def invoice_paid(request, invoice_id: int):
    with refusals(as_404=True):
        invoice = services.invoice_pay_return(business=request.business, invoice_id=invoice_id)
    if invoice.status == Invoice.Status.PAID:
        messages.success(
            request, _("Thank you: invoice %(number)s is paid.") % {"number": invoice.number}
        )
    else:
        messages.warning(request, _("The payment has not gone through yet."))
    return redirect("billing:invoice", request.business.slug, invoice_id)
