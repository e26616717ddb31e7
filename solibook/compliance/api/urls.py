from django.urls import path

from solibook.compliance.api import views

app_name = "compliance_api"

C = "businesses/<id:business_id>/compliance/"

urlpatterns = [
    path(f"{C}zatca/", views.ZatcaStatusApi.as_view(), name="zatca_status"),
    path(f"{C}zatca/invoices/", views.ZatcaInvoiceListApi.as_view(), name="zatca_invoices"),
    path(
        f"{C}zatca/invoices/<id:checkout_id>/",
        views.ZatcaInvoiceDetailApi.as_view(),
        name="zatca_invoice",
    ),
    path(
        f"{C}zatca/invoices/<id:checkout_id>/xml/",
        views.ZatcaInvoiceXmlApi.as_view(),
        name="zatca_invoice_xml",
    ),
    path(
        f"{C}zatca/credit-notes/<id:refund_id>/xml/",
        views.ZatcaCreditNoteXmlApi.as_view(),
        name="zatca_credit_note_xml",
    ),
    path(f"{C}fiscal/settings/", views.FiscalSettingsApi.as_view(), name="fiscal_settings"),
    path(f"{C}fiscal/receipts/", views.FiscalReceiptListApi.as_view(), name="fiscal_receipts"),
    path(
        f"{C}fiscal/receipts/<id:receipt_id>/retry/",
        views.FiscalReceiptRetryApi.as_view(),
        name="fiscal_retry",
    ),
    path(f"{C}exports/<str:package>.csv", views.PackageExportApi.as_view(), name="export"),
    path(f"{C}exports/<str:package>/codes/", views.AccountCodesApi.as_view(), name="account_codes"),
    path(f"{C}reconciliation/", views.ReconciliationApi.as_view(), name="reconciliation"),
]
