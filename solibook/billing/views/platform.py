"""The operator's billing pages: every salon's invoices, a transfer marked paid, a
regenerated invoice, a credit granted (platform staff)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.billing import selectors, services
from solibook.billing.documents import invoice_pdf
from solibook.billing.forms import CreditForm, MarkPaidForm
from solibook.billing.models import Invoice
from solibook.catalog.models import Business
from solibook.core.refusals import refusals


@platform_view(capability=PlatformCapability.VIEW_PLATFORM_FINANCE)
def invoice_list(request):
    status = request.GET.get("status", "")
    if status not in {s.value for s in Invoice.Status}:
        status = ""
    with scopes_disabled():
        invoices = [
            (i, selectors.amount_due(i)) for i in selectors.invoices_for_platform(status=status)
        ]
        businesses = list(Business.objects.order_by("name").only("pk", "name"))
    context = {
        "invoices": invoices,
        "status": status,
        "statuses": Invoice.Status.choices,
        "mrr": selectors.monthly_recurring_revenue(),
        "by_plan": selectors.subscriptions_by_plan(),
        "businesses": businesses,
        "credit_form": CreditForm(),
    }
    return render(request, "billing/platform/invoices.html", context)


@require_POST
@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
def invoice_mark_paid(request, invoice_id: int):
    form = MarkPaidForm(request.POST)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""
    with refusals(request=request, not_found_404=True) as refused:
        invoice = services.invoice_mark_paid(
            invoice_id=invoice_id, actor=request.user, reference=reference
        )
    if not refused:
        messages.success(request, _("Invoice %(number)s is paid.") % {"number": invoice.number})
    return redirect("billing:platform_invoices")


@require_POST
@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
def invoice_regenerate(request, invoice_id: int):
    with scopes_disabled():
        invoice = Invoice.objects.select_related("business").filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    with refusals(request=request, not_found_404=True) as refused:
        new = services.invoice_regenerate(
            business=invoice.business, invoice_id=invoice_id, actor=request.user
        )
    if not refused:
        messages.success(
            request,
            _("Invoice %(old)s is void; %(new)s replaces it.")
            % {"old": invoice.number, "new": new.number},
        )
    return redirect("billing:platform_invoices")


@platform_view(capability=PlatformCapability.VIEW_PLATFORM_FINANCE)
def invoice_download(request, invoice_id: int):
    with scopes_disabled():
        invoice = Invoice.objects.select_related("business").filter(pk=invoice_id).first()
        if invoice is None:
            raise Http404
        content = invoice_pdf(invoice)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@require_POST
@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
def credit_grant(request):
    form = CreditForm(request.POST)
    business = Business.objects.filter(pk=request.POST.get("business") or 0).first()
    if business is None or not form.is_valid():
        messages.error(request, _("Choose a salon, a positive amount and a reason."))
        return redirect("billing:platform_invoices")
    with refusals(request=request) as refused:
        services.credit_grant(
            business=business,
            amount=form.cleaned_data["amount"],
            description=form.cleaned_data["description"],
            actor=request.user,
        )
    if not refused:
        messages.success(
            request, _("%(salon)s is credited on its next invoice.") % {"salon": business.name}
        )
    return redirect("billing:platform_invoices")
