from django.urls import path

from solibook.commissions.views import office, platform, public

app_name = "commissions"

urlpatterns = [
    path("office/<slug:business_slug>/commissions/", office.lines, name="office"),
    path(
        "office/<slug:business_slug>/commissions/<id:line_id>/dispute/",
        office.dispute,
        name="office_dispute",
    ),
    path("office/<slug:business_slug>/boost/", office.boosts, name="office_boosts"),
    path(
        "office/<slug:business_slug>/boost/<id:promotion_id>/active/",
        office.boost_active,
        name="office_boost_active",
    ),
    path("platform/commissions/disputes/", platform.disputes, name="platform_disputes"),
    path(
        "platform/commissions/disputes/<id:dispute_id>/decide/",
        platform.decide,
        name="platform_decide",
    ),
    path("commission-rules/", public.rules_page, name="rules"),
]
