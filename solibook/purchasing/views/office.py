"""Back-office pages of purchasing. Thin: a form, one service call.

Reading needs `view_purchasing` (owners, managers, receptionists,
accountants); receiving a delivery `receive_deliveries` (owners, managers,
receptionists); offers, drafting and sending orders `manage_purchasing`
(owners, managers); supplier invoices `manage_accounting`. Every query runs
in the business's scope, so another business's ids are 404.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounting.models import Supplier
from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location
from solibook.core.ids import as_db_id
from solibook.core.money import Money
from solibook.core.refusals import refusals
from solibook.finance.models import Product
from solibook.forecasting.selectors import expected_use as forecast_use
from solibook.purchasing import selectors, services
from solibook.purchasing.forms import (
    InvoiceForm,
    LineForm,
    OfferForm,
    OrderForm,
    PayForm,
    ReceiveForm,
    SupplierLanguageForm,
)
from solibook.purchasing.models import (
    PurchaseOrder,
    Receipt,
    SupplierInvoice,
    SupplierProduct,
    SupplierProfile,
)
from solibook.purchasing.pdf import order_pdf
from solibook.purchasing.services.invoices import order_invoiced, order_on_account

VIEW = Capability.VIEW_PURCHASING
RECEIVE = Capability.RECEIVE_DELIVERIES
MANAGE = Capability.MANAGE_PURCHASING
INVOICES = Capability.MANAGE_ACCOUNTING


def _obj(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _can(request, capability) -> bool:
    return request.access.can(capability)


def _order_url(request, order_id: int) -> str:
    return reverse("purchasing:order_detail", args=[request.business.slug, order_id])


# ---------------------------------------------------------------- orders


@backoffice_view(VIEW)
def order_list(request):
    business = request.business
    form = OrderForm(
        request.POST or None,
        suppliers=Supplier.objects.filter(is_active=True).order_by("name"),
        locations=Location.objects.order_by("name"),
    )
    if request.method == "POST":
        if not _can(request, MANAGE):
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                order = services.order_create(
                    actor=request.user, business=business, **form.cleaned_data
                )
            if not refused:
                messages.success(request, _("Draft order created: add its lines."))
                return redirect(_order_url(request, order.pk))
    status = request.GET.get("status", "")
    orders = PurchaseOrder.objects.select_related("supplier", "location").prefetch_related("lines")
    if status in PurchaseOrder.Status.values:
        orders = orders.filter(status=status)
    return render(
        request,
        "purchasing/office/order_list.html",
        {
            "form": form,
            "orders": orders[:200],
            "status": status,
            "statuses": PurchaseOrder.Status.choices,
            "in_transit": selectors.in_transit_lines(business=business)[:200],
            "can_manage": _can(request, MANAGE),
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view(VIEW)
def order_detail(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    return _order_page(request, order)


def _order_page(request, order: PurchaseOrder, status: int = 200, **forms):
    """The order's page; a refused form comes back in `forms` with its messages."""
    lines = list(order.lines.select_related("product", "offer"))
    context = {
        "order": order,
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "receipts": Receipt.objects.filter(order=order).prefetch_related("lines__line__product"),
        "invoices": SupplierInvoice.objects.filter(order=order),
        "can_manage": _can(request, MANAGE),
        "can_receive": _can(request, RECEIVE),
        "can_invoice": _can(request, INVOICES),
    }
    if order.status == PurchaseOrder.Status.DRAFT:
        context["line_form"] = LineForm(offers=_offers_of(order))
    if order.is_open:
        context["receive_form"] = ReceiveForm(
            lines=[line for line in lines if line.outstanding_packs]
        )
    if order.status != PurchaseOrder.Status.DRAFT:
        context["invoice_form"] = InvoiceForm(currency=order.currency)
        context["pay_form"] = PayForm()
        context["on_account"] = order_on_account(order)
        context["invoiced"] = order_invoiced(order)
    context.update(forms)
    return render(request, "purchasing/office/order_detail.html", context, status=status)


def _offers_of(order: PurchaseOrder):
    return (
        SupplierProduct.objects.filter(supplier_id=order.supplier_id, is_active=True)
        .select_related("product")
        .order_by("product__name", "pack_size")
    )


