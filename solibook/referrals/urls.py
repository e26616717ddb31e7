from django.urls import path

from solibook.referrals.views import client, office, platform, public

app_name = "referrals"

OFFICE = "office/<slug:business_slug>/referrals/"

urlpatterns = [
    path("r/<str:code>/", public.landing, name="landing"),
    path("r/<str:code>/card.png", public.card, name="card"),
    path("r/<str:code>/book/", public.book, name="book"),
    path("me/referrals/", client.my_referrals, name="mine"),
    path("me/partners/", client.partner_home, name="partner_home"),
    path(
        "me/partners/<id:partner_id>/campaigns/", client.partner_campaign, name="partner_campaign"
    ),
    path("partners/<slug:salon_slug>/join/", client.partner_join, name="partner_join"),
    path(OFFICE, office.office_referrals, name="office"),
    path(f"{OFFICE}review/", office.office_review, name="office_review"),
    path(
        f"{OFFICE}<id:referral_id>/decide/",
        office.office_review_decide,
        name="office_review_decide",
    ),
    path(f"{OFFICE}partners/", office.office_partners, name="office_partners"),
    path(
        f"{OFFICE}partners/<id:partner_id>/decide/",
        office.office_partner_decide,
        name="office_partner_decide",
    ),
    path(
        f"{OFFICE}partners/<id:partner_id>/statements/",
        office.office_statement_close,
        name="office_statement_close",
    ),
    path(
        f"{OFFICE}statements/<id:statement_id>/pay/",
        office.office_statement_pay,
        name="office_statement_pay",
    ),
    path(f"{OFFICE}invites/", office.office_invites, name="office_invites"),
    path("platform/referrals/", platform.platform_home, name="platform"),
    path(
        "platform/referrals/partners/<id:partner_id>/decide/",
        platform.platform_partner_decide,
        name="platform_partner_decide",
    ),
    path(
        "platform/referrals/invites/<id:invite_id>/live/",
        platform.platform_invite_live,
        name="platform_invite_live",
    ),
]
