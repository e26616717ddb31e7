"""Social publishing API: profiles (the token is write-only), posts with
their deliveries and effect, publishing and retrying, free slots to publish.

Thin views over `social.services` and `social.selectors`; owners and
managers (`manage_business`). Publishing calls the networks, so it runs
outside any transaction; a delivery is claimed once (nothing sent twice).
"""

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import run_idempotent
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Location, Service
from solibook.social import selectors, services
from solibook.social.api.serializers import (
    DeliveryOut,
    FreeSlotOut,
    SlotsQueryIn,
    SocialPostIn,
    SocialPostOut,
    SocialProfileIn,
    SocialProfileOut,
    SocialPublishIn,
    SocialTokenIn,
)
from solibook.social.models import Post, SocialProfile

TAGS = ["social"]
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class SocialApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS


def _post(post_id: int) -> Post:
    post = (
        Post.objects.select_related("link")
        .prefetch_related("deliveries__profile")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    return post


@extend_schema(tags=TAGS)
class ProfileListApi(SocialApi):
    pagination_class = Pagination

    @extend_schema(responses=SocialProfileOut(many=True), summary="Connected social profiles")
    def get(self, request, business_id: int):
        return paginated(
            self, SocialProfile.objects.order_by("network", "name", "id"), SocialProfileOut
        )

    @extend_schema(
        request=SocialProfileIn,
        responses={201: SocialProfileOut},
        parameters=[IDEMPOTENCY],
        summary="Connect a profile (its token is never returned)",
    )
    def post(self, request, business_id: int):
        data = body(SocialProfileIn, request)
        return run_idempotent(
            request,
            operation="social.profile_connect",
            handler=lambda: Response(
                SocialProfileOut(
                    services.profile_connect(business=self.business, actor=request.user, **data)
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class ProfileTokenApi(SocialApi):
    @extend_schema(
        request=SocialTokenIn, responses=SocialProfileOut, summary="Give a profile a new token"
    )
    def post(self, request, business_id: int, profile_id: int):
        data = body(SocialTokenIn, request)
        return Response(
            SocialProfileOut(
                services.profile_reconnect(
                    business=self.business, profile_id=profile_id, actor=request.user, **data
                )
            ).data
        )


@extend_schema(tags=TAGS)
class ProfileDisconnectApi(SocialApi):
    @extend_schema(
        request=None,
        responses=SocialProfileOut,
        summary="Disconnect a profile (its token is deleted)",
    )
    def post(self, request, business_id: int, profile_id: int):
        return Response(
            SocialProfileOut(
                services.profile_disconnect(
                    business=self.business, profile_id=profile_id, actor=request.user
                )
            ).data
        )


@extend_schema(tags=TAGS)
class PostListApi(SocialApi):
    pagination_class = Pagination

    @extend_schema(
        responses=SocialPostOut(many=True), summary="Posts with their clicks and bookings"
    )
    def get(self, request, business_id: int):
        rows = Post.objects.select_related("link").prefetch_related("deliveries__profile")
        return paginated(self, rows, SocialPostOut)

    @extend_schema(
        request=SocialPostIn,
        responses={201: SocialPostOut},
        parameters=[IDEMPOTENCY],
        summary="Prepare a post (publish it with publish/)",
    )
    def post(self, request, business_id: int):
        data = body(SocialPostIn, request)
        return run_idempotent(
            request,
            operation="social.post_create",
            handler=lambda: Response(
                SocialPostOut(
                    _post(
                        services.post_create(business=self.business, actor=request.user, **data).pk
                    )
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


@extend_schema(tags=TAGS)
class PostDetailApi(SocialApi):
    @extend_schema(
        responses=SocialPostOut, summary="One post, where it was published and its effect"
    )
    def get(self, request, business_id: int, post_id: int):
        return Response(SocialPostOut(_post(post_id)).data)


@extend_schema(tags=TAGS)
class PostPublishApi(SocialApi):
    @extend_schema(
        request=SocialPublishIn,
        responses=DeliveryOut(many=True),
        summary="Publish on every waiting or failed profile (or retry one delivery)",
    )
    def post(self, request, business_id: int, post_id: int):
        data = body(SocialPublishIn, request)
        _post(post_id)
        done = services.post_publish(
            business=self.business,
            post_id=post_id,
            actor=request.user,
            language=get_language(),
            delivery_id=data["delivery_id"],
        )
        return Response(DeliveryOut(done, many=True).data)


@extend_schema(tags=TAGS)
class SlotListApi(SocialApi):
    @extend_schema(
        parameters=[SlotsQueryIn],
        responses=FreeSlotOut(many=True),
        summary="Free slots to publish (today and tomorrow)",
    )
    def get(self, request, business_id: int):
        query = query_params(SlotsQueryIn, request)
        if not Location.objects.filter(pk=query["location_id"]).exists():
            raise Http404
        if not Service.objects.filter(pk=query["service_id"]).exists():
            raise Http404
        slots = selectors.last_minute_slots(
            business=self.business, location_id=query["location_id"], service_id=query["service_id"]
        )
        return Response(FreeSlotOut(slots, many=True).data)
