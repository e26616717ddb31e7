from django.urls import path

from solibook.purchasing.views import office

app_name = "purchasing"

P = "office/<slug:business_slug>/purchasing/"

urlpatterns = [
    path(P, office.order_list, name="order_list"),
    path(f"{P}suggestions/", office.suggestions, name="suggestions"),
    path(f"{P}suppliers/", office.supplier_list, name="supplier_list"),
    path(f"{P}suppliers/<id:supplier_id>/", office.supplier_detail, name="supplier_detail"),
    path(f"{P}offers/<id:offer_id>/", office.offer_edit, name="offer_edit"),
    path(f"{P}orders/<id:order_id>/", office.order_detail, name="order_detail"),
    path(f"{P}orders/<id:order_id>/lines/", office.order_line, name="order_line"),
    path(f"{P}orders/<id:order_id>/send/", office.order_send, name="order_send"),
    path(f"{P}orders/<id:order_id>/email/", office.order_email, name="order_email"),
    path(f"{P}orders/<id:order_id>/cancel/", office.order_cancel, name="order_cancel"),
    path(f"{P}orders/<id:order_id>/receive/", office.order_receive, name="order_receive"),
    path(f"{P}orders/<id:order_id>/pdf/", office.order_pdf_view, name="order_pdf"),
    path(f"{P}orders/<id:order_id>/invoices/", office.invoice_record, name="invoice_record"),
    path(f"{P}invoices/<id:invoice_id>/pay/", office.invoice_pay, name="invoice_pay"),
]
