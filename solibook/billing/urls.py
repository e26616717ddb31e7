"""Pages of billing: the salon's plan and invoices, the operator's invoices and credits."""

from django.urls import path

from solibook.billing.views import office, platform

app_name = "billing"

OFFICE = "office/<slug:business_slug>/billing/"

urlpatterns = [
    path(OFFICE, office.billing_home, name="office"),
    path(f"{OFFICE}plan/", office.plan_change, name="plan_change"),
    path(f"{OFFICE}invoices/<int:invoice_id>/", office.invoice_detail, name="invoice"),
    path(f"{OFFICE}invoices/<int:invoice_id>/pdf/", office.invoice_download, name="invoice_pdf"),
    path(f"{OFFICE}invoices/<int:invoice_id>/pay/", office.invoice_pay, name="invoice_pay"),
    path(f"{OFFICE}invoices/<int:invoice_id>/paid/", office.invoice_paid, name="invoice_paid"),
    path("platform/billing/", platform.invoice_list, name="platform_invoices"),
    path(
        "platform/billing/invoices/<int:invoice_id>/mark-paid/",
        platform.invoice_mark_paid,
        name="platform_mark_paid",
    ),
    path(
        "platform/billing/invoices/<int:invoice_id>/regenerate/",
        platform.invoice_regenerate,
        name="platform_regenerate",
    ),
    path(
        "platform/billing/invoices/<int:invoice_id>/pdf/",
        platform.invoice_download,
        name="platform_invoice_pdf",
    ),
    path("platform/billing/credit/", platform.credit_grant, name="platform_credit"),
]
