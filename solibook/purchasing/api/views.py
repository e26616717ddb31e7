"""Purchasing API: suppliers' offers, purchase orders (lines, send, cancel,
receive), supplier invoices, goods in transit and reorder suggestions.

Thin views over `purchasing.services` (writes, inside `run_idempotent`) and
`purchasing.selectors`. Reading needs `view_purchasing`; receiving
`receive_deliveries`; offers and orders `manage_purchasing`; invoices
`manage_accounting`. Ids in paths and bodies are looked up in the business's
scope, so another salon's ids are 404.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.forecasting.selectors import expected_use as forecast_use
from solibook.purchasing import selectors, services
from solibook.purchasing.api.serializers import (
    InTransitOut,
    InvoiceIn,
    InvoiceOut,
    InvoicePayIn,
    OfferIn,
    OfferOut,
    OfferPatchIn,
    OrderIn,
    OrderLineIn,
    OrderOut,
    ReceiptOut,
    ReceiveIn,
    SuggestionOrdersIn,
    SuggestionOut,
    SupplierLanguageIn,
)
from solibook.purchasing.models import PurchaseOrder, SupplierInvoice, SupplierProduct

VIEW = Capability.VIEW_PURCHASING
MANAGE = Capability.MANAGE_PURCHASING
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)
TAGS = ["purchasing"]


class PurchasingApi(BusinessScopedMixin, APIView):
    capability = VIEW
    capability_by_method = dict.fromkeys(("POST", "PATCH"), MANAGE)


def _get(queryset, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _order(pk: int) -> PurchaseOrder:
    return _get(PurchaseOrder.objects.prefetch_related("lines__product"), pk)


def _order_out(order: PurchaseOrder) -> dict:
    return OrderOut(_order(order.pk)).data


# ---------------------------------------------------------------- offers


@extend_schema(tags=TAGS)
class OfferListApi(PurchasingApi):
    """Suppliers' offers: a product in a pack, its size in the product's stock unit, its price per pack before VAT and the lead time."""

    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("supplier_id", int, description="One supplier's offers.")],
        responses=OfferOut(many=True),
        summary="Suppliers' offers",
    )
    def get(self, request, business_id: int):
        rows = SupplierProduct.objects.select_related("product").order_by("product__name", "id")
        supplier_id = request.query_params.get("supplier_id", "")
        if supplier_id.isdigit():
            rows = rows.filter(supplier_id=int(supplier_id))
        return paginated(self, rows, OfferOut)

    @extend_schema(
        request=OfferIn, responses={201: OfferOut}, parameters=[IDEMPOTENCY], summary="Add an offer"
    )
    def post(self, request, business_id: int):
        data = body(OfferIn, request)
        return run_idempotent(
            request,
            operation="purchasing.offer_create",
            handler=lambda: Response(
                OfferOut(
                    services.offer_create(actor=request.user, business=self.business, **data)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class OfferDetailApi(PurchasingApi):
    @extend_schema(responses=OfferOut, summary="One offer")
    def get(self, request, business_id: int, offer_id: int):
        return Response(OfferOut(_get(SupplierProduct.objects, offer_id)).data)

    @extend_schema(request=OfferPatchIn, responses=OfferOut, summary="Change an offer")
    def patch(self, request, business_id: int, offer_id: int):
        _get(SupplierProduct.objects, offer_id)
        data = body(OfferPatchIn, request)
        return Response(
            OfferOut(
                services.offer_update(
                    actor=request.user, business=self.business, offer_id=offer_id, **data
                )
            ).data
        )


@extend_schema(tags=TAGS)
class SupplierLanguageApi(PurchasingApi):
    capability_by_method = {"PUT": MANAGE}

    @extend_schema(
        request=SupplierLanguageIn,
        responses=SupplierLanguageIn,
        summary="Set the language a supplier's orders are written in",
    )
    def put(self, request, business_id: int, supplier_id: int):
        data = body(SupplierLanguageIn, request)
        profile = services.supplier_language_set(
            actor=request.user, business=self.business, supplier_id=supplier_id, **data
        )
        return Response({"language": profile.language})


# ---------------------------------------------------------------- orders


@extend_schema(tags=TAGS)
class OrderListApi(PurchasingApi):
    """Purchase orders, newest first: draft → sent → partly received → received (or cancelled)."""

    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=PurchaseOrder.Status.values)],
        responses=OrderOut(many=True),
        summary="Purchase orders",
    )
    def get(self, request, business_id: int):
        rows = PurchaseOrder.objects.prefetch_related("lines__product").order_by("-number")
        if request.query_params.get("status") in PurchaseOrder.Status.values:
            rows = rows.filter(status=request.query_params["status"])
        return paginated(self, rows, OrderOut)

    @extend_schema(
        request=OrderIn,
        responses={201: OrderOut},
        parameters=[IDEMPOTENCY],
        summary="Start a draft order to a supplier, delivered at a location",
    )
    def post(self, request, business_id: int):
        data = body(OrderIn, request)
        return run_idempotent(
            request,
            operation="purchasing.order_create",
            handler=lambda: Response(
                _order_out(
                    services.order_create(actor=request.user, business=self.business, **data)
                ),
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class OrderDetailApi(PurchasingApi):
    @extend_schema(responses=OrderOut, summary="One purchase order with its lines")
    def get(self, request, business_id: int, order_id: int):
        return Response(OrderOut(_order(order_id)).data)


@extend_schema(tags=TAGS)
class OrderLineApi(PurchasingApi):
    @extend_schema(
        request=OrderLineIn,
        responses=OrderOut,
        summary="Set the packs of one of the supplier's offers on a draft (0 removes it)",
    )
    def post(self, request, business_id: int, order_id: int):
        _order(order_id)
        data = body(OrderLineIn, request)
        services.order_line_set(
            actor=request.user, business=self.business, order_id=order_id, **data
        )
        return Response(OrderOut(_order(order_id)).data)


@extend_schema(tags=TAGS)
class OrderSendApi(PurchasingApi):
    @extend_schema(
        request=None,
        responses=OrderOut,
        parameters=[IDEMPOTENCY],
        summary="Send a draft to its supplier (PDF by e-mail, in the supplier's language)",
    )
    def post(self, request, business_id: int, order_id: int):
        _order(order_id)
        return run_idempotent(
            request,
            operation="purchasing.order_send",
            handler=lambda: Response(
                _order_out(
                    services.order_send(
                        actor=request.user, business=self.business, order_id=order_id
                    )
                )
            ),
        )


@extend_schema(tags=TAGS)
class OrderCancelApi(PurchasingApi):
    @extend_schema(
        request=None, responses=OrderOut, summary="Cancel an order nothing of which arrived"
    )
    def post(self, request, business_id: int, order_id: int):
        _order(order_id)
        order = services.order_cancel(actor=request.user, business=self.business, order_id=order_id)
        return Response(_order_out(order))


@extend_schema(tags=TAGS)
class OrderReceiveApi(PurchasingApi):
    """Receive a delivery: stock movements of kind receipt at the order's location, and the ledger (inventory against payables, or the money account when paid at once). More packs than remain on a line is refused."""

    capability_by_method = {"POST": Capability.RECEIVE_DELIVERIES}

    @extend_schema(
        request=ReceiveIn,
        responses={201: ReceiptOut},
        parameters=[IDEMPOTENCY],
        summary="Receive a delivery against a sent order",
    )
    def post(self, request, business_id: int, order_id: int):
        _order(order_id)
        data = body(ReceiveIn, request)
        packs: dict[int, int] = {}
        for row in data["lines"]:
            packs[row["line_id"]] = packs.get(row["line_id"], 0) + row["packs"]
        return run_idempotent(
            request,
            operation="purchasing.order_receive",
            handler=lambda: Response(
                ReceiptOut(
                    services.order_receive(
                        actor=request.user,
                        business=self.business,
                        order_id=order_id,
                        packs=packs,
                        paid_from=data["paid_from"],
                        note=data["note"],
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class InTransitApi(PurchasingApi):
    pagination_class = Pagination

    @extend_schema(
        responses=InTransitOut(many=True), summary="Goods in transit: ordered, not yet received"
    )
    def get(self, request, business_id: int):
        return paginated(self, selectors.in_transit_lines(business=self.business), InTransitOut)


# ---------------------------------------------------------------- invoices


@extend_schema(tags=TAGS)
class InvoiceListApi(PurchasingApi):
    """A supplier's invoice for what an order delivered on account; at most what was received on account and not yet invoiced."""

    capability = Capability.VIEW_FINANCE
    capability_by_method = {"POST": Capability.MANAGE_ACCOUNTING}

    @extend_schema(responses=InvoiceOut(many=True), summary="An order's supplier invoices")
    def get(self, request, business_id: int, order_id: int):
        order = _order(order_id)
        return Response(InvoiceOut(SupplierInvoice.objects.filter(order=order), many=True).data)

    @extend_schema(
        request=InvoiceIn,
        responses={201: InvoiceOut},
        parameters=[IDEMPOTENCY],
        summary="Record a supplier's invoice",
    )
    def post(self, request, business_id: int, order_id: int):
        _order(order_id)
        data = body(InvoiceIn, request)
        return run_idempotent(
            request,
            operation="purchasing.invoice_record",
            handler=lambda: Response(
                InvoiceOut(
                    services.invoice_record(
                        actor=request.user, business=self.business, order_id=order_id, **data
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class InvoicePayApi(PurchasingApi):
    capability = Capability.VIEW_FINANCE
    capability_by_method = {"POST": Capability.MANAGE_ACCOUNTING}

    @extend_schema(
        request=InvoicePayIn,
        responses=InvoiceOut,
        parameters=[IDEMPOTENCY],
        summary="Pay a supplier's invoice (clears what is owed)",
    )
    def post(self, request, business_id: int, invoice_id: int):
        _get(SupplierInvoice.objects, invoice_id)
        data = body(InvoicePayIn, request)
        return run_idempotent(
            request,
            operation="purchasing.invoice_pay",
            handler=lambda: Response(
                InvoiceOut(
                    services.invoice_pay(
                        actor=request.user,
                        business=self.business,
                        invoice_id=invoice_id,
                        paid_from=data["paid_from"],
                    )
                ).data
            ),
        )


# ---------------------------------------------------------------- suggestions


@extend_schema(tags=TAGS)
class SuggestionListApi(PurchasingApi):
    """Products below their minimum at a location, or not covering the expected use over the preferred offer's lead time, with the packs to order and why."""

    @extend_schema(responses=SuggestionOut(many=True), summary="Reorder suggestions")
    def get(self, request, business_id: int):
        found = selectors.reorder_suggestions(
            business=self.business, expected_use=forecast_use(business=self.business)
        )
        return Response(SuggestionOut(found, many=True).data)


@extend_schema(tags=TAGS)
class SuggestionOrdersApi(PurchasingApi):
    @extend_schema(
        request=SuggestionOrdersIn,
        responses={201: OrderOut(many=True)},
        parameters=[IDEMPOTENCY],
        summary="Turn suggestions into draft orders, one per supplier and location",
    )
    def post(self, request, business_id: int):
        data = body(SuggestionOrdersIn, request)
        return run_idempotent(
            request,
            operation="purchasing.orders_from_suggestions",
            handler=lambda: Response(
                [
                    _order_out(order)
                    for order in services.orders_from_suggestions(
                        actor=request.user, business=self.business, items=data["items"]
                    )
                ],
                status=status.HTTP_201_CREATED,
            ),
        )
