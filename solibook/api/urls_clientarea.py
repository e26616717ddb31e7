"""Client booking drafts and account, reviews, offers (see api/views/client_account.py, reviews.py, offers.py)."""

from django.urls import path

from solibook.api.views import client_account, offers, reviews

app_name = "clientarea_api"

urlpatterns = [
    path(
        "locations/<int:location_id>/priced-slots/",
        client_account.PricedSlotsApi.as_view(),
        name="priced_slots",
    ),
    path("booking-drafts/", client_account.DraftCreateApi.as_view(), name="draft_create"),
    path("booking-drafts/<str:token>/", client_account.DraftDetailApi.as_view(), name="draft"),
    path(
        "booking-drafts/<str:token>/send-code/",
        client_account.DraftSendCodeApi.as_view(),
        name="draft_send_code",
    ),
    path(
        "booking-drafts/<str:token>/verify/",
        client_account.DraftVerifyApi.as_view(),
        name="draft_verify",
    ),
    path(
        "booking-drafts/<str:token>/confirm/",
        client_account.DraftConfirmApi.as_view(),
        name="draft_confirm",
    ),
    path("me/visits/", client_account.VisitsApi.as_view(), name="visits"),
    path(
        "me/visits/<int:appointment_id>/cancel/",
        client_account.VisitCancelApi.as_view(),
        name="visit_cancel",
    ),
    path(
        "me/visits/<int:appointment_id>/reschedule/",
        client_account.VisitRescheduleApi.as_view(),
        name="visit_reschedule",
    ),
    path(
        "me/visits/<int:appointment_id>/review/",
        reviews.VisitReviewApi.as_view(),
        name="visit_review",
    ),
    path("me/favourites/", client_account.FavouritesApi.as_view(), name="favourites"),
    path(
        "me/favourites/<int:favourite_id>/",
        client_account.FavouriteDeleteApi.as_view(),
        name="favourite",
    ),
    path("me/export/", client_account.ExportApi.as_view(), name="export"),
    path("salons/<int:salon_id>/reviews/", reviews.SalonReviewsApi.as_view(), name="salon_reviews"),
    path("salons/<int:salon_id>/rating/", reviews.SalonRatingApi.as_view(), name="salon_rating"),
    path("salons/<int:salon_id>/offers/", offers.SalonOffersApi.as_view(), name="salon_offers"),
    path(
        "masters/<int:master_id>/rating/", reviews.MasterRatingApi.as_view(), name="master_rating"
    ),
    path(
        "reviews/<int:review_id>/report/", reviews.ReviewReportApi.as_view(), name="review_report"
    ),
    path(
        "platform/review-moderation/", reviews.ModerationQueueApi.as_view(), name="moderation_queue"
    ),
    path(
        "platform/reviews/<int:review_id>/moderate/", reviews.ModerateApi.as_view(), name="moderate"
    ),
    path(
        "businesses/<int:business_id>/reviews/",
        reviews.OfficeReviewsApi.as_view(),
        name="office_reviews",
    ),
    path(
        "businesses/<int:business_id>/reviews/<int:review_id>/reply/",
        reviews.OfficeReviewReplyApi.as_view(),
        name="office_review_reply",
    ),
    path(
        "businesses/<int:business_id>/off-peak-rules/",
        offers.OffPeakRulesApi.as_view(),
        name="offpeak_rules",
    ),
    path(
        "businesses/<int:business_id>/off-peak-rules/<int:rule_id>/",
        offers.OffPeakRuleDeleteApi.as_view(),
        name="offpeak_rule",
    ),
    path(
        "businesses/<int:business_id>/promo-codes/",
        offers.PromoCodesApi.as_view(),
        name="promo_codes",
    ),
    path(
        "businesses/<int:business_id>/promo-codes/<int:promo_id>/active/",
        offers.PromoCodeActiveApi.as_view(),
        name="promo_code_active",
    ),
]
