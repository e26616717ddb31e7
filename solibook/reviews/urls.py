from django.urls import path

from solibook.reviews.views import office, platform, public

app_name = "reviews"

urlpatterns = [
    path("reviews/<int:review_id>/report/", public.report, name="report"),
    path("platform/reviews/", platform.moderation, name="moderation"),
    path("platform/reviews/<int:review_id>/moderate/", platform.moderate, name="moderate"),
    path("office/<slug:business_slug>/reviews/", office.reviews, name="office"),
    path(
        "office/<slug:business_slug>/reviews/<int:review_id>/reply/",
        office.review_reply_view,
        name="office_reply",
    ),
]
