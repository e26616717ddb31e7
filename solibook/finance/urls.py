from django.urls import path

from solibook.finance.views import giftcards, office, public

app_name = "finance"

B = "office/<slug:business_slug>/finance/"

urlpatterns = [
    # The test-mode provider's card pages (no real money; off without test mode).
    path("pay/test/<str:intent_id>/", public.testmode_pay, name="testmode_pay"),
    path("pay/test/<str:intent_id>/3ds/", public.testmode_challenge, name="testmode_challenge"),
    path(B, office.home, name="home"),
    path(f"{B}checkout/", office.checkout_new, name="checkout"),
    path(f"{B}checkouts/<id:checkout_id>/", office.checkout_detail, name="checkout_detail"),
    path(f"{B}checkouts/<id:checkout_id>/refund/", office.checkout_refund, name="checkout_refund"),
    path(f"{B}checkouts/<id:checkout_id>/receipt/", office.receipt, name="receipt"),
    path(f"{B}checkouts/<id:checkout_id>/receipt.pdf", office.receipt_pdf_view, name="receipt_pdf"),
    path(f"{B}payments/", office.payment_list, name="payments"),
    path(f"{B}payments/<id:payment_id>/capture/", office.payment_capture, name="payment_capture"),
    path(f"{B}payments/<id:payment_id>/release/", office.payment_release, name="payment_release"),
    path(f"{B}appointments/<id:appointment_id>/deposit/", office.desk_deposit, name="desk_deposit"),
    path(f"{B}gift-cards/", giftcards.gift_cards, name="gift_cards"),
    path(f"{B}gift-cards/<id:gift_card_id>/", giftcards.gift_card_code, name="gift_card_code"),
    path(
        f"{B}gift-cards/<id:gift_card_id>/card.pdf",
        giftcards.gift_card_pdf_view,
        name="gift_card_pdf",
    ),
    path(f"{B}gift-cards/<id:gift_card_id>/send/", giftcards.gift_card_send, name="gift_card_send"),
    path(
        f"{B}gift-cards/<id:gift_card_id>/reissue/",
        giftcards.gift_card_reissue,
        name="gift_card_reissue",
    ),
    # The holder's balance by code (public, rate-limited).
    path("gift-card/", giftcards.gift_card_balance, name="gift_card_balance"),
    path(f"{B}catalogue/", office.catalogue, name="catalogue"),
    *[
        path(
            f"{B}catalogue/{kind}/",
            office.catalogue_add,
            {"kind": kind},
            name=f"catalogue_add_{kind}",
        )
        for kind in ("product", "package", "membership_plan", "membership")
    ],
    path(
        f"{B}memberships/<id:membership_id>/cancel/",
        office.membership_cancel,
        name="membership_cancel",
    ),
    path(f"{B}settings/", office.settings_page, name="settings"),
]
