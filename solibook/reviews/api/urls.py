"""Reviews: the client's review of a visit, ratings, reports, replies and moderation."""

from django.urls import path

from solibook.reviews.api import views as reviews

app_name = "reviews_api"

urlpatterns = [
    path(
        "me/visits/<id:appointment_id>/review/",
        reviews.VisitReviewApi.as_view(),
        name="visit_review",
    ),
    path("salons/<id:salon_id>/reviews/", reviews.SalonReviewsApi.as_view(), name="salon_reviews"),
    path("salons/<id:salon_id>/rating/", reviews.SalonRatingApi.as_view(), name="salon_rating"),
    path("masters/<id:master_id>/rating/", reviews.MasterRatingApi.as_view(), name="master_rating"),
    path("reviews/<id:review_id>/report/", reviews.ReviewReportApi.as_view(), name="review_report"),
    path(
        "platform/review-moderation/", reviews.ModerationQueueApi.as_view(), name="moderation_queue"
    ),
    path(
        "platform/reviews/<id:review_id>/moderate/", reviews.ModerateApi.as_view(), name="moderate"
    ),
    path(
        "businesses/<id:business_id>/reviews/",
        reviews.OfficeReviewsApi.as_view(),
        name="office_reviews",
    ),
    path(
        "businesses/<id:business_id>/reviews/<id:review_id>/reply/",
        reviews.OfficeReviewReplyApi.as_view(),
        name="office_review_reply",
    ),
]
