from django.urls import path

from solibook.platform.views import office, platform

app_name = "platform"

urlpatterns = [
    path("platform/", platform.home, name="home"),
    path("platform/salons/", platform.salons, name="salons"),
    path("platform/salons/<id:salon_id>/", platform.salon, name="salon"),
    path("platform/salons/<id:salon_id>/approve/", platform.salon_approve, name="salon_approve"),
    path("platform/salons/<id:salon_id>/reject/", platform.salon_reject, name="salon_reject"),
    path("platform/salons/<id:salon_id>/invoice/", platform.salon_invoice, name="salon_invoice"),
    path("platform/salons/<id:salon_id>/support/", platform.impersonate, name="impersonate"),
    path(
        "platform/salons/<id:salon_id>/support/request/",
        platform.support_request,
        name="support_request",
    ),
    path("platform/support/leave/", platform.impersonate_stop, name="impersonate_stop"),
    path("platform/figures/", platform.figures, name="figures"),
    path("platform/promotions/", platform.promotions, name="promotions"),
    path("platform/audit/", platform.audit, name="audit"),
    path(
        "office/<slug:business_slug>/settings/support-access/",
        office.support_access,
        name="support_access",
    ),
]
