from django.urls import path

from solibook.billing.api import views

app_name = "billing_api"

B = "businesses/<id:business_id>/billing/"

urlpatterns = [
    path(B, views.BillingApi.as_view(), name="billing"),
    path(f"{B}plan/", views.BillingPlanApi.as_view(), name="plan"),
    path(f"{B}invoices/<id:invoice_id>/pay/", views.BillingInvoicePayApi.as_view(), name="pay"),
    path(
        "platform/billing/invoices/<id:invoice_id>/mark-paid/",
        views.PlatformInvoiceMarkPaidApi.as_view(),
        name="platform_mark_paid",
    ),
]
