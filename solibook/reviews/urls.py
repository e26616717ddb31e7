from django.urls import path

from solibook.reviews.views import office, platform, public

app_name = "reviews"

urlpatterns = [
    path("reviews/<id:review_id>/report/", public.report, name="report"),
    path("platform/reviews/", platform.moderation, name="moderation"),
    path("platform/reviews/<id:review_id>/moderate/", platform.moderate, name="moderate"),
    path("office/<slug:business_slug>/reviews/", office.reviews, name="office"),
    path(
        "office/<slug:business_slug>/reviews/<id:review_id>/reply/",
        office.review_reply_view,
        name="office_reply",
    ),
]
