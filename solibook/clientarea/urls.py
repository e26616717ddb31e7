from django.urls import path

from solibook.clientarea import account, office

app_name = "client"

urlpatterns = [
    path("me/", account.visits, name="visits"),
    path("me/visits/<int:appointment_id>/cancel/", account.visit_cancel, name="visit_cancel"),
    path(
        "me/visits/<int:appointment_id>/reschedule/",
        account.visit_reschedule,
        name="visit_reschedule",
    ),
    path("me/visits/<int:appointment_id>/review/", account.visit_review, name="visit_review"),
    path("me/favourites/", account.favourites, name="favourites"),
    path("me/favourites/toggle/", account.favourite_toggle, name="favourite_toggle"),
    path("me/profile/", account.profile, name="profile"),
    path("me/export.json", account.export, name="export"),
    path("reviews/<int:review_id>/report/", office.report, name="review_report"),
    path("platform/reviews/", office.moderation, name="moderation"),
    path("platform/reviews/<int:review_id>/moderate/", office.moderate, name="moderate"),
    path("office/<slug:business_slug>/reviews/", office.reviews, name="office_reviews"),
    path(
        "office/<slug:business_slug>/reviews/<int:review_id>/reply/",
        office.review_reply_view,
        name="office_review_reply",
    ),
    path("office/<slug:business_slug>/offers/", office.offers, name="office_offers"),
    path(
        "office/<slug:business_slug>/offers/off-peak/<int:rule_id>/delete/",
        office.offpeak_delete,
        name="office_offpeak_delete",
    ),
    path(
        "office/<slug:business_slug>/offers/promo-codes/<int:promo_id>/active/",
        office.promo_toggle,
        name="office_promo_active",
    ),
]
