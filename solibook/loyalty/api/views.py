"""Loyalty API: the client's wallet, points and badges; the salon's programme,
tiers, challenges and staff leaderboard. Thin views over `loyalty.services`."""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.scoping import BusinessScopedMixin
from solibook.loyalty import selectors, services
from solibook.loyalty.api.serializers import (
    LeaderboardQuery,
    LoyaltyBadgeOut,
    LoyaltyChallengeIn,
    LoyaltyChallengeOut,
    LoyaltyProgrammeIn,
    LoyaltyProgrammeOut,
    LoyaltyTierIn,
    LoyaltyTierOut,
    LoyaltyTierPatchIn,
    PointsOut,
    StaffLeaderRowOut,
    WalletOut,
)
from solibook.loyalty.models import Challenge, Tier

WRITE = dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), Capability.MANAGE_BUSINESS)


def _body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- the client -----------------------------------------------------------------------


@extend_schema(tags=["loyalty"])
class MyWalletApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WalletOut, summary="My wallet: spendable and pending credit, history")
    def get(self, request):
        now = timezone.now()
        with scopes_disabled():
            body = {
                "balances": selectors.wallet_balances(user=request.user, now=now),
                "transactions": selectors.wallet_history(user=request.user),
            }
            return Response(WalletOut(body).data)


@extend_schema(tags=["loyalty"])
class MyPointsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=PointsOut, summary="My points at every salon, tiers, what expires when"
    )
    def get(self, request):
        now = timezone.now()
        body = {
            "accounts": selectors.points_summaries(user=request.user, now=now),
            "history": selectors.points_history(user=request.user, limit=100),
        }
        return Response(PointsOut(body).data)


@extend_schema(tags=["loyalty"])
class MyBadgesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=LoyaltyBadgeOut(many=True), summary="My badges")
    def get(self, request):
        return Response(LoyaltyBadgeOut(selectors.badges_of(user=request.user), many=True).data)


# --- the salon -------------------------------------------------------------------------


@extend_schema(tags=["loyalty"])
class ProgrammeApi(BusinessScopedMixin, APIView):
    capability_by_method = WRITE

    @extend_schema(responses=LoyaltyProgrammeOut, summary="The salon's loyalty programme")
    def get(self, request, business_id: int):
        return Response(LoyaltyProgrammeOut(selectors.programme_for(business=self.business)).data)

    @extend_schema(
        request=LoyaltyProgrammeIn,
        responses=LoyaltyProgrammeOut,
        summary="Change the loyalty programme",
    )
    def patch(self, request, business_id: int):
        values = _body(LoyaltyProgrammeIn, request)
        excluded = values.pop("excluded_category_ids", None)

        def update() -> Response:
            programme = services.programme_update(
                business=self.business, actor=request.user, excluded_category_ids=excluded, **values
            )
            return Response(LoyaltyProgrammeOut(programme).data)

        return run_idempotent(request, operation="loyalty.programme", handler=update)


@extend_schema(tags=["loyalty"])
class TierListApi(BusinessScopedMixin, APIView):
    capability_by_method = WRITE

    @extend_schema(responses=LoyaltyTierOut(many=True), summary="Tiers")
    def get(self, request, business_id: int):
        return Response(LoyaltyTierOut(Tier.objects.filter(business=self.business), many=True).data)

    @extend_schema(request=LoyaltyTierIn, responses={201: LoyaltyTierOut}, summary="Add a tier")
    def post(self, request, business_id: int):
        values = _body(LoyaltyTierIn, request)
        return run_idempotent(
            request,
            operation="loyalty.tier",
            handler=lambda: Response(
                LoyaltyTierOut(
                    services.tier_save(business=self.business, actor=request.user, **values)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["loyalty"])
class TierDetailApi(BusinessScopedMixin, APIView):
    capability_by_method = WRITE

    @extend_schema(request=LoyaltyTierPatchIn, responses=LoyaltyTierOut, summary="Change a tier")
    def patch(self, request, business_id: int, tier_id: int):
        values = _body(LoyaltyTierPatchIn, request)
        return run_idempotent(
            request,
            operation="loyalty.tier_patch",
            handler=lambda: Response(
                LoyaltyTierOut(
                    services.tier_save(
                        business=self.business, actor=request.user, tier_id=tier_id, **values
                    )
                ).data
            ),
        )

    @extend_schema(request=None, responses={204: None}, summary="Remove a tier")
    def delete(self, request, business_id: int, tier_id: int):
        def remove() -> Response:
            services.tier_delete(business=self.business, tier_id=tier_id, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)

        return run_idempotent(request, operation="loyalty.tier_delete", handler=remove)


@extend_schema(tags=["loyalty"])
class ChallengeListApi(BusinessScopedMixin, APIView):
    capability_by_method = WRITE

    @extend_schema(responses=LoyaltyChallengeOut(many=True), summary="Challenges for clients")
    def get(self, request, business_id: int):
        return Response(
            LoyaltyChallengeOut(Challenge.objects.filter(business=self.business), many=True).data
        )

    @extend_schema(
        request=LoyaltyChallengeIn, responses={201: LoyaltyChallengeOut}, summary="Add a challenge"
    )
    def post(self, request, business_id: int):
        values = _body(LoyaltyChallengeIn, request)
        return run_idempotent(
            request,
            operation="loyalty.challenge",
            handler=lambda: Response(
                LoyaltyChallengeOut(
                    services.challenge_save(business=self.business, actor=request.user, **values)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["loyalty"])
class LeaderboardApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_BACK_OFFICE

    @extend_schema(
        parameters=[LeaderboardQuery],
        responses=StaffLeaderRowOut(many=True),
        summary="Staff leaderboard: rebooking rate and reviews",
    )
    def get(self, request, business_id: int):
        query = LeaderboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not selectors.programme_for(business=self.business).leaderboard_enabled:
            return Response([])
        now = timezone.now()
        rows = selectors.staff_leaderboard(
            business=self.business,
            since=now - timedelta(days=query.validated_data["days"]),
            until=now,
        )
        return Response(StaffLeaderRowOut(rows, many=True).data)
