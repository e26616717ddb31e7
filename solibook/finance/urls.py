from django.urls import path

from solibook.finance import views

app_name = "finance"

B = "<slug:business_slug>/finance/"

urlpatterns = [
    path(B, views.home, name="home"),
    path(f"{B}checkout/", views.checkout_new, name="checkout"),
    path(f"{B}checkouts/<int:checkout_id>/", views.checkout_detail, name="checkout_detail"),
    path(f"{B}checkouts/<int:checkout_id>/receipt/", views.receipt, name="receipt"),
    path(f"{B}checkouts/<int:checkout_id>/receipt.pdf", views.receipt_pdf_view, name="receipt_pdf"),
    path(f"{B}payments/", views.payment_list, name="payments"),
    path(f"{B}payments/<int:payment_id>/refund/", views.payment_refund, name="payment_refund"),
    path(f"{B}payments/<int:payment_id>/capture/", views.payment_capture, name="payment_capture"),
    path(f"{B}payments/<int:payment_id>/release/", views.payment_release, name="payment_release"),
    path(f"{B}appointments/<int:appointment_id>/deposit/", views.desk_deposit, name="desk_deposit"),
    path(f"{B}gift-cards/", views.gift_cards, name="gift_cards"),
    path(f"{B}catalogue/", views.catalogue, name="catalogue"),
    *[
        path(
            f"{B}catalogue/{kind}/",
            views.catalogue_add,
            {"kind": kind},
            name=f"catalogue_add_{kind}",
        )
        for kind in ("product", "package", "membership_plan", "membership")
    ],
    path(
        f"{B}memberships/<int:membership_id>/cancel/",
        views.membership_cancel,
        name="membership_cancel",
    ),
    path(f"{B}settings/", views.settings_page, name="settings"),
]
