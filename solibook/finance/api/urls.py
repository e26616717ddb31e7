from django.urls import path

from solibook.finance.api import views as f

app_name = "finance_api"

B = "businesses/<id:business_id>/finance/"

urlpatterns = [
    path(f"{B}settings/", f.FinanceSettingsApi.as_view(), name="settings"),
    path(f"{B}checkouts/", f.CheckoutListApi.as_view(), name="checkouts"),
    path(f"{B}checkouts/quote/", f.CheckoutQuoteApi.as_view(), name="checkout_quote"),
    path(f"{B}checkouts/<id:checkout_id>/", f.CheckoutDetailApi.as_view(), name="checkout"),
    path(
        f"{B}checkouts/<id:checkout_id>/receipt/",
        f.CheckoutReceiptApi.as_view(),
        name="checkout_receipt",
    ),
    path(
        f"{B}checkouts/<id:checkout_id>/line-refunds/",
        f.CheckoutLineRefundApi.as_view(),
        name="checkout_line_refunds",
    ),
    path(f"{B}payments/", f.PaymentListApi.as_view(), name="payments"),
    path(
        f"{B}payments/<id:payment_id>/capture/",
        f.PaymentCaptureApi.as_view(),
        name="payment_capture",
    ),
    path(
        f"{B}payments/<id:payment_id>/release/",
        f.PaymentReleaseApi.as_view(),
        name="payment_release",
    ),
    path(f"{B}payments/<id:payment_id>/sync/", f.PaymentSyncApi.as_view(), name="payment_sync"),
    path(
        f"{B}payments/<id:payment_id>/refunds/",
        f.PaymentRefundApi.as_view(),
        name="payment_refund",
    ),
    path(f"{B}refunds/", f.RefundListApi.as_view(), name="refunds"),
    path(
        f"{B}appointments/<id:appointment_id>/deposit/",
        f.DeskDepositApi.as_view(),
        name="desk_deposit",
    ),
    path(f"{B}appointments/<id:appointment_id>/settle/", f.SettleApi.as_view(), name="settle"),
    path(f"{B}products/", f.ProductListApi.as_view(), name="products"),
    path(f"{B}package-plans/", f.PackagePlanListApi.as_view(), name="package_plans"),
    path(f"{B}client-packages/", f.ClientPackageListApi.as_view(), name="client_packages"),
    path(f"{B}membership-plans/", f.MembershipPlanListApi.as_view(), name="membership_plans"),
    path(f"{B}memberships/", f.MembershipListApi.as_view(), name="memberships"),
    path(
        f"{B}memberships/<id:membership_id>/cancel/",
        f.MembershipCancelApi.as_view(),
        name="membership_cancel",
    ),
    path(f"{B}gift-cards/", f.GiftCardListApi.as_view(), name="gift_cards"),
    path(f"{B}gift-cards/lookup/", f.GiftCardLookupApi.as_view(), name="gift_card_lookup"),
    path(
        f"{B}gift-cards/<id:gift_card_id>/reissue/",
        f.GiftCardReissueApi.as_view(),
        name="gift_card_reissue",
    ),
    path(
        f"{B}gift-cards/<id:gift_card_id>/send/", f.GiftCardSendApi.as_view(), name="gift_card_send"
    ),
    path(f"{B}ledger/balances/", f.LedgerBalancesApi.as_view(), name="ledger_balances"),
    path(
        f"{B}ledger/transactions/", f.LedgerTransactionListApi.as_view(), name="ledger_transactions"
    ),
    path(
        "appointments/<id:appointment_id>/deposit/",
        f.ClientDepositApi.as_view(),
        name="my_deposit",
    ),
    path("payments/stripe/webhook/", f.StripeWebhookApi.as_view(), name="stripe_webhook"),
]
