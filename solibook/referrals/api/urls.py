"""Referrals: codes and claims, the salon's programme and review queue, partners, salon invites."""

from django.urls import path

from solibook.referrals.api import views as referrals

app_name = "referrals_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path("me/referrals/", referrals.MyReferralsApi.as_view(), name="my_referrals"),
    path("me/referrals/codes/", referrals.MyCodeApi.as_view(), name="my_referral_code"),
    path("me/referrals/claim/", referrals.ClaimApi.as_view(), name="referral_claim"),
    path("me/partners/", referrals.MyPartnershipsApi.as_view(), name="my_partnerships"),
    path(
        "me/partners/<id:partner_id>/campaigns/",
        referrals.MyCampaignApi.as_view(),
        name="my_campaigns",
    ),
    path("referral-codes/<str:code>/", referrals.CodePreviewApi.as_view(), name="code_preview"),
    path(
        f"{B}referrals/programme/",
        referrals.ReferralProgrammeApi.as_view(),
        name="referral_programme",
    ),
    path(f"{B}referrals/", referrals.ReferralListApi.as_view(), name="referral_list"),
    path(
        f"{B}referrals/<id:referral_id>/review/",
        referrals.ReferralReviewApi.as_view(),
        name="referral_review",
    ),
    path(
        f"{B}referral-codes/<id:code_id>/public/",
        referrals.CodePublicApi.as_view(),
        name="code_public",
    ),
    path(f"{B}partners/", referrals.PartnerListApi.as_view(), name="partner_list"),
    path(
        f"{B}partners/<id:partner_id>/decision/",
        referrals.PartnerDecisionApi.as_view(),
        name="partner_decision",
    ),
    path(
        f"{B}partners/<id:partner_id>/statements/",
        referrals.PartnerStatementApi.as_view(),
        name="partner_statement",
    ),
    path(
        f"{B}statements/<id:statement_id>/pay/",
        referrals.StatementPayApi.as_view(),
        name="statement_pay",
    ),
    path(f"{B}salon-invites/", referrals.SalonInviteListApi.as_view(), name="salon_invites"),
    path(
        f"{B}salon-invites/accept/",
        referrals.SalonInviteAcceptApi.as_view(),
        name="salon_invite_accept",
    ),
    path(
        "platform/partners/", referrals.PlatformPartnerListApi.as_view(), name="platform_partners"
    ),
    path(
        "platform/partners/<id:partner_id>/decision/",
        referrals.PlatformPartnerDecisionApi.as_view(),
        name="platform_partner_decision",
    ),
    path(
        "platform/salon-invites/",
        referrals.PlatformInviteListApi.as_view(),
        name="platform_invites",
    ),
    path(
        "platform/salon-invites/<id:invite_id>/live/",
        referrals.PlatformInviteLiveApi.as_view(),
        name="platform_invite_live",
    ),
]
