"""The plans the platform sells: the seed of the `Plan` table and the fallback
when the table is empty (a test database flushed by another test)."""

DEFAULT_PLANS: dict[str, dict] = {
    "free": {
        "position": 0,
        "prices": {},
        "max_masters": 1,
        "max_locations": 1,
        "sms_credits_month": 0,
        "marketplace_listing": True,
        "features": [],
        "commission_rate_bp": 2000,
        "commission_overrides": {},
        "trial_days": 0,
    },
    "starter": {
        "position": 1,
        "prices": {
            "EUR": 2900,
            "GBP": 2500,
            "USD": 2900,
            "CHF": 2900,
            "RUB": 290000,
            "SAR": 11900,
            "AED": 11900,
            "MAD": 29000,
        },
        "max_masters": 5,
        "max_locations": 1,
        "sms_credits_month": 100,
        "marketplace_listing": True,
        "features": ["online_payments", "insights"],
        "commission_rate_bp": 1500,
        "commission_overrides": {},
        "trial_days": 14,
    },
    "pro": {
        "position": 2,
        "prices": {
            "EUR": 7900,
            "GBP": 6900,
            "USD": 7900,
            "CHF": 7900,
            "RUB": 790000,
            "SAR": 32900,
            "AED": 32900,
            "MAD": 79000,
        },
        "max_masters": None,
        "max_locations": 10,
        "sms_credits_month": 500,
        "marketplace_listing": True,
        "features": [
            "online_payments",
            "insights",
            "marketing",
            "custom_branding",
            "priority_support",
        ],
        "commission_rate_bp": 1000,
        "commission_overrides": {"massage": 800},
        "trial_days": 14,
    },
}
DEFAULT_PLAN = "free"

# What one SMS beyond a plan's monthly credits costs, in minor units per billing
# currency (settings.BILLING_SMS_PRICES overrides it).
SMS_PRICES: dict[str, int] = {
    "EUR": 8,
    "GBP": 7,
    "USD": 9,
    "CHF": 8,
    "RUB": 700,
    "SAR": 35,
    "AED": 35,
    "MAD": 90,
}
