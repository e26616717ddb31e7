"""The operator console's API: salons (approval, health, plan) and the
platform's figures. Each view asks its platform capability; writes call the
same services as the console's pages."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import PlatformCapability
from solibook.api.platform import platform_permission
from solibook.core.errors import NotFound
from solibook.platform import selectors, services
from solibook.platform.api.serializers import (
    PlatformFiguresOut,
    PlatformInvoiceOut,
    PlatformRejectIn,
    PlatformSalonOut,
)


def _salon_out(business_id: int):
    business = selectors.salon(business_id)
    if business is None:
        raise NotFound(_("No such salon."))
    return PlatformSalonOut(business).data


class PlatformSalonsApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.VIEW_SALONS)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="draft, pending, approved, rejected"
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of the name"),
        ],
        responses=PlatformSalonOut(many=True),
        summary="Salons (at most 200) with their approval, plan and health, those waiting first",
    )
    def get(self, request):
        rows = selectors.salons(
            status=request.query_params.get("status", ""),
            query=request.query_params.get("q", "").strip()[:100],
        )
        return Response(PlatformSalonOut(rows, many=True).data)


class PlatformSalonApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.VIEW_SALONS)]

    @extend_schema(responses=PlatformSalonOut, summary="One salon (operator)")
    def get(self, request, salon_id: int):
        return Response(_salon_out(salon_id))


class PlatformSalonApproveApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_SALONS)]

    @extend_schema(
        request=None,
        responses=PlatformSalonOut,
        summary="Approve a salon waiting for approval: it goes on the marketplace",
    )
    def post(self, request, salon_id: int):
        services.salon_approve(actor=request.user, business_id=salon_id)
        return Response(_salon_out(salon_id))


class PlatformSalonRejectApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_SALONS)]

    @extend_schema(
        request=PlatformRejectIn,
        responses=PlatformSalonOut,
        summary="Send a salon waiting for approval back, saying what to change",
    )
    def post(self, request, salon_id: int):
        data = PlatformRejectIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.salon_reject(
            actor=request.user, business_id=salon_id, note=data.validated_data["note"]
        )
        return Response(_salon_out(salon_id))


class PlatformSalonInvoiceApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=None,
        responses={201: PlatformInvoiceOut},
        summary="Issue a salon's invoice of every charge recorded so far, without waiting "
        "for the monthly run (409 when there is nothing to invoice)",
    )
    def post(self, request, salon_id: int):
        invoice = services.salon_invoice_now(actor=request.user, business_id=salon_id)
        return Response(PlatformInvoiceOut(invoice).data, status=201)


class PlatformFiguresApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.VIEW_PLATFORM_FINANCE)]

    @extend_schema(
        parameters=[OpenApiParameter("currency", OpenApiTypes.STR, description="ISO 4217")],
        responses=PlatformFiguresOut,
        summary="The platform's figures per month: bookings, gross value, take rate, MRR, salons lost",
    )
    def get(self, request):
        currencies = selectors.figure_currencies()
        currency = request.query_params.get("currency", "").upper()
        if currency not in currencies:
            currency = currencies[0]
        data = selectors.figures(currency=currency)
        rates = data.take_rate
        months = [
            {
                "month": month,
                "bookings": data.bookings[i],
                "marketplace_bookings": data.marketplace_bookings[i],
                "gross": data.gross[i],
                "platform_revenue": data.platform_revenue[i],
                "take_rate": rates[i],
                "salons_joined": data.salons_joined[i],
                "salons_lost": data.salons_lost[i],
            }
            for i, month in enumerate(data.months)
        ]
        body = {
            "currency": currency,
            "mrr": data.mrr,
            "paying_salons": data.paying_salons,
            "take_rate": data.totals["take_rate"],
            "months": months,
        }
        return Response(PlatformFiguresOut(body).data)
