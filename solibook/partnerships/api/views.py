"""Partnerships API: landing pages with their code, link and effect.
Owners and managers (`manage_business`); thin views over the services."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body
from solibook.api.scoping import BusinessScopedMixin
from solibook.partnerships import selectors, services
from solibook.partnerships.api.serializers import LandingActiveIn, LandingIn, LandingOut
from solibook.partnerships.models import Landing

TAGS = ["partnerships"]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class PartnershipsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS


def _out(landing: Landing) -> dict:
    landing = Landing.objects.select_related("promo", "link").get(pk=landing.pk)
    return LandingOut(landing, context={"effects": selectors.landing_effects([landing])}).data


@extend_schema(tags=TAGS)
class LandingListApi(PartnershipsApi):
    @extend_schema(
        responses=LandingOut(many=True), summary="Landing pages with visits, bookings and revenue"
    )
    def get(self, request, business_id: int):
        rows = selectors.landings_with_effect(business=self.business)
        effects = {landing.pk: effect for landing, effect in rows}
        return Response(
            LandingOut([r[0] for r in rows], many=True, context={"effects": effects}).data
        )

    @extend_schema(
        request=LandingIn,
        responses={201: LandingOut},
        parameters=[IDEMPOTENCY],
        summary="Create a landing page with its promo code and tracked link",
    )
    def post(self, request, business_id: int):
        data = body(LandingIn, request)
        return run_idempotent(
            request,
            operation="partnerships.landing_create",
            handler=lambda: Response(
                _out(services.landing_create(business=self.business, actor=request.user, **data)),
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class LandingDetailApi(PartnershipsApi):
    @extend_schema(responses=LandingOut, summary="One landing page and its effect")
    def get(self, request, business_id: int, landing_id: int):
        landing = Landing.objects.filter(pk=landing_id).first()
        if landing is None:
            raise Http404
        return Response(_out(landing))


@extend_schema(tags=TAGS)
class LandingActiveApi(PartnershipsApi):
    @extend_schema(
        request=LandingActiveIn,
        responses=LandingOut,
        summary="Switch a landing page and its code on or off",
    )
    def post(self, request, business_id: int, landing_id: int):
        data = body(LandingActiveIn, request)
        return Response(
            _out(
                services.landing_set_active(
                    business=self.business, landing_id=landing_id, actor=request.user, **data
                )
            )
        )
