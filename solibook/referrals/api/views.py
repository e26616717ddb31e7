"""Referral API: a client's codes and referrals, partners' dashboards, the
salon's programme, referrals list and review queue, partner approvals and
payouts, salon invitations, and platform staff's approvals. Thin views over
`referrals.services`."""

from django.http import Http404
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.idempotency import run_idempotent
from solibook.api.pagination import Pagination, paginated
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking.models import Appointment
from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope
from solibook.referrals import selectors, services
from solibook.referrals.api.serializers import (
    MyReferralsOut,
    PartnerCampaignIn,
    PartnerDashboardOut,
    PartnerDecisionIn,
    PartnerOut,
    PartnerSignupIn,
    PartnerStatementIn,
    PartnerStatementOut,
    ReferralClaimIn,
    ReferralCodeIn,
    ReferralCodeOut,
    ReferralCodePreviewOut,
    ReferralCodePublicIn,
    ReferralListQuery,
    ReferralOut,
    ReferralProgrammeIn,
    ReferralProgrammeOut,
    ReferralReviewIn,
    SalonInviteAcceptIn,
    SalonInviteIn,
    SalonInviteOut,
    StatementPayIn,
)
from solibook.referrals.models import Partner, ReferralProgramme, SalonInvite

WRITE = dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), Capability.MANAGE_BUSINESS)


def _body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def client_signals(request) -> dict:
    """Network address, browser and device cookie: for the fraud checks."""
    from solibook.referrals.fraud import DEVICE_COOKIE

    return {
        "ip": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "device": request.COOKIES.get(DEVICE_COOKIE, "")[:64],
    }


# --- public and client ---------------------------------------------------------------------


@extend_schema(tags=["referrals"])
class CodePreviewApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ReferralCodePreviewOut, summary="What a referral code offers (public)")
    def get(self, request, code: str):
        found = services.code_lookup(code)
        if found is None:
            raise Http404
        with scopes_disabled():
            programme = ReferralProgramme.objects.filter(
                business_id=found.business_id, is_active=True
            ).first()
        return Response(
            ReferralCodePreviewOut(
                {
                    "code": found.code,
                    "business_id": found.business_id,
                    "business_name": found.business.name,
                    "business_slug": found.business.slug,
                    "friend_reward_kind": programme.friend_reward_kind if programme else None,
                    "friend_reward_value": programme.friend_reward_value if programme else None,
                    "currency": found.business.currency,
                    "partner": found.partner.name if found.partner_id else None,
                }
            ).data
        )


@extend_schema(tags=["referrals"])
class MyReferralsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=MyReferralsOut, summary="My referral codes, the friends I referred, my rewards"
    )
    def get(self, request):
        with scopes_disabled():
            body = {
                "codes": selectors.codes_of(user=request.user),
                "referrals": selectors.referrals_made(user=request.user),
                "rewards": selectors.rewards_of(user=request.user),
            }
            return Response(MyReferralsOut(body, context={"request": request}).data)


@extend_schema(tags=["referrals"])
class MyCodeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReferralCodeIn,
        responses={201: ReferralCodeOut},
        summary="Get my personal code and link for a salon",
    )
    def post(self, request):
        values = _body(ReferralCodeIn, request)
        with scopes_disabled():
            business = Business.objects.filter(pk=values["business_id"]).first()
        if business is None:
            raise Http404

        def create() -> Response:
            with business_scope(business):
                code = services.code_personal(business=business, owner=request.user)
                services.owner_seen(user=request.user, **client_signals(request))
                return Response(
                    ReferralCodeOut(code, context={"request": request}).data,
                    status=status.HTTP_201_CREATED,
                )

        return run_idempotent(request, operation="referrals.code", handler=create)


@extend_schema(tags=["referrals"])
class ClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReferralClaimIn,
        responses={201: ReferralOut},
        summary="Use a friend's referral code for one of my bookings",
    )
    def post(self, request):
        values = _body(ReferralClaimIn, request)
        with scopes_disabled():
            appointment = (
                Appointment.objects.select_related("business")
                .filter(pk=values["appointment_id"], account=request.user)
                .first()
            )
        if appointment is None:
            raise Http404

        def claim() -> Response:
            with business_scope(appointment.business):
                referral = services.referral_attach(
                    appointment=appointment,
                    code=values["code"],
                    friend=request.user,
                    actor=request.user,
                    **client_signals(request),
                )
                return Response(ReferralOut(referral).data, status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation="referrals.claim", handler=claim)


