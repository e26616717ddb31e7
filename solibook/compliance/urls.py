from django.urls import path

from solibook.compliance.views import office

app_name = "compliance"

B = "office/<slug:business_slug>/compliance/"

urlpatterns = [
    path(B, office.home, name="home"),
    path(f"{B}zatca/", office.zatca_page, name="zatca"),
    path(f"{B}zatca/<id:checkout_id>.xml", office.zatca_xml, name="zatca_xml"),
    path(
        f"{B}zatca/credit-notes/<id:refund_id>.xml",
        office.zatca_credit_note_xml,
        name="zatca_credit_note_xml",
    ),
    path(f"{B}fiscal/", office.fiscal_page, name="fiscal"),
    path(f"{B}fiscal/<id:receipt_id>/retry/", office.fiscal_retry, name="fiscal_retry"),
    path(f"{B}exports/", office.exports_page, name="exports"),
    path(f"{B}exports/<str:package>/codes/", office.account_codes, name="account_codes"),
    path(f"{B}reconciliation/", office.reconciliation_page, name="reconciliation"),
]
