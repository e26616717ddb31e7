"""Catalogue API: business settings, categories, services, masters, resources.

Thin views: the input serializer checks shape, a `catalog.services` function
validates and writes, the output serializer reads the result back through the
same prefetching queryset the list uses. Objects are looked up through the
scoped managers, so another business's ids answer 404 like unknown ones.
Schedules live in `catalog_schedules`, opening hours and closures in
`catalog_locations`.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog import services as catalog_services
from solibook.catalog.api.serializers import (
    BusinessSettingsIn,
    BusinessSettingsOut,
    CategoryOut,
    MasterIn,
    MasterOut,
    MasterPatchIn,
    ResourceIn,
    ResourceOut,
    ResourcePatchIn,
    ResourceQuery,
    ResourceTypeIn,
    ResourceTypeOut,
    ServiceIn,
    ServiceOut,
    ServicePatchIn,
)
from solibook.catalog.models import (
    Business,
    Category,
    Master,
    MasterService,
    Resource,
    ResourceType,
    Service,
    ServiceStep,
    ServiceVariant,
)

_WRITES = ("POST", "PUT", "PATCH", "DELETE")
WRITE_CATALOG = dict.fromkeys(_WRITES, Capability.MANAGE_CATALOG)
WRITE_BUSINESS = dict.fromkeys(_WRITES, Capability.MANAGE_BUSINESS)


# ---------------------------------------------------------------- business settings


@extend_schema(tags=["catalog"])
class BusinessSettingsApi(BusinessScopedMixin, APIView):
    """Profile and booking rules; reading needs the back office, changing needs `manage_business`."""

    capability_by_method = WRITE_BUSINESS

    @extend_schema(responses=BusinessSettingsOut, summary="Business profile and booking rules")
    def get(self, request, business_id: int):
        return Response(BusinessSettingsOut(self.business).data)

    @extend_schema(
        request=BusinessSettingsIn,
        responses=BusinessSettingsOut,
        summary="Change the business profile and booking rules",
    )
    def patch(self, request, business_id: int):
        changes = body(BusinessSettingsIn, request)
        # A fresh copy: the service sets attributes before validating.
        business = Business.objects.get(pk=self.business.pk)
        business = catalog_services.business_update_settings(
            actor=request.user, business=business, **changes
        )
        return Response(BusinessSettingsOut(business).data)


# ---------------------------------------------------------------- categories


@extend_schema(tags=["catalog"])
class CategoryListApi(APIView):
    """The platform-wide taxonomy: `name` in the request's language, all four names, the parent's slug. No login needed."""

    permission_classes = [AllowAny]
    pagination_class = Pagination

    @extend_schema(
        responses=CategoryOut(many=True), summary="The platform's service categories (public)"
    )
    def get(self, request):
        return paginated(
            self,
            Category.objects.select_related("parent").order_by("position", "slug"),
            CategoryOut,
        )


# ---------------------------------------------------------------- services


def service_queryset():
    own = ServiceStep.objects.filter(variant__isnull=True).order_by("position", "id")
    return Service.objects.select_related("category").prefetch_related(
        Prefetch("steps", queryset=own, to_attr="own_steps"),
        Prefetch("variants", queryset=ServiceVariant.objects.prefetch_related("steps")),
        "resource_types",
    )


@extend_schema(tags=["catalog"])
class ServiceListApi(BusinessScopedMixin, APIView):
    """Services with their steps (processing time has `master_busy: false`), variants and needed resource types. Prices are integer minor units."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(responses=ServiceOut(many=True), summary="Services of a business")
    def get(self, request, business_id: int):
        return paginated(self, service_queryset().order_by("position", "name", "id"), ServiceOut)

    @extend_schema(
        request=ServiceIn,
        responses={201: ServiceOut},
        summary="Add a service with its steps and variants",
    )
    def post(self, request, business_id: int):
        fields = body(ServiceIn, request)
        service = catalog_services.service_create(
            actor=request.user, business=self.business, **fields
        )
        return Response(
            ServiceOut(service_queryset().get(pk=service.pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["catalog"])
class ServiceDetailApi(BusinessScopedMixin, APIView):
    """One service. A PATCH replaces `steps`, `variants` and `resource_type_ids` when it sends them."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(responses=ServiceOut, summary="One service")
    def get(self, request, business_id: int, service_id: int):
        return Response(ServiceOut(get_object_or_404(service_queryset(), pk=service_id)).data)

    @extend_schema(
        request=ServicePatchIn,
        responses=ServiceOut,
        summary="Change a service (steps, variants and resources sent are replaced)",
    )
    def patch(self, request, business_id: int, service_id: int):
        get_object_or_404(Service.objects.all(), pk=service_id)
        fields = body(ServicePatchIn, request)
        catalog_services.service_update(
            actor=request.user, business=self.business, service_id=service_id, **fields
        )
        return Response(ServiceOut(service_queryset().get(pk=service_id)).data)


# ---------------------------------------------------------------- masters


def master_queryset():
    return Master.objects.prefetch_related(
        "locations",
        Prefetch("service_links", queryset=MasterService.objects.order_by("service_id")),
    )


def _master_fields(business, fields: dict) -> dict:
    """`user_id` becomes the team member's user (or None to unlink)."""
    if "user_id" in fields:
        user_id = fields.pop("user_id")
        fields["user"] = (
            None
            if user_id is None
            else catalog_services.team_member_user(business=business, user_id=user_id)
        )
    return fields


@extend_schema(tags=["catalog"])
class MasterListApi(BusinessScopedMixin, APIView):
    """Masters with their locations and the services they perform at their own price and pace."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(responses=MasterOut(many=True), summary="Masters of a business")
    def get(self, request, business_id: int):
        return paginated(
            self, master_queryset().order_by("position", "display_name", "id"), MasterOut
        )

    @extend_schema(
        request=MasterIn,
        responses={201: MasterOut},
        summary="Add a master with locations and services",
    )
    def post(self, request, business_id: int):
        fields = _master_fields(self.business, body(MasterIn, request))
        master = catalog_services.master_create(
            actor=request.user, business=self.business, **fields
        )
        return Response(
            MasterOut(master_queryset().get(pk=master.pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["catalog"])
class MasterDetailApi(BusinessScopedMixin, APIView):
    """One master. A PATCH replaces `location_ids` and `services` when it sends them."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(responses=MasterOut, summary="One master")
    def get(self, request, business_id: int, master_id: int):
        return Response(MasterOut(get_object_or_404(master_queryset(), pk=master_id)).data)

    @extend_schema(
        request=MasterPatchIn,
        responses=MasterOut,
        summary="Change a master (locations and services sent are replaced)",
    )
    def patch(self, request, business_id: int, master_id: int):
        get_object_or_404(Master.objects.all(), pk=master_id)
        fields = _master_fields(self.business, body(MasterPatchIn, request))
        catalog_services.master_update(
            actor=request.user, business=self.business, master_id=master_id, **fields
        )
        return Response(MasterOut(master_queryset().get(pk=master_id)).data)


# ---------------------------------------------------------------- resource types and resources


@extend_schema(tags=["catalog"])
class ResourceTypeListApi(BusinessScopedMixin, APIView):
    """Kinds of rooms and equipment services need."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(responses=ResourceTypeOut(many=True), summary="Kinds of rooms and equipment")
    def get(self, request, business_id: int):
        return paginated(self, ResourceType.objects.order_by("name", "id"), ResourceTypeOut)

    @extend_schema(
        request=ResourceTypeIn, responses={201: ResourceTypeOut}, summary="Add a resource type"
    )
    def post(self, request, business_id: int):
        resource_type = catalog_services.resource_type_create(
            actor=request.user, business=self.business, **body(ResourceTypeIn, request)
        )
        return Response(ResourceTypeOut(resource_type).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["catalog"])
class ResourceTypeDetailApi(BusinessScopedMixin, APIView):
    """One resource type."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(responses=ResourceTypeOut, summary="One resource type")
    def get(self, request, business_id: int, resource_type_id: int):
        return Response(
            ResourceTypeOut(get_object_or_404(ResourceType.objects.all(), pk=resource_type_id)).data
        )

    @extend_schema(
        request=ResourceTypeIn, responses=ResourceTypeOut, summary="Rename a resource type"
    )
    def patch(self, request, business_id: int, resource_type_id: int):
        get_object_or_404(ResourceType.objects.all(), pk=resource_type_id)
        resource_type = catalog_services.resource_type_update(
            actor=request.user,
            business=self.business,
            resource_type_id=resource_type_id,
            **body(ResourceTypeIn, request),
        )
        return Response(ResourceTypeOut(resource_type).data)


@extend_schema(tags=["catalog"])
class ResourceListApi(BusinessScopedMixin, APIView):
    """Rooms and equipment at the locations; `capacity` units serve in parallel."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("location_id", int, description="Only this location's resources.")
        ],
        responses=ResourceOut(many=True),
        summary="Rooms and equipment",
    )
    def get(self, request, business_id: int):
        resources = Resource.objects.order_by("location_id", "name", "id")
        location_id = query_params(ResourceQuery, request).get("location_id")
        if location_id is not None:
            resources = resources.filter(location_id=location_id)
        return paginated(self, resources, ResourceOut)

    @extend_schema(
        request=ResourceIn, responses={201: ResourceOut}, summary="Add a resource at a location"
    )
    def post(self, request, business_id: int):
        resource = catalog_services.resource_create(
            actor=request.user, business=self.business, **body(ResourceIn, request)
        )
        return Response(ResourceOut(resource).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["catalog"])
class ResourceDetailApi(BusinessScopedMixin, APIView):
    """One resource."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(responses=ResourceOut, summary="One resource")
    def get(self, request, business_id: int, resource_id: int):
        return Response(ResourceOut(get_object_or_404(Resource.objects.all(), pk=resource_id)).data)

    @extend_schema(
        request=ResourcePatchIn,
        responses=ResourceOut,
        summary="Change a resource (name, capacity, active)",
    )
    def patch(self, request, business_id: int, resource_id: int):
        get_object_or_404(Resource.objects.all(), pk=resource_id)
        resource = catalog_services.resource_update(
            actor=request.user,
            business=self.business,
            resource_id=resource_id,
            **body(ResourcePatchIn, request),
        )
        return Response(ResourceOut(resource).data)
