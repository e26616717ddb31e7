"""Commission lines, disputes and boosts: the salon's API and the operator's.
Writes call `commissions.services` / `commissions.promotion`, as the pages do."""

from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.commissions import promotion, selectors, services
from solibook.commissions.api.serializers import (
    BoostActiveIn,
    BoostIn,
    BoostOut,
    DecisionIn,
    DisputeIn,
    DisputeOut,
    LineOut,
    PlatformDisputeOut,
)
from solibook.commissions.models import Dispute


class CommissionLinesApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE

    @extend_schema(
        responses=LineOut(many=True),
        summary="The salon's commission lines with their evidence (newest first, 200 at most)",
    )
    def get(self, request, business_id: int):
        lines = selectors.lines_of(
            business=self.business, status=request.query_params.get("status", "")
        )
        return Response(LineOut(lines[:200], many=True).data)


class CommissionDisputeApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=DisputeIn, responses={201: DisputeOut}, summary="Dispute a commission line"
    )
    def post(self, request, business_id: int, line_id: int):
        data = DisputeIn(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.dispute_open(
            business=self.business,
            line_id=line_id,
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(DisputeOut(dispute).data, status=status.HTTP_201_CREATED)


class BoostsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses=BoostOut(many=True),
        summary="The salon's boosts with impressions, clicks, bookings and cost",
    )
    def get(self, request, business_id: int):
        boosts = selectors.boosts_of(business=self.business, today=timezone.now().date())
        return Response(BoostOut(boosts, many=True).data)

    @extend_schema(request=BoostIn, responses={201: BoostOut}, summary="Buy a boost")
    def post(self, request, business_id: int):
        data = BoostIn(data=request.data)
        data.is_valid(raise_exception=True)
        bought = promotion.promotion_buy(
            business=self.business, actor=request.user, **data.validated_data
        )
        boost = selectors.Boost(bought, 0, 0, 0, 0, 0)
        return Response(BoostOut(boost).data, status=status.HTTP_201_CREATED)


class BoostActiveApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(request=BoostActiveIn, responses={204: None}, summary="Pause or resume a boost")
    def post(self, request, business_id: int, promotion_id: int):
        data = BoostActiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        promotion.promotion_set_active(
            business=self.business,
            promotion_id=promotion_id,
            is_active=data.validated_data["is_active"],
            actor=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlatformDisputesApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.VIEW_PLATFORM_FINANCE)]

    @extend_schema(
        responses=PlatformDisputeOut(many=True),
        summary="Every salon's commission disputes (operator; ?status=open|accepted|rejected)",
    )
    def get(self, request):
        disputes = selectors.disputes_for_platform(
            status=request.query_params.get("status", Dispute.Status.OPEN)
        )
        with scopes_disabled():  # every salon's: the operator's queue
            return Response(PlatformDisputeOut(disputes, many=True).data)


class PlatformDisputeDecisionApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=DecisionIn,
        responses=DisputeOut,
        summary="Accept or reject a dispute, with a reason",
    )
    def post(self, request, dispute_id: int):
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.dispute_decide(
            dispute_id=dispute_id,
            accept=data.validated_data["accept"],
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(DisputeOut(dispute).data)