@require_POST
@backoffice_view(MANAGE)
def order_line(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    form = LineForm(request.POST, offers=_offers_of(order))
    if form.is_valid():
        with refusals(form) as refused:
            services.order_line_set(
                actor=request.user,
                business=request.business,
                order_id=order.pk,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("Order line saved."))
            return redirect(_order_url(request, order.pk))
    return _order_page(request, order, 400, line_form=form)


@require_POST
@backoffice_view(MANAGE)
def order_send(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    with refusals(request=request) as refused:
        services.order_send(actor=request.user, business=request.business, order_id=order.pk)
    if not refused:
        order.refresh_from_db()
        messages.success(
            request,
            _("Order sent to %(email)s, with its PDF in %(language)s.")
            % {"email": order.sent_to, "language": _language_name(order.language)},
        )
    return redirect(_order_url(request, order.pk))


@require_POST
@backoffice_view(MANAGE)
def order_email(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    with refusals(request=request) as refused:
        services.order_email(business=request.business, order=order)
    if not refused:
        messages.success(
            request, _("Order e-mailed again to %(email)s.") % {"email": order.sent_to}
        )
    return redirect(_order_url(request, order.pk))


@require_POST
@backoffice_view(MANAGE)
def order_cancel(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    with refusals(request=request) as refused:
        services.order_cancel(actor=request.user, business=request.business, order_id=order.pk)
    if not refused:
        messages.success(request, _("Order cancelled."))
    return redirect(_order_url(request, order.pk))


@require_POST
@backoffice_view(RECEIVE)
def order_receive(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    lines = [line for line in order.lines.select_related("product") if line.outstanding_packs]
    form = ReceiveForm(request.POST, lines=lines)
    if form.is_valid():
        with refusals(form, fields=lambda key: key.replace("lines.", "line_")) as refused:
            services.order_receive(
                actor=request.user,
                business=request.business,
                order_id=order.pk,
                packs=form.packs(),
                paid_from=form.cleaned_data["paid_from"],
                note=form.cleaned_data["note"],
            )
        if not refused:
            messages.success(request, _("Delivery received: the stock is updated."))
            return redirect(_order_url(request, order.pk))
    return _order_page(request, order, 400, receive_form=form)


@backoffice_view(VIEW)
def order_pdf_view(request, order_id: int):
    order = _obj(PurchaseOrder.objects.select_related("supplier", "location"), order_id)
    response = HttpResponse(order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.label}.pdf"'
    return response


@require_POST
@backoffice_view(INVOICES)
def invoice_record(request, order_id: int):
    order = _obj(PurchaseOrder.objects, order_id)
    form = InvoiceForm(request.POST, currency=order.currency)
    if form.is_valid():
        with refusals(form) as refused:
            services.invoice_record(
                actor=request.user,
                business=request.business,
                order_id=order.pk,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("Supplier invoice recorded: it waits to be paid."))
            return redirect(_order_url(request, order.pk))
    return _order_page(request, order, 400, invoice_form=form)


@require_POST
@backoffice_view(INVOICES)
def invoice_pay(request, invoice_id: int):
    invoice = _obj(SupplierInvoice.objects, invoice_id)
    form = PayForm(request.POST)
    if form.is_valid():
        with refusals(request=request) as refused:
            services.invoice_pay(
                actor=request.user,
                business=request.business,
                invoice_id=invoice.pk,
                paid_from=form.cleaned_data["paid_from"],
            )
        if not refused:
            messages.success(request, _("Invoice paid: the supplier is no longer owed it."))
    else:
        messages.error(request, _("Choose the account the invoice is paid from."))
    return redirect(_order_url(request, invoice.order_id))


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


# ---------------------------------------------------------------- suggestions


@backoffice_view(VIEW)
def suggestions(request):
    business = request.business
    found = selectors.reorder_suggestions(
        business=business, expected_use=forecast_use(business=business)
    )
    status = 200
    if request.method == "POST":
        if not _can(request, MANAGE):
            raise Http404
        items = []
        for key in request.POST.getlist("pick"):
            location_id, _sep, product_id = key.partition("-")
            items.append(
                {
                    "location_id": as_db_id(location_id),
                    "offer_id": as_db_id(request.POST.get(f"offer_{key}", "")),
                    "packs": as_db_id(request.POST.get(f"packs_{key}", "")) or 0,
                }
            )
        with refusals(request=request) as refused:
            orders = services.orders_from_suggestions(
                actor=request.user, business=business, items=items
            )
        if not refused:
            messages.success(
                request,
                _("Draft orders ready to check and send: %(orders)s.")
                % {"orders": ", ".join(o.label for o in orders)},
            )
            if len(orders) == 1:
                return redirect(_order_url(request, orders[0].pk))
            return redirect("purchasing:order_list", business_slug=business.slug)
        status = refused.status
    return render(
        request,
        "purchasing/office/suggestions.html",
        {"suggestions": found, "can_manage": _can(request, MANAGE)},
        status=status,
    )


# ---------------------------------------------------------------- suppliers and offers


@backoffice_view(VIEW)
def supplier_list(request):
    owed = selectors.owed_by_supplier(business=request.business)
    suppliers = Supplier.objects.annotate(
        offer_count=Count("offers", filter=Q(offers__is_active=True))
    ).order_by("name")
    languages = dict(SupplierProfile.objects.values_list("supplier_id", "language"))
    rows = [
        {
            "supplier": s,
            "offers": s.offer_count,
            "owed": owed.get(s.pk, 0),
            "language": _language_name(languages.get(s.pk, "en")),
        }
        for s in suppliers
    ]
    return render(
        request,
        "purchasing/office/supplier_list.html",
        {"rows": rows, "currency": request.business.currency},
    )


@backoffice_view(VIEW)
def supplier_detail(request, supplier_id: int):
    business = request.business
    supplier = _obj(Supplier.objects, supplier_id)
    can_manage = _can(request, MANAGE)
    language_form = SupplierLanguageForm(initial={"language": services.supplier_language(supplier)})
    offer_form = OfferForm(
        products=Product.objects.filter(is_active=True).order_by("name"),
        currency=business.currency,
    )
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if "language" in request.POST:
            language_form = SupplierLanguageForm(request.POST)
            if language_form.is_valid():
                with refusals(language_form) as refused:
                    services.supplier_language_set(
                        actor=request.user,
                        business=business,
                        supplier_id=supplier.pk,
                        **language_form.cleaned_data,
                    )
                if not refused:
                    messages.success(request, _("Language of orders saved."))
                    return redirect("purchasing:supplier_detail", business.slug, supplier.pk)
        else:
            offer_form = OfferForm(
                request.POST,
                products=Product.objects.filter(is_active=True).order_by("name"),
                currency=business.currency,
            )
            if offer_form.is_valid():
                with refusals(offer_form) as refused:
                    services.offer_create(
                        actor=request.user,
                        business=business,
                        supplier_id=supplier.pk,
                        **offer_form.cleaned_data,
                    )
                if not refused:
                    messages.success(request, _("Offer saved."))
                    return redirect("purchasing:supplier_detail", business.slug, supplier.pk)
        status = 400
    return render(
        request,
        "purchasing/office/supplier_detail.html",
        {
            "supplier": supplier,
            "offers": SupplierProduct.objects.filter(supplier=supplier)
            .select_related("product")
            .order_by("-is_active", "product__name"),
            "orders": PurchaseOrder.objects.filter(supplier=supplier)[:20],
            "language_form": language_form,
            "offer_form": offer_form,
            "can_manage": can_manage,
        },
        status=status,
    )


@backoffice_view(MANAGE)
def offer_edit(request, offer_id: int):
    business = request.business
    offer = _obj(SupplierProduct.objects.select_related("supplier", "product"), offer_id)
    initial = {
        "pack_name": offer.pack_name,
        "pack_size": offer.pack_size,
        "price_amount": Money(offer.price_amount, offer.currency).as_decimal(),
        "lead_time_days": offer.lead_time_days,
        "supplier_sku": offer.supplier_sku,
        "is_preferred": offer.is_preferred,
        "is_active": offer.is_active,
    }
    form = OfferForm(request.POST or None, initial=initial, currency=offer.currency, editing=True)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.offer_update(
                actor=request.user, business=business, offer_id=offer.pk, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Offer saved."))
            return redirect("purchasing:supplier_detail", business.slug, offer.supplier_id)
    return render(
        request,
        "purchasing/office/offer_edit.html",
        {"form": form, "offer": offer},
        status=400 if request.method == "POST" else 200,
    )
