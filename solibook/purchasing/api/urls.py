from django.urls import path

from solibook.purchasing.api import views

app_name = "purchasing_api"

P = "businesses/<id:business_id>/purchasing/"

urlpatterns = [
    path(f"{P}offers/", views.OfferListApi.as_view(), name="offer_list"),
    path(f"{P}offers/<id:offer_id>/", views.OfferDetailApi.as_view(), name="offer_detail"),
    path(
        f"{P}suppliers/<id:supplier_id>/language/",
        views.SupplierLanguageApi.as_view(),
        name="supplier_language",
    ),
    path(f"{P}orders/", views.OrderListApi.as_view(), name="order_list"),
    path(f"{P}orders/<id:order_id>/", views.OrderDetailApi.as_view(), name="order_detail"),
    path(f"{P}orders/<id:order_id>/lines/", views.OrderLineApi.as_view(), name="order_line"),
    path(f"{P}orders/<id:order_id>/send/", views.OrderSendApi.as_view(), name="order_send"),
    path(f"{P}orders/<id:order_id>/cancel/", views.OrderCancelApi.as_view(), name="order_cancel"),
    path(
        f"{P}orders/<id:order_id>/receipts/", views.OrderReceiveApi.as_view(), name="order_receive"
    ),
    path(f"{P}orders/<id:order_id>/invoices/", views.InvoiceListApi.as_view(), name="invoice_list"),
    path(f"{P}invoices/<id:invoice_id>/pay/", views.InvoicePayApi.as_view(), name="invoice_pay"),
    path(f"{P}in-transit/", views.InTransitApi.as_view(), name="in_transit"),
    path(f"{P}suggestions/", views.SuggestionListApi.as_view(), name="suggestions"),
    path(
        f"{P}suggestions/orders/",
        views.SuggestionOrdersApi.as_view(),
        name="suggestion_orders",
    ),
]
