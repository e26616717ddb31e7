"""The stock pages of the back office: stock per location (with its value on a
date, minimums and movements recorded by hand), products, recipes and margins,
transfers, stock-takes (scanner or by hand, printable sheet), and what a visit
actually used. Every write goes through `inventory.services`."""

from datetime import time
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking.models import Appointment, AppointmentItem
from solibook.catalog.models import Location, Service, ServiceVariant
from solibook.core.forms import choice_field
from solibook.core.money import minor_digits
from solibook.core.refusals import refusals
from solibook.core.time import local_to_utc
from solibook.finance.models import Product
from solibook.inventory import selectors, services
from solibook.inventory.forms import (
    CountForm,
    MinimumForm,
    MovementForm,
    ProductForm,
    RecipeLineForm,
    ScanForm,
    TransferForm,
    UsageForm,
)
from solibook.inventory.models import Kind, StockTake, StockTakeLine, StockTransfer, VisitUsage

RECIPE_ROWS = 6


def _locations(business):
    return list(Location.objects.filter(business=business).order_by("name"))


def _location(request, locations, value=None):
    wanted = value if value is not None else request.GET.get("location")
    for location in locations:
        if str(location.pk) == str(wanted):
            return location
    if wanted not in (None, ""):
        raise Http404
    return locations[0] if locations else None


def _products(business, **filters):
    return list(Product.objects.filter(business=business, is_active=True, **filters))


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount * 10 ** minor_digits(currency))


def _stock_url(business, location) -> str:
    return f"{reverse('inventory:stock', args=[business.slug])}?location={location.pk}"


# --- stock per location -----------------------------------------------------------------


@backoffice_view(Capability.VIEW_STOCK)
def stock(request, movement_form=None, minimum_form=None, status=200):
    business = request.business
    locations = _locations(business)
    location = _location(request, locations)
    at_day = parse_date(request.GET.get("at") or "")
    at = None
    if location is not None and at_day is not None:
        at = local_to_utc(at_day, time(23, 59), location.time_zone)
    products = _products(business)
    rows = (
        selectors.stock_at(business=business, location=location, at=at)
        if location is not None
        else []
    )
    context = {
        "locations": locations,
        "location": location,
        "at_day": at_day,
        "rows": rows,
        "total_value": sum(r.value for r in rows),
        "low": [r for r in rows if r.is_low],
        "negative": [r for r in rows if r.is_negative],
        "transfers": selectors.in_transit(business=business),
        "movement_form": movement_form or MovementForm(products=products),
        "minimum_form": minimum_form or MinimumForm(products=products),
        "can_manage": request.access.can(Capability.MANAGE_STOCK),
        "can_count": request.access.can(Capability.COUNT_STOCK),
        "currency": business.currency,
    }
    return render(request, "inventory/office/stock.html", context, status=status)


@require_POST
@backoffice_view(Capability.MANAGE_STOCK)
def movement_add(request):
    business = request.business
    location = _location(request, _locations(business), request.POST.get("location"))
    form = MovementForm(request.POST, products=_products(business))
    if form.is_valid():
        d = form.cleaned_data
        with refusals(form) as refused:
            if d["kind"] == Kind.WRITE_OFF:
                services.write_off(
                    business=business,
                    location=location,
                    product=d["product"],
                    quantity=d["quantity"],
                    unit=d["unit"] or None,
                    reason=d["write_off_reason"],
                    note=d["reason"],
                    actor=request.user,
                )
            else:
                services.movement_record(
                    business=business,
                    location=location,
                    product=d["product"],
                    kind=d["kind"],
                    quantity=d["quantity"],
                    unit=d["unit"] or None,
                    unit_cost=d["unit_cost"] if d["kind"] == Kind.RECEIPT else None,
                    reason=d["reason"],
                    actor=request.user,
                    counter_account="equity" if d["kind"] == Kind.RECEIPT else None,
                )
        if not refused:
            messages.success(request, _("Stock recorded."))
            return redirect(_stock_url(business, location))
        request.GET = request.GET.copy()
        request.GET["location"] = str(location.pk)
        return stock.__wrapped__(request, movement_form=form, status=refused.status)
    request.GET = request.GET.copy()
    request.GET["location"] = str(location.pk)
    return stock.__wrapped__(request, movement_form=form, status=400)