@extend_schema(tags=["referrals"])
class MyPartnershipsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=PartnerDashboardOut(many=True),
        summary="My partner dashboards: clicks, sign-ups, first visits, commission",
    )
    def get(self, request):
        out = []
        for partner in selectors.partnerships_of(user=request.user):
            with business_scope(partner.business):
                out.append(PartnerDashboardOut(selectors.partner_dashboard(partner=partner)).data)
        return Response(out)

    @extend_schema(
        request=PartnerSignupIn,
        responses={201: PartnerOut},
        summary="Apply to a salon's partner programme",
    )
    def post(self, request):
        values = _body(PartnerSignupIn, request)
        with scopes_disabled():
            business = Business.objects.filter(pk=values.pop("business_id")).first()
        if business is None:
            raise Http404

        def signup() -> Response:
            with business_scope(business):
                return Response(
                    PartnerOut(
                        services.partner_signup(business=business, user=request.user, **values)
                    ).data,
                    status=status.HTTP_201_CREATED,
                )

        return run_idempotent(request, operation="referrals.partner_signup", handler=signup)


@extend_schema(tags=["referrals"])
class MyCampaignApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PartnerCampaignIn,
        responses={201: PartnerDashboardOut},
        summary="Add a campaign (a tracked link and code)",
    )
    def post(self, request, partner_id: int):
        values = _body(PartnerCampaignIn, request)
        with scopes_disabled():
            partner = (
                Partner.objects.select_related("business")
                .filter(pk=partner_id, user=request.user)
                .first()
            )
        if partner is None:
            raise Http404

        def create() -> Response:
            with business_scope(partner.business):
                services.campaign_create(
                    business=partner.business, partner=partner, name=values["name"]
                )
                return Response(
                    PartnerDashboardOut(selectors.partner_dashboard(partner=partner)).data,
                    status=status.HTTP_201_CREATED,
                )

        return run_idempotent(request, operation="referrals.campaign", handler=create)


# --- the salon ------------------------------------------------------------------------------


@extend_schema(tags=["referrals"])
class ReferralProgrammeApi(BusinessScopedMixin, APIView):
    capability_by_method = WRITE

    @extend_schema(responses=ReferralProgrammeOut, summary="The salon's referral programme")
    def get(self, request, business_id: int):
        return Response(ReferralProgrammeOut(services.programme_for(business=self.business)).data)

    @extend_schema(
        request=ReferralProgrammeIn,
        responses=ReferralProgrammeOut,
        summary="Change the referral programme",
    )
    def patch(self, request, business_id: int):
        values = _body(ReferralProgrammeIn, request)
        return run_idempotent(
            request,
            operation="referrals.programme",
            handler=lambda: Response(
                ReferralProgrammeOut(
                    services.programme_update(business=self.business, actor=request.user, **values)
                ).data
            ),
        )


@extend_schema(tags=["referrals"])
class ReferralListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CLIENTS
    pagination_class = Pagination

    @extend_schema(
        parameters=[ReferralListQuery],
        responses=ReferralOut(many=True),
        summary="Referrals (filter by status: held is the review queue)",
    )
    def get(self, request, business_id: int):
        query = ReferralListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return paginated(
            self,
            selectors.referrals_for_business(
                business=self.business, status=query.validated_data.get("status")
            ),
            ReferralOut,
        )


@extend_schema(tags=["referrals"])
class ReferralReviewApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=ReferralReviewIn,
        responses=ReferralOut,
        summary="Approve (optionally as a household) or reject a held referral",
    )
    def post(self, request, business_id: int, referral_id: int):
        values = _body(ReferralReviewIn, request)
        return run_idempotent(
            request,
            operation="referrals.review",
            handler=lambda: Response(
                ReferralOut(
                    services.referral_review(
                        business=self.business,
                        referral_id=referral_id,
                        approve=values["approve"],
                        household=values["household"],
                        actor=request.user,
                    )
                ).data
            ),
        )


@extend_schema(tags=["referrals"])
class CodePublicApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=ReferralCodePublicIn,
        responses=ReferralCodeOut,
        summary="Mark a code as posted publicly (its referrals are held)",
    )
    def post(self, request, business_id: int, code_id: int):
        values = _body(ReferralCodePublicIn, request)
        return run_idempotent(
            request,
            operation="referrals.code_public",
            handler=lambda: Response(
                ReferralCodeOut(
                    services.code_flag_public(
                        business=self.business,
                        code_id=code_id,
                        public=values["public"],
                        actor=request.user,
                    ),
                    context={"request": request},
                ).data
            ),
        )


@extend_schema(tags=["referrals"])
class PartnerListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS
    pagination_class = Pagination

    @extend_schema(responses=PartnerOut(many=True), summary="Partners and applications")
    def get(self, request, business_id: int):
        return paginated(
            self,
            Partner.objects.filter(business=self.business).select_related("business"),
            PartnerOut,
        )


