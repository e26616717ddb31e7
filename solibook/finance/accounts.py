"""The fixed chart of accounts. Ledger lines name one of these codes.

Debits are positive, credits negative (see `finance.ledger`). Assets and
expenses normally carry a debit (positive) balance; liabilities, revenue and
equity a credit (negative) balance. Reports flip the sign of credit-natured
accounts to show them as positive amounts.

Per business:
- money it holds: `cash`, `card` (card terminal, settled by the acquirer),
  `online` (captured through the payment provider), `bank`;
- what it owes: `deposits_held` (captured online payments not yet applied to
  a visit: deposits, prepayments), `client_credit` (per client, see the
  `client` dimension), `gift_cards_outstanding`, `packages_outstanding`
  (prepaid visits), `tips_payable` (per master), `taxes_payable`,
  `staff_pay_payable`, `payables` (suppliers);
- what it earns: `revenue:<category slug>` (services, per catalogue
  category), `retail_revenue`, `fee_revenue` (late-cancellation and no-show
  fees), `membership_revenue`, `gift_card_breakage` (expired balances);
  `refunds` is a contra-revenue account (debit);
- what it spends: `expenses:<category>`, `platform_fees` (what the salon pays
  the platform), `loyalty_points` (the cost of points redeemed);
- stock (the inventory app's): `inventory` (asset: products on the shelf at
  their weighted-average cost), `cost_of_goods_sold` (retail products sold),
  `materials_used` (professional products used in services), `stock_losses`
  (write-offs and stock-take differences; a surplus is a credit);
- `wallet_credit`: a client's wallet (liability, the loyalty app's);
  `equity` for opening balances.

Platform's own books (`business=None`): `commission_income`, `subscriptions`,
`promotion`, `sms_income` (revenue), `credits_granted` (credits given to
salons: referral credit, goodwill; carries a debit), `platform_bank` (asset),
`receivables` (asset: what salons owe the platform, debited when an invoice
is issued), `taxes_payable` (the VAT on the platform's invoices).
"""

import re

from django.utils.translation import gettext as _

CASH = "cash"
CARD = "card"
ONLINE = "online"
BANK = "bank"
DEPOSITS_HELD = "deposits_held"
CLIENT_CREDIT = "client_credit"
GIFT_CARDS_OUTSTANDING = "gift_cards_outstanding"
PACKAGES_OUTSTANDING = "packages_outstanding"
TIPS_PAYABLE = "tips_payable"
TAXES_PAYABLE = "taxes_payable"
STAFF_PAY_PAYABLE = "staff_pay_payable"
PAYABLES = "payables"
RETAIL_REVENUE = "retail_revenue"
FEE_REVENUE = "fee_revenue"
MEMBERSHIP_REVENUE = "membership_revenue"
GIFT_CARD_BREAKAGE = "gift_card_breakage"
REFUNDS = "refunds"
PLATFORM_FEES = "platform_fees"
LOYALTY_POINTS = "loyalty_points"
WALLET_CREDIT = "wallet_credit"
EQUITY = "equity"
INVENTORY = "inventory"
COST_OF_GOODS_SOLD = "cost_of_goods_sold"
MATERIALS_USED = "materials_used"
STOCK_LOSSES = "stock_losses"
# What the platform owes the salon for visits paid with a company's wellness budget.
WELLNESS_RECEIVABLE = "wellness_receivable"
REVENUE_PREFIX = "revenue:"
EXPENSES_PREFIX = "expenses:"

# Platform's books.
COMMISSION_INCOME = "commission_income"
SUBSCRIPTIONS = "subscriptions"
PROMOTION = "promotion"
SMS_INCOME = "sms_income"
CREDITS_GRANTED = "credits_granted"
PLATFORM_BANK = "platform_bank"
RECEIVABLES = "receivables"
# Corporate wellness: budgets spent at salons not yet invoiced to the companies, and
# what the platform owes the salons for them until it settles.
WELLNESS_UNBILLED = "wellness_unbilled"
WELLNESS_PAYABLE = "wellness_payable"

ASSET, LIABILITY, EQUITY_NATURE, REVENUE, EXPENSE = (
    "asset",
    "liability",
    "equity",
    "revenue",
    "expense",
)

