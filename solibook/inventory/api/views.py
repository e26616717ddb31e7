"""Stock API: products, stock per location, movements, transfers, recipes,
stock-takes and a visit's actual use. Thin views over `inventory.services`
(the pages call the same functions)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Location, Service
from solibook.core.errors import NotFound
from solibook.finance.models import Product
from solibook.inventory import selectors, services
from solibook.inventory.api.serializers import (
    RecipeIn,
    RecipeLineOut,
    StockAtLocationOut,
    StockMovementIn,
    StockMovementOut,
    StockProductIn,
    StockProductOut,
    StockQuery,
    StockTakeCountIn,
    StockTakeLineOut,
    StockTakeOut,
    StockTakeStartIn,
    StockTransferIn,
    StockTransferOut,
    VisitUsageIn,
    VisitUsageOut,
)
from solibook.inventory.models import RecipeLine, StockTake

MANAGE = dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), Capability.MANAGE_STOCK)


def _take_out(take: StockTake) -> dict:
    return StockTakeOut(
        {
            "id": take.pk,
            "location_id": take.location_id,
            "status": take.status,
            "started_at": take.started_at,
            "booked_at": take.booked_at,
            "booked_by_id": take.booked_by_id,
            "lines": StockTakeLineOut(take.lines.all(), many=True).data,
        }
    ).data


@extend_schema(tags=["stock"])
class StockProductListApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK
    capability_by_method = MANAGE
    pagination_class = Pagination  # the schema shows the page envelope paginated() returns

    @extend_schema(responses=StockProductOut(many=True), summary="Products with their stock fields")
    def get(self, request, business_id: int):
        rows = Product.objects.filter(business=self.business).order_by("name")
        return paginated(self, rows, StockProductOut)

    @extend_schema(
        request=StockProductIn, responses={201: StockProductOut}, summary="Add a product"
    )
    def post(self, request, business_id: int):
        values = body(StockProductIn, request)
        return run_idempotent(
            request,
            operation="inventory.product",
            handler=lambda: Response(
                StockProductOut(
                    services.product_create(
                        business=self.business,
                        data=services.ProductIn(**values),
                        actor=request.user,
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["stock"])
class StockProductDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK
    capability_by_method = MANAGE

    @extend_schema(request=StockProductIn, responses=StockProductOut, summary="Change a product")
    def put(self, request, business_id: int, product_id: int):
        values = body(StockProductIn, request)
        return run_idempotent(
            request,
            operation="inventory.product_put",
            handler=lambda: Response(
                StockProductOut(
                    services.product_update(
                        business=self.business,
                        product_id=product_id,
                        data=services.ProductIn(**values),
                        actor=request.user,
                    )
                ).data
            ),
        )


@extend_schema(tags=["stock"])
class StockAtLocationApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK

    @extend_schema(
        parameters=[StockQuery],
        responses=StockAtLocationOut,
        summary="Stock at a location: on hand, minimum, value (now or at a moment)",
    )
    def get(self, request, business_id: int, location_id: int):
        query = StockQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = Location.objects.filter(business=self.business, pk=location_id).first()
        if location is None:
            raise NotFound(_("No such location."))
        rows = selectors.stock_at(
            business=self.business, location=location, at=query.validated_data.get("at")
        )
        return Response(
            StockAtLocationOut(
                {
                    "location_id": location.pk,
                    "currency": self.business.currency,
                    "total_value": sum(r.value for r in rows),
                    "rows": rows,
                }
            ).data
        )


@extend_schema(tags=["stock"])
class StockMovementListApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK
    capability_by_method = MANAGE
    pagination_class = Pagination  # the schema shows the page envelope paginated() returns

    @extend_schema(responses=StockMovementOut(many=True), summary="Movements, newest first")
    def get(self, request, business_id: int):
        return paginated(self, selectors.movements(business=self.business), StockMovementOut)

    @extend_schema(
        request=StockMovementIn,
        responses={201: StockMovementOut},
        summary="Record a receipt, a use, an adjustment (with its reason) or a write-off",
    )
    def post(self, request, business_id: int):
        v = body(StockMovementIn, request)

        def record() -> Response:
            if v["kind"] == "write_off":
                movement = services.write_off(
                    business=self.business,
                    location=v["location_id"],
                    product=v["product_id"],
                    quantity=v["quantity"],
                    unit=v["unit"] or None,
                    reason=v["reason"],
                    actor=request.user,
                )
            else:
                if v["kind"] not in ("receipt", "consumption", "adjustment"):
                    from solibook.core.errors import refuse

                    refuse(_("Unknown kind of movement."), "kind", code="invalid_kind")
                movement = services.movement_record(
                    business=self.business,
                    location=v["location_id"],
                    product=v["product_id"],
                    kind=v["kind"],
                    quantity=v["quantity"],
                    unit=v["unit"] or None,
                    unit_cost=v["unit_cost"] if v["kind"] == "receipt" else None,
                    reason=v["reason"],
                    actor=request.user,
                    counter_account="equity" if v["kind"] == "receipt" else None,
                )
            return Response(StockMovementOut(movement).data, status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation="inventory.movement", handler=record)


@extend_schema(tags=["stock"])
class StockTransferListApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK
    capability_by_method = MANAGE
    pagination_class = Pagination  # the schema shows the page envelope paginated() returns

    @extend_schema(responses=StockTransferOut(many=True), summary="Transfers between locations")
    def get(self, request, business_id: int):
        from solibook.inventory.models import StockTransfer

        return paginated(
            self, StockTransfer.objects.filter(business=self.business), StockTransferOut
        )

    @extend_schema(
        request=StockTransferIn,
        responses={201: StockTransferOut},
        summary="Send goods to another location (in transit until received)",
    )
    def post(self, request, business_id: int):
        v = body(StockTransferIn, request)
        return run_idempotent(
            request,
            operation="inventory.transfer",
            handler=lambda: Response(
                StockTransferOut(
                    services.transfer_send(
                        business=self.business,
                        from_location=v["from_location_id"],
                        to_location=v["to_location_id"],
                        items=[(i["product_id"], i["quantity"]) for i in v["items"]],
                        note=v["note"],
                        actor=request.user,
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["stock"])
class StockTransferReceiveApi(BusinessScopedMixin, APIView):
    capability = Capability.COUNT_STOCK

    @extend_schema(request=None, responses=StockTransferOut, summary="The goods arrived")
    def post(self, request, business_id: int, transfer_id: int):
        return run_idempotent(
            request,
            operation="inventory.transfer_receive",
            handler=lambda: Response(
                StockTransferOut(
                    services.transfer_receive(
                        business=self.business, transfer_id=transfer_id, actor=request.user
                    )
                ).data
            ),
        )


@extend_schema(tags=["stock"])
class RecipeApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STOCK
    capability_by_method = MANAGE

    @extend_schema(
        responses=RecipeLineOut(many=True), summary="What a service and its variants use"
    )
    def get(self, request, business_id: int, service_id: int):
        if not Service.objects.filter(business=self.business, pk=service_id).exists():
            raise NotFound(_("No such service."))
        rows = RecipeLine.objects.filter(business=self.business, service_id=service_id)
        return Response(RecipeLineOut(rows, many=True).data)

    @extend_schema(
        request=RecipeIn,
        responses=RecipeLineOut(many=True),
        summary="Replace what a service (or one variant) uses",
    )
    def put(self, request, business_id: int, service_id: int):
        v = body(RecipeIn, request)
        return run_idempotent(
            request,
            operation="inventory.recipe",
            handler=lambda: Response(
                RecipeLineOut(
                    services.recipe_set(
                        business=self.business,
                        service_id=service_id,
                        variant_id=v["variant_id"],
                        lines=[(x["product_id"], x["quantity"], x["unit"]) for x in v["lines"]],
                        actor=request.user,
                    ),
                    many=True,
                ).data
            ),
        )


@extend_schema(tags=["stock"])
class StockTakeStartApi(BusinessScopedMixin, APIView):
    capability = Capability.COUNT_STOCK

    @extend_schema(
        request=StockTakeStartIn,
        responses={201: StockTakeOut},
        summary="Start counting a location (the open count when one is open)",
    )
    def post(self, request, business_id: int):
        v = body(StockTakeStartIn, request)
        return run_idempotent(
            request,
            operation="inventory.stocktake",
            handler=lambda: Response(
                _take_out(
                    services.stocktake_start(
                        business=self.business, location=v["location_id"], actor=request.user
                    )
                ),
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["stock"])
class StockTakeCountApi(BusinessScopedMixin, APIView):
    capability = Capability.COUNT_STOCK

    @extend_schema(
        request=StockTakeCountIn,
        responses=StockTakeLineOut,
        summary="Count a product, by id or barcode (no count: one more piece)",
    )
    def post(self, request, business_id: int, stock_take_id: int):
        v = body(StockTakeCountIn, request)
        return run_idempotent(
            request,
            operation="inventory.stocktake_count",
            handler=lambda: Response(
                StockTakeLineOut(
                    services.stocktake_count(
                        business=self.business,
                        stock_take_id=stock_take_id,
                        product_id=v["product_id"],
                        barcode=v["barcode"],
                        counted=v["counted"],
                        actor=request.user,
                    )
                ).data
            ),
        )


@extend_schema(tags=["stock"])
class StockTakeBookApi(BusinessScopedMixin, APIView):
    capability = Capability.COUNT_STOCK

    @extend_schema(
        request=None,
        responses=StockTakeOut,
        summary="Book the count: differences become adjustments",
    )
    def post(self, request, business_id: int, stock_take_id: int):
        def book() -> Response:
            services.stocktake_book(
                business=self.business, stock_take_id=stock_take_id, actor=request.user
            )
            return Response(_take_out(StockTake.objects.get(pk=stock_take_id)))

        return run_idempotent(request, operation="inventory.stocktake_book", handler=book)


@extend_schema(tags=["stock"])
class VisitUsageApi(BusinessScopedMixin, APIView):
    capability = Capability.RECORD_MATERIALS

    @extend_schema(
        request=VisitUsageIn,
        responses=VisitUsageOut,
        summary="Record what a visit actually used of a product",
    )
    def put(self, request, business_id: int, appointment_id: int):
        v = body(VisitUsageIn, request)
        if not self.access.can(Capability.MANAGE_BOOKINGS):
            from solibook.booking.models import AppointmentItem

            if not AppointmentItem.objects.filter(
                appointment_id=appointment_id, master__user=request.user
            ).exists():
                raise NotFound(_("No such appointment."))
        return run_idempotent(
            request,
            operation="inventory.visit_usage",
            handler=lambda: Response(
                VisitUsageOut(
                    services.visit_usage_record(
                        business=self.business,
                        appointment_id=appointment_id,
                        product_id=v["product_id"],
                        quantity=v["quantity"],
                        unit=v["unit"] or None,
                        actor=request.user,
                    )
                ).data
            ),
        )