def _decide(request, business, partner_id: int) -> Response:
    values = _body(PartnerDecisionIn, request)
    approve = values.pop("approve")
    return run_idempotent(
        request,
        operation="referrals.partner_decision",
        handler=lambda: Response(
            PartnerOut(
                services.partner_decide(
                    business=business,
                    partner_id=partner_id,
                    approve=approve,
                    actor=request.user,
                    **values,
                )
            ).data
        ),
    )


@extend_schema(tags=["referrals"])
class PartnerDecisionApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=PartnerDecisionIn,
        responses=PartnerOut,
        summary="Approve or reject a partner; set the commission rule",
    )
    def post(self, request, business_id: int, partner_id: int):
        return _decide(request, self.business, partner_id)


@extend_schema(tags=["referrals"])
class PartnerStatementApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=PartnerStatementIn,
        responses={201: PartnerStatementOut},
        summary="Close a month's statement for a partner",
    )
    def post(self, request, business_id: int, partner_id: int):
        values = _body(PartnerStatementIn, request)
        return run_idempotent(
            request,
            operation="referrals.statement",
            handler=lambda: Response(
                PartnerStatementOut(
                    services.statement_close(
                        business=self.business,
                        partner_id=partner_id,
                        month=values["month"],
                        actor=request.user,
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["referrals"])
class StatementPayApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=StatementPayIn,
        responses=PartnerStatementOut,
        summary="Record a statement's payout (posted to the ledger)",
    )
    def post(self, request, business_id: int, statement_id: int):
        values = _body(StatementPayIn, request)
        return run_idempotent(
            request,
            operation="referrals.statement_pay",
            handler=lambda: Response(
                PartnerStatementOut(
                    services.statement_pay(
                        business=self.business,
                        statement_id=statement_id,
                        reference=values["reference"],
                        actor=request.user,
                    )
                ).data
            ),
        )


@extend_schema(tags=["referrals"])
class SalonInviteListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(responses=SalonInviteOut(many=True), summary="Salons this business invited")
    def get(self, request, business_id: int):
        return Response(
            SalonInviteOut(SalonInvite.objects.filter(inviter=self.business), many=True).data
        )

    @extend_schema(
        request=SalonInviteIn,
        responses={201: SalonInviteOut},
        summary="Invite another salon (both get subscription credit when it goes live)",
    )
    def post(self, request, business_id: int):
        values = _body(SalonInviteIn, request)
        return run_idempotent(
            request,
            operation="referrals.invite",
            handler=lambda: Response(
                SalonInviteOut(
                    services.salon_invite_create(
                        business=self.business, email=values["email"], actor=request.user
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=["referrals"])
class SalonInviteAcceptApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=SalonInviteAcceptIn,
        responses=SalonInviteOut,
        summary="Say which salon invited this business",
    )
    def post(self, request, business_id: int):
        values = _body(SalonInviteAcceptIn, request)
        return run_idempotent(
            request,
            operation="referrals.invite_accept",
            handler=lambda: Response(
                SalonInviteOut(
                    services.salon_invite_accept(
                        business=self.business, code=values["code"], actor=request.user
                    )
                ).data
            ),
        )


# --- platform staff ----------------------------------------------------------------------------


@extend_schema(tags=["referrals"])
class PlatformPartnerListApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]
    pagination_class = Pagination

    @extend_schema(
        responses=PartnerOut(many=True),
        summary="Partner applications at every salon (platform staff)",
    )
    def get(self, request):
        with scopes_disabled():
            return paginated(
                self,
                Partner.objects.select_related("business").order_by("status", "-created_at"),
                PartnerOut,
            )


@extend_schema(tags=["referrals"])
class PlatformPartnerDecisionApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=PartnerDecisionIn,
        responses=PartnerOut,
        summary="Approve or reject a partner (platform staff)",
    )
    def post(self, request, partner_id: int):
        with scopes_disabled():
            partner = Partner.objects.select_related("business").filter(pk=partner_id).first()
        if partner is None:
            raise Http404
        with business_scope(partner.business):
            return _decide(request, partner.business, partner_id)


@extend_schema(tags=["referrals"])
class PlatformInviteListApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]
    pagination_class = Pagination

    @extend_schema(
        responses=SalonInviteOut(many=True), summary="Salon invitations (platform staff)"
    )
    def get(self, request):
        return paginated(self, SalonInvite.objects.all(), SalonInviteOut)


@extend_schema(tags=["referrals"])
class PlatformInviteLiveApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MANAGE_PLATFORM_FINANCE)]

    @extend_schema(
        request=None,
        responses=SalonInviteOut,
        summary="Mark an invited salon live: credit both (platform staff)",
    )
    def post(self, request, invite_id: int):
        return run_idempotent(
            request,
            operation="referrals.invite_live",
            handler=lambda: Response(
                SalonInviteOut(
                    services.salon_went_live(invite_id=invite_id, actor=request.user)
                ).data
            ),
        )
