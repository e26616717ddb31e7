"""Consented support access through the API, both sides: platform support
asks a salon to let it in, enters while the owner consents (read only, each
request in the salon's audit log) and leaves; the salon's owner grants or
withdraws the consent and reads what support asked and did. The same
services as the console's and the back office's pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.platform import selectors, services
from solibook.platform.api.serializers import (
    SupportAccessIn,
    SupportAccessOut,
    SupportRequestIn,
    SupportVisitOut,
)


def _visit_out(business) -> dict:
    until = business.support_access_until
    return SupportVisitOut(
        {"business_id": business.pk, "until": until, "open": bool(until and until > timezone.now())}
    ).data


class SupportAccessApi(BusinessScopedMixin, APIView):
    """The salon's side: its consent, and what support asked and did."""

    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses=SupportAccessOut,
        summary="Platform support's access: the consent, support's requests and visits",
        tags=["support access"],
    )
    def get(self, request, business_id: int):
        return Response(SupportAccessOut(selectors.support_access_of(self.business)).data)

    @extend_schema(
        request=SupportAccessIn,
        responses=SupportAccessOut,
        summary="Let platform support in for some hours (at most 72), or withdraw it (0)",
        tags=["support access"],
    )
    def put(self, request, business_id: int):
        data = SupportAccessIn(data=request.data)
        data.is_valid(raise_exception=True)
        business = services.support_access_grant(
            actor=request.user, business=self.business, hours=data.validated_data["hours"]
        )
        return Response(SupportAccessOut(selectors.support_access_of(business)).data)


class PlatformSupportRequestApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.IMPERSONATE)]

    @extend_schema(
        request=SupportRequestIn,
        responses={201: SupportVisitOut},
        summary="Ask a salon to let support in, saying why (its owner decides)",
        tags=["support access"],
    )
    def post(self, request, salon_id: int):
        data = SupportRequestIn(data=request.data)
        data.is_valid(raise_exception=True)
        business = services.support_access_request(
            actor=request.user, business_id=salon_id, reason=data.validated_data["reason"]
        )
        return Response(_visit_out(business), status=201)


class PlatformSupportVisitApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.IMPERSONATE)]

    @extend_schema(
        request=None,
        responses=SupportVisitOut,
        summary="Enter a salon's back office while it consents: its business API answers "
        "support's reads (never writes) until the visit ends or the consent does",
        tags=["support access"],
    )
    def post(self, request, salon_id: int):
        business = services.impersonation_start(actor=request.user, business_id=salon_id)
        return Response(_visit_out(business))


class PlatformSupportEndApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.IMPERSONATE)]

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Leave a salon's back office (audited)",
        tags=["support access"],
    )
    def post(self, request, salon_id: int):
        services.impersonation_end(actor=request.user, business_id=salon_id)
        return Response(status=204)
