"""The operator console's API: salons and figures (platform roles)."""

from django.urls import path

from solibook.platform.api import views

app_name = "platform_api"

urlpatterns = [
    path("platform/salons/", views.PlatformSalonsApi.as_view(), name="salons"),
    path("platform/salons/<id:salon_id>/", views.PlatformSalonApi.as_view(), name="salon"),
    path(
        "platform/salons/<id:salon_id>/approve/",
        views.PlatformSalonApproveApi.as_view(),
        name="salon_approve",
    ),
    path(
        "platform/salons/<id:salon_id>/reject/",
        views.PlatformSalonRejectApi.as_view(),
        name="salon_reject",
    ),
    path(
        "platform/salons/<id:salon_id>/invoice/",
        views.PlatformSalonInvoiceApi.as_view(),
        name="salon_invoice",
    ),
    path("platform/figures/", views.PlatformFiguresApi.as_view(), name="figures"),
]
