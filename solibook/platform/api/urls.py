"""The operator console's API: salons and figures (platform roles)."""

from django.urls import path

from solibook.platform.api import console, support, views

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
    # Invoices, credits and the promotion inventory, as on the console's pages.
    path("platform/invoices/", console.PlatformInvoicesApi.as_view(), name="invoices"),
    path(
        "platform/invoices/<id:invoice_id>/regenerate/",
        console.PlatformInvoiceRegenerateApi.as_view(),
        name="invoice_regenerate",
    ),
    path("platform/credits/", console.PlatformCreditApi.as_view(), name="credits"),
    path("platform/promotions/", console.PlatformPromotionsApi.as_view(), name="promotions"),
    # Consented support access: support asks, enters, leaves; the salon consents.
    path(
        "platform/salons/<id:salon_id>/support/request/",
        support.PlatformSupportRequestApi.as_view(),
        name="support_request",
    ),
    path(
        "platform/salons/<id:salon_id>/support/",
        support.PlatformSupportVisitApi.as_view(),
        name="support_visit",
    ),
    path(
        "platform/salons/<id:salon_id>/support/end/",
        support.PlatformSupportEndApi.as_view(),
        name="support_end",
    ),
    path(
        "businesses/<id:business_id>/support-access/",
        support.SupportAccessApi.as_view(),
        name="support_access",
    ),
]
