from django.urls import path

from solibook.referrals import views

app_name = "referrals"

OFFICE = "office/<slug:business_slug>/referrals/"

urlpatterns = [
    path("r/<str:code>/", views.landing, name="landing"),
    path("r/<str:code>/card.png", views.card, name="card"),
    path("r/<str:code>/book/", views.book, name="book"),
    path("me/referrals/", views.my_referrals, name="mine"),
    path("me/partners/", views.partner_home, name="partner_home"),
    path(
        "me/partners/<int:partner_id>/campaigns/", views.partner_campaign, name="partner_campaign"
    ),
    path("partners/<slug:salon_slug>/join/", views.partner_join, name="partner_join"),
    path(OFFICE, views.office_referrals, name="office"),
    path(f"{OFFICE}review/", views.office_review, name="office_review"),
    path(
        f"{OFFICE}<int:referral_id>/decide/",
        views.office_review_decide,
        name="office_review_decide",
    ),
    path(f"{OFFICE}partners/", views.office_partners, name="office_partners"),
    path(
        f"{OFFICE}partners/<int:partner_id>/decide/",
        views.office_partner_decide,
        name="office_partner_decide",
    ),
    path(
        f"{OFFICE}partners/<int:partner_id>/statements/",
        views.office_statement_close,
        name="office_statement_close",
    ),
    path(
        f"{OFFICE}statements/<int:statement_id>/pay/",
        views.office_statement_pay,
        name="office_statement_pay",
    ),
    path(f"{OFFICE}invites/", views.office_invites, name="office_invites"),
    path("platform/referrals/", views.platform_home, name="platform"),
    path(
        "platform/referrals/partners/<int:partner_id>/decide/",
        views.platform_partner_decide,
        name="platform_partner_decide",
    ),
    path(
        "platform/referrals/invites/<int:invite_id>/live/",
        views.platform_invite_live,
        name="platform_invite_live",
    ),
]
