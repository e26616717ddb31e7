"""Self-serve onboarding through the API: the same steps as the wizard's
pages (`catalog.services.onboarding`, the plan through
`billing.services.subscription_start`), one call each. The salon asks for
approval at the end; the operator approves it through `platform_api`."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.scoping import BusinessScopedMixin
from solibook.billing import selectors as billing_selectors
from solibook.billing import services as billing_services
from solibook.catalog import services as catalog_services
from solibook.catalog.api.serializers import (
    OnboardingOut,
    OnboardingPlanIn,
    OnboardingServicesIn,
    OnboardingStartIn,
    OnboardingTeamIn,
)
from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope


def onboarding_out(business: Business, role: str = "owner") -> dict:
    """Where the salon stands: its approval and each step done (read in its scope)."""
    with business_scope(business):
        progress = catalog_services.onboarding_progress(business)
        subscription = billing_selectors.subscription_of(business)
    plan = subscription.plan.code if subscription else None
    return OnboardingOut(
        {
            "business": business,
            "approval_status": business.approval_status,
            "approval_note": business.approval_note,
            "submitted_at": business.submitted_at,
            "approved_at": business.approved_at,
            "plan": plan,
            "progress": {**progress, "plan": plan is not None},
        },
        context={"roles": {business.pk: role}},
    ).data


class OnboardingStartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=OnboardingStartIn,
        responses={201: OnboardingOut},
        summary="Start a salon: the business and its first location (you become its owner; "
        "a draft, off the marketplace until the platform approves it)",
        tags=["onboarding"],
    )
    def post(self, request):
        data = OnboardingStartIn(data=request.data)
        data.is_valid(raise_exception=True)
        business = catalog_services.onboarding_start(owner=request.user, **data.validated_data)
        return Response(onboarding_out(business), status=status.HTTP_201_CREATED)


class OnboardingApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        responses=OnboardingOut,
        summary="The salon's onboarding: each step done, the plan, the approval",
        tags=["onboarding"],
    )
    def get(self, request, business_id: int):
        return Response(onboarding_out(self.business, self.access.role))


class OnboardingServicesApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        request=OnboardingServicesIn,
        responses={201: OnboardingOut},
        summary="Add services picked from the taxonomy (name, length, price)",
        tags=["onboarding"],
    )
    def post(self, request, business_id: int):
        data = OnboardingServicesIn(data=request.data)
        data.is_valid(raise_exception=True)
        catalog_services.onboarding_services(
            actor=request.user, business=self.business, picks=data.validated_data["picks"]
        )
        return Response(
            onboarding_out(self.business, self.access.role), status=status.HTTP_201_CREATED
        )


class OnboardingTeamApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        request=OnboardingTeamIn,
        responses={201: OnboardingOut},
        summary="Opening hours of the first location, and the people who take clients "
        "(each works those hours and does every service)",
        tags=["onboarding"],
    )
    def post(self, request, business_id: int):
        data = OnboardingTeamIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        catalog_services.onboarding_team(
            actor=request.user,
            business=self.business,
            names=values["names"],
            weekdays=values["weekdays"],
            opens=values["opens"],
            closes=values["closes"],
        )
        return Response(
            onboarding_out(self.business, self.access.role), status=status.HTTP_201_CREATED
        )


class OnboardingPlanApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=OnboardingPlanIn,
        responses=OnboardingOut,
        summary="Choose the plan (its trial starts now when it has one)",
        tags=["onboarding"],
    )
    def post(self, request, business_id: int):
        data = OnboardingPlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            locked = Business.objects.select_for_update().get(pk=self.business.pk)
            catalog_services.onboarding_editable(locked)
            billing_services.subscription_start(
                business=locked, plan_code=data.validated_data["plan"], actor=request.user
            )
        return Response(onboarding_out(self.business, self.access.role))


class OnboardingSubmitApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=None,
        responses=OnboardingOut,
        summary="Ask the platform to approve the salon (every step must be done)",
        tags=["onboarding"],
    )
    def post(self, request, business_id: int):
        business = catalog_services.onboarding_submit(actor=request.user, business=self.business)
        return Response(onboarding_out(business, self.access.role))
