from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts import services as account_services
from solibook.accounts.access import memberships_of
from solibook.accounts.models import Membership
from solibook.accounts.roles import Capability
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog import services as catalog_services
from solibook.catalog.api.serializers import (
    BusinessIn,
    BusinessOut,
    LocationIn,
    LocationOut,
    LocationPatchIn,
    MemberOut,
    MemberRoleIn,
)
from solibook.catalog.models import Location


class BusinessListApi(APIView):
    @extend_schema(responses=BusinessOut(many=True), summary="Businesses the user is a member of")
    def get(self, request):
        memberships = memberships_of(request.user)
        roles = {m.business_id: m.role for m in memberships}
        data = BusinessOut(
            [m.business for m in memberships], many=True, context={"roles": roles}
        ).data
        return Response(data)

    @extend_schema(
        request=BusinessIn,
        responses={201: BusinessOut},
        summary="Create a business (you become its owner; listed once the platform approves it)",
    )
    def post(self, request):
        data = BusinessIn(data=request.data)
        data.is_valid(raise_exception=True)
        business = catalog_services.business_create(
            owner=request.user, needs_approval=True, **data.validated_data
        )
        return Response(
            BusinessOut(business, context={"roles": {business.pk: "owner"}}).data,
            status=status.HTTP_201_CREATED,
        )


class BusinessDetailApi(BusinessScopedMixin, APIView):
    @extend_schema(responses=BusinessOut, summary="One business")
    def get(self, request, business_id: int):
        return Response(
            BusinessOut(self.business, context={"roles": {self.business.pk: self.access.role}}).data
        )


class LocationListApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    capability_by_method = {"POST": Capability.MANAGE_BUSINESS}

    @extend_schema(responses=LocationOut(many=True), summary="Locations of a business")
    def get(self, request, business_id: int):
        return paginated(self, Location.objects.all().order_by("name", "id"), LocationOut)

    @extend_schema(request=LocationIn, responses={201: LocationOut}, summary="Add a location")
    def post(self, request, business_id: int):
        data = LocationIn(data=request.data)
        data.is_valid(raise_exception=True)
        location = catalog_services.location_create(
            actor=request.user, business=self.business, **data.validated_data
        )
        return Response(LocationOut(location).data, status=status.HTTP_201_CREATED)


class LocationDetailApi(BusinessScopedMixin, APIView):
    capability_by_method = {"PATCH": Capability.MANAGE_BUSINESS}

    @extend_schema(responses=LocationOut, summary="One location")
    def get(self, request, business_id: int, location_id: int):
        return Response(LocationOut(get_object_or_404(Location.objects.all(), pk=location_id)).data)

    @extend_schema(request=LocationPatchIn, responses=LocationOut, summary="Change a location")
    def patch(self, request, business_id: int, location_id: int):
        get_object_or_404(Location.objects.all(), pk=location_id)
        data = LocationPatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        location = catalog_services.location_update(
            actor=request.user,
            business=self.business,
            location_id=location_id,
            **data.validated_data,
        )
        return Response(LocationOut(location).data)


class MemberListApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    capability = Capability.MANAGE_TEAM

    @extend_schema(responses=MemberOut(many=True), summary="Team members and their roles")
    def get(self, request, business_id: int):
        return paginated(self, Membership.objects.select_related("user").order_by("id"), MemberOut)


class MemberDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_TEAM

    @extend_schema(responses=MemberOut, summary="One team member")
    def get(self, request, business_id: int, member_id: int):
        return Response(
            MemberOut(
                get_object_or_404(Membership.objects.select_related("user"), pk=member_id)
            ).data
        )

    @extend_schema(request=MemberRoleIn, responses=MemberOut, summary="Change a member's role")
    def patch(self, request, business_id: int, member_id: int):
        get_object_or_404(Membership.objects.all(), pk=member_id)
        data = MemberRoleIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = account_services.membership_change_role(
            actor=request.user,
            business=self.business,
            membership_id=member_id,
            role=data.validated_data["role"],
        )
        return Response(MemberOut(membership).data)