BUSINESS_ACCOUNTS: dict[str, str] = {
    CASH: ASSET,
    CARD: ASSET,
    ONLINE: ASSET,
    BANK: ASSET,
    DEPOSITS_HELD: LIABILITY,
    CLIENT_CREDIT: LIABILITY,
    GIFT_CARDS_OUTSTANDING: LIABILITY,
    PACKAGES_OUTSTANDING: LIABILITY,
    TIPS_PAYABLE: LIABILITY,
    TAXES_PAYABLE: LIABILITY,
    STAFF_PAY_PAYABLE: LIABILITY,
    PAYABLES: LIABILITY,
    WALLET_CREDIT: LIABILITY,
    RETAIL_REVENUE: REVENUE,
    FEE_REVENUE: REVENUE,
    MEMBERSHIP_REVENUE: REVENUE,
    GIFT_CARD_BREAKAGE: REVENUE,
    REFUNDS: REVENUE,  # contra-revenue: carries a debit
    PLATFORM_FEES: EXPENSE,
    LOYALTY_POINTS: EXPENSE,
    EQUITY: EQUITY_NATURE,
    INVENTORY: ASSET,
    COST_OF_GOODS_SOLD: EXPENSE,
    MATERIALS_USED: EXPENSE,
    STOCK_LOSSES: EXPENSE,
    WELLNESS_RECEIVABLE: ASSET,
}
PLATFORM_ACCOUNTS: dict[str, str] = {
    COMMISSION_INCOME: REVENUE,
    SUBSCRIPTIONS: REVENUE,
    PROMOTION: REVENUE,
    SMS_INCOME: REVENUE,
    CREDITS_GRANTED: EXPENSE,
    PLATFORM_BANK: ASSET,
    RECEIVABLES: ASSET,
    TAXES_PAYABLE: LIABILITY,
    EQUITY: EQUITY_NATURE,
    WELLNESS_UNBILLED: ASSET,
    WELLNESS_PAYABLE: LIABILITY,
}
MONEY_ACCOUNTS = (CASH, CARD, ONLINE, BANK)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def revenue(category_slug: str) -> str:
    return f"{REVENUE_PREFIX}{category_slug}"


def expenses(category: str) -> str:
    return f"{EXPENSES_PREFIX}{category}"


def nature(code: str, *, platform: bool = False) -> str | None:
    """asset / liability / equity / revenue / expense, or None for an unknown code."""
    chart = PLATFORM_ACCOUNTS if platform else BUSINESS_ACCOUNTS
    if code in chart:
        return chart[code]
    if platform:
        return None
    for prefix, kind in ((REVENUE_PREFIX, REVENUE), (EXPENSES_PREFIX, EXPENSE)):
        if code.startswith(prefix) and _SLUG.match(code[len(prefix) :]):
            return kind
    return None


def is_valid(code: str, *, platform: bool = False) -> bool:
    return nature(code, platform=platform) is not None


def is_credit_natured(code: str, *, platform: bool = False) -> bool:
    return (
        nature(code, platform=platform) in (LIABILITY, REVENUE, EQUITY_NATURE) and code != REFUNDS
    )


def fixed_labels() -> dict[str, str]:
    """What people read for each fixed account, in the active language (never the code)."""
    return {
        CASH: _("Cash"),
        CARD: _("Card"),
        ONLINE: _("Online payments"),
        BANK: _("Bank"),
        DEPOSITS_HELD: _("Deposits held"),
        CLIENT_CREDIT: _("Client credit"),
        GIFT_CARDS_OUTSTANDING: _("Gift cards not yet spent"),
        PACKAGES_OUTSTANDING: _("Prepaid packages not yet used"),
        TIPS_PAYABLE: _("Tips owed to staff"),
        TAXES_PAYABLE: _("Taxes owed"),
        STAFF_PAY_PAYABLE: _("Staff pay owed"),
        PAYABLES: _("Owed to suppliers"),
        RETAIL_REVENUE: _("Retail products"),
        FEE_REVENUE: _("Cancellation and no-show fees"),
        MEMBERSHIP_REVENUE: _("Memberships"),
        GIFT_CARD_BREAKAGE: _("Expired gift cards"),
        REFUNDS: _("Refunds"),
        PLATFORM_FEES: _("Platform fees"),
        LOYALTY_POINTS: _("Loyalty rewards"),
        WALLET_CREDIT: _("Wallet credit"),
        EQUITY: _("Opening balances"),
        INVENTORY: _("Stock of products"),
        COST_OF_GOODS_SOLD: _("Cost of retail products sold"),
        MATERIALS_USED: _("Materials used in services"),
        STOCK_LOSSES: _("Stock losses and count differences"),
        COMMISSION_INCOME: _("Commission income"),
        SUBSCRIPTIONS: _("Subscriptions"),
        PROMOTION: _("Promotion"),
        SMS_INCOME: _("SMS sold to salons"),
        CREDITS_GRANTED: _("Credits given to salons"),
        PLATFORM_BANK: _("Platform bank"),
        RECEIVABLES: _("Owed by salons"),
        WELLNESS_RECEIVABLE: _("Owed by the platform for wellness budgets"),
        WELLNESS_UNBILLED: _("Wellness budgets spent, not yet invoiced"),
        WELLNESS_PAYABLE: _("Owed to salons for wellness budgets"),
    }
