"""The rest of the operator console's API, one route per console page that had
none: every salon's invoices (and a regenerated one), credits granted to a
salon, and the promotion inventory. Each asks its platform capability and
calls the same selectors and services as the pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import PlatformCapability
from solibook.api.platform import platform_permission
from solibook.billing import selectors as billing_selectors
from solibook.billing import services as billing_services
from solibook.billing.models import Invoice
from solibook.core.errors import NotFound
from solibook.platform import selectors
from solibook.platform.api.serializers import (
    ConsoleCreditIn,
    ConsoleCreditOut,
    ConsoleInvoiceOut,
    ConsolePromotionOut,
)


def _invoice_out(invoice: Invoice) -> dict:
    invoice.amount_due = billing_selectors.amount_due(invoice)
    return ConsoleInvoiceOut(invoice).data


class PlatformInvoicesApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.VIEW_PLATFORM_FINANCE)]

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, description="open, paid or void")],
        responses=ConsoleInvoiceOut(many=True),
        summary="Every salon's invoices and credit notes (at most 500), with what is still due",
        tags=["platform"],
    )
    def get(self, request):
        status = request.query_params.get("status", "")
        if status not in {s.value for s in Invoice.Status}:
            status = ""
        with scopes_disabled():
            rows = billing_selectors.invoices_for_platform(status=status)
            return Response([_invoice_out(i) for i in rows])


class PlatformInvoiceRegenerateApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=None,
        responses={201: ConsoleInvoiceOut},
        summary="Replace an unpaid invoice: the old one is void and keeps its number, "
        "the new one takes the next number",
        tags=["platform"],
    )
    def post(self, request, invoice_id: int):
        with scopes_disabled():
            invoice = Invoice.objects.select_related("business").filter(pk=invoice_id).first()
        if invoice is None:
            raise NotFound(_("No such invoice."))
        new = billing_services.invoice_regenerate(
            business=invoice.business, invoice_id=invoice_id, actor=request.user
        )
        with scopes_disabled():
            return Response(_invoice_out(new), status=201)


class PlatformCreditApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=ConsoleCreditIn,
        responses={201: ConsoleCreditOut},
        summary="Credit a salon (a goodwill gesture, a refund): on its next invoice",
        tags=["platform"],
    )
    def post(self, request):
        data = ConsoleCreditIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        business = selectors.salon(values["business_id"])
        if business is None:
            raise NotFound(_("No such salon."))
        charge = billing_services.credit_grant(
            business=business,
            amount=values["amount"],
            description=values["description"],
            actor=request.user,
        )
        return Response(ConsoleCreditOut(charge).data, status=201)


class PlatformPromotionsApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PROMOTIONS)]

    @extend_schema(
        responses=ConsolePromotionOut(many=True),
        summary="The promotion inventory: every boost with its impressions, clicks, "
        "bookings and spend, and whether it runs today",
        tags=["platform"],
    )
    def get(self, request):
        rows = selectors.promotion_inventory(today=timezone.now().date())
        return Response(ConsolePromotionOut(rows, many=True).data)