@require_POST
@backoffice_view(Capability.MANAGE_STOCK)
def minimum_set(request):
    business = request.business
    location = _location(request, _locations(business), request.POST.get("location"))
    form = MinimumForm(request.POST, products=_products(business))
    if form.is_valid():
        with refusals(form) as refused:
            services.minimum_set(
                business=business,
                location=location,
                product=form.cleaned_data["product"],
                minimum=form.cleaned_data["minimum"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Minimum saved."))
            return redirect(_stock_url(business, location))
    request.GET = request.GET.copy()
    request.GET["location"] = str(location.pk)
    return stock.__wrapped__(request, minimum_form=form, status=400)


@backoffice_view(Capability.VIEW_STOCK)
def movements(request):
    business = request.business
    locations = _locations(business)
    location = _location(request, locations)
    rows = selectors.movements(business=business, location=location)[:300]
    return render(
        request,
        "inventory/office/movements.html",
        {"locations": locations, "location": location, "movements": rows},
    )


# --- products ---------------------------------------------------------------------------


def _product_in(d, currency) -> services.ProductIn:
    return services.ProductIn(
        name=d["name"],
        name_fr=d["name_fr"],
        name_ru=d["name_ru"],
        name_ar=d["name_ar"],
        kind=d["kind"],
        stock_unit=d["stock_unit"],
        category=d["category"],
        barcode=d["barcode"],
        sku=d["sku"],
        price_amount=_minor(d["price"], currency),
        tax_rate=int(d["tax_rate"] * 100) if d["tax_rate"] is not None else None,
        is_active=d["is_active"],
    )


@backoffice_view(Capability.VIEW_STOCK)
def products(request):
    business = request.business
    form = ProductForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not request.access.can(Capability.MANAGE_STOCK):
            raise Http404
        if form.is_valid():
            with refusals(form) as refused:
                product = services.product_create(
                    business=business,
                    data=_product_in(form.cleaned_data, business.currency),
                    photo=form.cleaned_data["photo"],
                    actor=request.user,
                )
            if not refused:
                messages.success(request, _("Product added."))
                return redirect("inventory:product_edit", business.slug, product.pk)
            status = refused.status
        else:
            status = 400
    items = Product.objects.filter(business=business).order_by("-is_active", "category", "name")
    return render(
        request,
        "inventory/office/products.html",
        {
            "products": items,
            "form": form,
            "can_manage": request.access.can(Capability.MANAGE_STOCK),
            "currency": business.currency,
        },
        status=status,
    )


@backoffice_view(Capability.MANAGE_STOCK)
def product_edit(request, product_id: int):
    business = request.business
    product = Product.objects.filter(business=business, pk=product_id).first()
    if product is None:
        raise Http404
    digits = minor_digits(business.currency)
    initial = {
        "name": product.name,
        "name_fr": product.name_fr,
        "name_ru": product.name_ru,
        "name_ar": product.name_ar,
        "kind": product.kind,
        "stock_unit": product.stock_unit,
        "category": product.category,
        "barcode": product.barcode,
        "sku": product.sku,
        "price": Decimal(product.price_amount) / 10**digits,
        "tax_rate": Decimal(product.tax_rate) / 100 if product.tax_rate is not None else None,
        "is_active": product.is_active,
    }
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals(form) as refused:
                services.product_update(
                    business=business,
                    product_id=product.pk,
                    data=_product_in(form.cleaned_data, business.currency),
                    photo=form.cleaned_data["photo"],
                    actor=request.user,
                )
            if not refused:
                messages.success(request, _("Product saved."))
                return redirect("inventory:product_edit", business.slug, product.pk)
            status = refused.status
        else:
            status = 400
    locations = _locations(business)
    return render(
        request,
        "inventory/office/product_edit.html",
        {
            "product": product,
            "form": form,
            "average_cost": selectors.average_cost(business, product),
            "by_location": [
                (location, selectors.on_hand(location, product)) for location in locations
            ],
            "currency": business.currency,
        },
        status=status,
    )


# --- recipes ----------------------------------------------------------------------------


@backoffice_view(Capability.VIEW_STOCK)
def recipes(request):
    business = request.business
    rows: list[dict] = []
    for service in Service.objects.filter(business=business, is_active=True).prefetch_related(
        "variants"
    ):
        rows.append(
            {
                "service": service,
                "variant": None,
                "lines": selectors.recipe_of(service=service),
                "margin": selectors.service_margin(service=service),
            }
        )
        for variant in service.variants.all():
            rows.append(
                {
                    "service": service,
                    "variant": variant,
                    "lines": selectors.recipe_of(service=service, variant=variant),
                    "margin": selectors.service_margin(service=service, variant=variant),
                }
            )
    return render(
        request,
        "inventory/office/recipes.html",
        {
            "rows": rows,
            "can_manage": request.access.can(Capability.MANAGE_STOCK),
            "currency": business.currency,
        },
    )


@backoffice_view(Capability.MANAGE_STOCK)
def recipe_edit(request, service_id: int):
    business = request.business
    service = Service.objects.filter(business=business, pk=service_id).first()
    if service is None:
        raise Http404
    variant = None
    if request.GET.get("variant"):
        variant = ServiceVariant.objects.filter(
            business=business, service=service, pk=request.GET["variant"]
        ).first()
        if variant is None:
            raise Http404
    products = _products(business)
    current = [
        line
        for line in selectors.recipe_of(service=service, variant=variant)
        if variant is None or line.variant_id == getattr(variant, "pk", None)
    ]
    initial = [{"product": line.product_id, "quantity": line.quantity} for line in current]
    rows = [
        RecipeLineForm(
            request.POST or None,
            prefix=f"line-{i}",
            products=products,
            initial=initial[i] if i < len(initial) else None,
        )
        for i in range(max(RECIPE_ROWS, len(initial) + 2))
    ]
    status = 200
    error = ""
    if request.method == "POST":
        if all(row.is_valid() for row in rows):
            lines = [
                (r.cleaned_data["product"], r.cleaned_data["quantity"], r.cleaned_data["unit"])
                for r in rows
                if r.cleaned_data.get("product") and r.cleaned_data.get("quantity")
            ]
            with refusals(rows={"lines": rows}, form=rows[0]) as refused:
                services.recipe_set(
                    business=business,
                    service_id=service.pk,
                    variant_id=variant.pk if variant else None,
                    lines=lines,
                    actor=request.user,
                )
            if not refused:
                messages.success(request, _("Recipe saved."))
                return redirect("inventory:recipes", business.slug)
            status, error = refused.status, refused.message
        else:
            status = 400
    return render(
        request,
        "inventory/office/recipe_edit.html",
        {"service": service, "variant": variant, "rows": rows, "error": error},
        status=status,
    )


# --- transfers --------------------------------------------------------------------------


@backoffice_view(Capability.VIEW_STOCK)
def transfers(request):
    business = request.business
    locations = _locations(business)
    source = _location(request, locations)
    form = TransferForm(
        request.POST or None,
        locations=[loc for loc in locations if loc != source],
        products=_products(business),
    )
    status = 200
    if request.method == "POST":
        if not request.access.can(Capability.MANAGE_STOCK):
            raise Http404
        source = _location(request, locations, request.POST.get("location"))
        choice_field(form, "to_location").choices = [(loc.pk, loc.name) for loc in locations]
        if form.is_valid():
            d = form.cleaned_data
            with refusals(form) as refused:
                services.transfer_send(
                    business=business,
                    from_location=source,
                    to_location=d["to_location"],
                    items=[(d["product"], d["quantity"])],
                    note=d["note"],
                    actor=request.user,
                )
            if not refused:
                messages.success(request, _("Transfer sent: the goods are in transit."))
                return redirect(f"{reverse('inventory:transfers', args=[business.slug])}")
            status = refused.status
        else:
            status = 400
    return render(
        request,
        "inventory/office/transfers.html",
        {
            "locations": locations,
            "location": source,
            "form": form,
            "transfers": StockTransfer.objects.filter(business=business)
            .select_related("from_location", "to_location", "sent_by", "received_by")
            .prefetch_related("movements__product")[:100],
            "can_manage": request.access.can(Capability.MANAGE_STOCK),
            "can_count": request.access.can(Capability.COUNT_STOCK),
        },
        status=status,
    )


@require_POST
@backoffice_view(Capability.COUNT_STOCK)
def transfer_receive(request, transfer_id: int):
    with refusals(request=request, not_found_404=True):
        services.transfer_receive(
            business=request.business, transfer_id=transfer_id, actor=request.user
        )
        messages.success(request, _("Transfer received: the goods are on the shelf."))
    return redirect("inventory:transfers", request.business.slug)


# --- stock-takes ------------------------------------------------------------------------


@backoffice_view(Capability.COUNT_STOCK)
def stocktakes(request):
    business = request.business
    locations = _locations(business)
    if request.method == "POST":
        location = _location(request, locations, request.POST.get("location"))
        take = services.stocktake_start(business=business, location=location, actor=request.user)
        return redirect("inventory:stocktake", business.slug, take.pk)
    return render(
        request,
        "inventory/office/stocktakes.html",
        {
            "locations": locations,
            "takes": StockTake.objects.filter(business=business).select_related(
                "location", "started_by", "booked_by"
            )[:100],
        },
    )


def _take_or_404(business, stock_take_id) -> StockTake:
    take = (
        StockTake.objects.filter(business=business, pk=stock_take_id)
        .select_related("location")
        .first()
    )
    if take is None:
        raise Http404
    return take


@backoffice_view(Capability.COUNT_STOCK)
def stocktake(request, stock_take_id: int):
    business = request.business
    take = _take_or_404(business, stock_take_id)
    products = _products(business)
    scan = ScanForm(request.POST if request.POST.get("form") == "scan" else None)
    count = CountForm(
        request.POST if request.POST.get("form") == "count" else None, products=products
    )
    status = 200
    if request.method == "POST":
        form = scan if scan.is_bound else count
        if form.is_valid():
            with refusals(form) as refused:
                line = services.stocktake_count(
                    business=business,
                    stock_take_id=take.pk,
                    barcode=form.cleaned_data.get("barcode", ""),
                    product_id=form.cleaned_data.get("product"),
                    counted=form.cleaned_data.get("counted"),
                    actor=request.user,
                )
            if not refused:
                messages.success(
                    request,
                    _("%(product)s: %(count)s counted.")
                    % {
                        "product": line.product.display_name,
                        "count": f"{line.counted.normalize():f}",
                    },
                )
                return redirect("inventory:stocktake", business.slug, take.pk)
            status = refused.status
        else:
            status = 400
    lines = list(take.lines.select_related("product", "counted_by"))
    expected: dict[int, Decimal | None] = (
        dict(selectors.on_hand_many(take.location, [line.product for line in lines]))
        if take.status == StockTake.Status.OPEN
        else {line.product_id: line.expected for line in lines}
    )
    rows = [
        {
            "line": line,
            "expected": expected.get(line.product_id),
            "difference": line.counted - (expected.get(line.product_id) or 0),
        }
        for line in lines
    ]
    return render(
        request,
        "inventory/office/stocktake.html",
        {"take": take, "rows": rows, "scan": scan, "count": count},
        status=status,
    )


@require_POST
@backoffice_view(Capability.COUNT_STOCK)
def stocktake_book(request, stock_take_id: int):
    take = _take_or_404(request.business, stock_take_id)
    with refusals(request=request):
        made = services.stocktake_book(
            business=request.business, stock_take_id=take.pk, actor=request.user
        )
        messages.success(
            request,
            ngettext(
                "Count booked: %(n)s difference written as an adjustment.",
                "Count booked: %(n)s differences written as adjustments.",
                len(made),
            )
            % {"n": len(made)},
        )
    return redirect("inventory:stocktake", request.business.slug, take.pk)


@backoffice_view(Capability.COUNT_STOCK)
def stocktake_sheet(request, stock_take_id: int):
    """The printable count sheet: every product with an empty box to write in."""
    business = request.business
    take = _take_or_404(business, stock_take_id)
    counted = {
        line.product_id: line.counted for line in StockTakeLine.objects.filter(stock_take=take)
    }
    items = Product.objects.filter(business=business, is_active=True).order_by("category", "name")
    return render(
        request,
        "inventory/office/stocktake_sheet.html",
        {"take": take, "rows": [(p, counted.get(p.pk)) for p in items]},
    )


# --- a visit's materials ----------------------------------------------------------------


@backoffice_view(Capability.RECORD_MATERIALS)
def visit_materials(request, appointment_id: int):
    business = request.business
    appointment = (
        Appointment.objects.filter(business=business, pk=appointment_id)
        .select_related("location")
        .first()
    )
    if appointment is None:
        raise Http404
    # A master records for their own visits only.
    if (
        not request.access.can(Capability.MANAGE_BOOKINGS)
        and not AppointmentItem.objects.filter(
            appointment=appointment, master__user=request.user
        ).exists()
    ):
        raise Http404
    products = _products(business, kind=Product.Kind.PROFESSIONAL)
    form = UsageForm(request.POST or None, products=products)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            with refusals(form) as refused:
                services.visit_usage_record(
                    business=business,
                    appointment_id=appointment.pk,
                    product_id=d["product"],
                    quantity=d["quantity"],
                    unit=d["unit"] or None,
                    actor=request.user,
                )
            if not refused:
                messages.success(request, _("What was used is recorded."))
                return redirect("inventory:visit_materials", business.slug, appointment.pk)
            status = refused.status
        else:
            status = 400
    planned = services.visit_planned_use(appointment)
    names = {p.pk: p for p in Product.objects.filter(business=business, pk__in=list(planned))}
    recorded = {u.product_id for u in VisitUsage.objects.filter(appointment=appointment)}
    return render(
        request,
        "inventory/office/visit_materials.html",
        {
            "appointment": appointment,
            "planned": [(names[pk], q, pk in recorded) for pk, q in planned.items() if pk in names],
            "form": form,
        },
        status=status,
    )
