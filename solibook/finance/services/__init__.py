"""Every write of the finance app. Pages and API call these functions.

- `checkout`: quote and complete a visit's checkout (one transaction with its ledger lines).
- `online`: paying a deposit or the balance on a hosted payment page (the wizard, the account).
- `payments`: deposits (authorise, capture, release), fees under the accepted policy, webhooks.
- `refunds`: full or partial refunds of a payment with a reason; refunds by line of a checkout.
- `giftcards`: issue, check, spend, restore, expire.
- `plans`: products, package plans, memberships (start, renew, cancel).
"""

from solibook.finance.services.checkout import (
    DiscountIn,
    LineIn,
    TenderIn,
    TipIn,
    checkout_complete,
    checkout_quote,
)
from solibook.finance.services.common import finance_settings
from solibook.finance.services.giftcards import gift_card_lookup, gift_cards_expire
from solibook.finance.services.online import (
    Started,
    balance_checkout,
    online_checkout_return,
    online_checkout_start,
    online_payment_for,
)
from solibook.finance.services.payments import (
    appointment_settle,
    deposit_record_at_desk,
    deposit_start,
    deposits_expire,
    payment_capture,
    payment_release,
    payment_sync,
    webhook_receive,
)
from solibook.finance.services.plans import (
    membership_cancel,
    membership_plan_create,
    membership_renew,
    membership_start,
    memberships_renew_due,
    package_plan_create,
    product_create,
)
from solibook.finance.services.prepaid import (
    prepaid_left,
    prepayment_apply,
    prepayment_record,
)
from solibook.finance.services.refunds import (
    REFUND_ORDER,
    RefundLineIn,
    line_refundable,
    payment_refund,
    refund_by_lines,
    refund_create,
    refund_order_key,
)

__all__ = [
    "DiscountIn",
    "LineIn",
    "TenderIn",
    "Started",
    "TipIn",
    "appointment_settle",
    "balance_checkout",
    "checkout_complete",
    "checkout_quote",
    "deposit_record_at_desk",
    "deposit_start",
    "deposits_expire",
    "finance_settings",
    "gift_card_lookup",
    "gift_cards_expire",
    "membership_cancel",
    "membership_plan_create",
    "membership_renew",
    "membership_start",
    "online_checkout_return",
    "online_checkout_start",
    "online_payment_for",
    "memberships_renew_due",
    "package_plan_create",
    "payment_capture",
    "payment_refund",
    "payment_release",
    "payment_sync",
    "prepaid_left",
    "prepayment_apply",
    "prepayment_record",
    "product_create",
    "REFUND_ORDER",
    "RefundLineIn",
    "line_refundable",
    "refund_by_lines",
    "refund_order_key",
    "refund_create",
    "webhook_receive",
]
