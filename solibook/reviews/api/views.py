"""Reviews: public reads and reports, the client's review of a visit, the
salon's replies, and platform staff moderation. Writes call `reviews.services`."""

from django.http import Http404
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.pagination import Pagination
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Business, Master
from solibook.reviews.api.serializers import (
    ModerateIn,
    ModerationReviewOut,
    OfficeReviewOut,
    RatingSummaryOut,
    ReplyIn,
    ReportIn,
    ReportOut,
    ReviewIn,
    ReviewOut,
)
from solibook.reviews.models import ASPECTS, Review, ReviewStatus
from solibook.reviews.selectors import master_rating_summary, rating_summary
from solibook.reviews.services import (
    moderation_queue,
    review_create,
    review_moderate,
    review_reply,
    review_report,
)


def _listed_business(business_id: int) -> Business:
    business = Business.objects.filter(pk=business_id, is_listed=True).first()
    if business is None:
        raise Http404
    return business


class SalonReviewsApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    pagination_class = Pagination

    @extend_schema(
        responses=ReviewOut(many=True), summary="Published reviews of a salon, newest first"
    )
    def get(self, request, salon_id: int):
        business = _listed_business(salon_id)
        with scopes_disabled():
            query = Review.objects.filter(
                business=business, status=ReviewStatus.PUBLISHED
            ).order_by("-created_at", "-id")
            paginator = Pagination()
            page = paginator.paginate_queryset(query, request, view=self)
            return paginator.get_paginated_response(ReviewOut(page, many=True).data)


class SalonRatingApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        responses=RatingSummaryOut, summary="A salon's rating: average, count, distribution"
    )
    def get(self, request, salon_id: int):
        business = _listed_business(salon_id)
        return Response(RatingSummaryOut(rating_summary([business.pk])[business.pk]).data)


class MasterRatingApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        responses=RatingSummaryOut, summary="A master's rating: average, count, distribution"
    )
    def get(self, request, master_id: int):
        with scopes_disabled():
            exists = Master.objects.filter(
                pk=master_id, is_active=True, business__is_listed=True
            ).exists()
        if not exists:
            raise Http404
        return Response(RatingSummaryOut(master_rating_summary([master_id])[master_id]).data)


class VisitReviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReviewIn, responses={201: ReviewOut}, summary="Review my completed visit (once)"
    )
    def post(self, request, appointment_id: int):
        data = ReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        review = review_create(
            user=request.user,
            appointment_id=appointment_id,
            rating=values["rating"],
            aspects={a: values[a] for a in ASPECTS},
            text=values["text"],
        )
        return Response(ReviewOut(review).data, status=status.HTTP_201_CREATED)


class ReviewReportApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=ReportIn,
        responses={201: ReportOut},
        summary="Report a review to the moderators (anyone)",
    )
    def post(self, request, review_id: int):
        data = ReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = review_report(review_id=review_id, reporter=request.user, **data.validated_data)
        return Response(ReportOut(report).data, status=status.HTTP_201_CREATED)


class OfficeReviewsApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_BACK_OFFICE
    pagination_class = Pagination

    @extend_schema(
        responses=OfficeReviewOut(many=True), summary="The salon's reviews (including hidden ones)"
    )
    def get(self, request, business_id: int):
        query = Review.objects.filter(business=self.business).order_by("-created_at", "-id")
        paginator = Pagination()
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(OfficeReviewOut(page, many=True).data)


class OfficeReviewReplyApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=ReplyIn,
        responses=OfficeReviewOut,
        summary="Reply publicly to a review (empty text removes the reply)",
    )
    def post(self, request, business_id: int, review_id: int):
        data = ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_reply(
            business=self.business,
            review_id=review_id,
            text=data.validated_data["reply_text"],
            actor=request.user,
        )
        return Response(OfficeReviewOut(review).data)


class ModerationQueueApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MODERATE_REVIEWS)]

    @extend_schema(
        responses=ModerationReviewOut(many=True),
        summary="Reported reviews waiting for moderation (platform staff)",
    )
    def get(self, request):
        return Response(ModerationReviewOut(moderation_queue(), many=True).data)


class ModerateApi(APIView):
    permission_classes = [platform_permission(PlatformCapability.MODERATE_REVIEWS)]

    @extend_schema(
        request=ModerateIn,
        responses=OfficeReviewOut,
        summary="Hide or restore a review (platform staff)",
    )
    def post(self, request, review_id: int):
        data = ModerateIn(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_moderate(review_id=review_id, actor=request.user, **data.validated_data)
        return Response(OfficeReviewOut(review).data)
