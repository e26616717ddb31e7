"""Billing: what salons pay the platform.

A `Plan` (free, starter, pro) has a monthly price per currency, limits and a
commission rate. Each business has one `Subscription`. Everything a salon owes
or is credited between two invoices is a `Charge` (subscription, proration,
commission, promotion, SMS, credit), unique per (business, source), so whoever
records one may do so twice. The monthly `Invoice` gathers the uninvoiced
charges; its number comes from a per-series `InvoiceCounter` row locked in the
same transaction, so numbers have no gaps and are never reused (a regenerated
invoice voids the old one, which keeps its number, and takes a new one). A
charge reversed after it was invoiced gets a credit note (an `Invoice` of kind
`credit_note`, its own series), never an edited invoice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Plan(models.Model):
    """A platform-wide plan. Limits of None mean unlimited."""

    code = models.SlugField(max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    # {"EUR": 2900, "RUB": 290000}: minor units per month per currency.
    prices = models.JSONField(default=dict, blank=True)
    max_masters = models.PositiveIntegerField(null=True, blank=True)
    max_locations = models.PositiveIntegerField(null=True, blank=True)
    sms_credits_month = models.PositiveIntegerField(default=0)
    marketplace_listing = models.BooleanField(default=True)
    features = models.JSONField(default=list, blank=True)
    commission_rate_bp = models.PositiveIntegerField(default=0)  # 1500 = 15 %
    # {"<category slug>": basis points}: a category's rate wins over the plan's.
    commission_overrides = models.JSONField(default=dict, blank=True)
    trial_days = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        from solibook.billing.labels import plan_name

        return plan_name(self.code)

    def price_in(self, currency: str) -> int | None:
        value = self.prices.get((currency or "").upper())
        return int(value) if value is not None else None

    def commission_rate_bp_for(self, category) -> int:
        """The rate for a service of `category` (a catalog Category, its slug, or None);
        a child category without its own rate takes its parent's."""
        while category is not None:
            slug = category if isinstance(category, str) else category.slug
            if slug in self.commission_overrides:
                return int(self.commission_overrides[slug])
            category = None if isinstance(category, str) else category.parent
        return self.commission_rate_bp


class Subscription(TenantModel):
    class Status(models.TextChoices):
        TRIALING = "trialing", _("Trial")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    currency = models.CharField(max_length=3)
    started_at = models.DateTimeField()
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    # The month being billed in advance: the subscription's charge for it exists.
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="billing_one_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.business_id}:{self.plan_id}"


class ChargeKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    PRORATION = "proration", _("Plan change")
    COMMISSION = "commission", _("Commission")
    PROMOTION = "promotion", _("Promotion")
    SMS = "sms", _("SMS")
    CREDIT = "credit", _("Credit")


class Charge(TenantModel):
    """One amount owed (positive) or credited (negative), waiting for an invoice."""

    kind = models.CharField(max_length=12, choices=ChargeKind.choices)
    amount = models.BigIntegerField()  # minor units, net of VAT
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=300)
    source = models.CharField(max_length=120)  # the caller's idempotency key
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    invoice = models.ForeignKey(
        "Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="charges"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "source"], name="billing_charge_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class InvoiceCounter(models.Model):
    """The last number given in a series ("INV-2026", "CN-2026"); locked to take the next."""

    series = models.CharField(max_length=20, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}:{self.last_number}"


class Invoice(TenantModel):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        OPEN = "open", _("Unpaid")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")
        ISSUED = "issued", _("Issued")  # a credit note

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    series = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    credit_note_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    issued_at = models.DateTimeField()
    due_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=5, default="en")
    country = models.CharField(max_length=2, blank=True)
    vat_rate_bp = models.PositiveIntegerField(default=0)
    net_total = models.BigIntegerField(default=0)
    tax_total = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    checkout_id = models.CharField(max_length=200, blank=True)
    checkout_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="billing_number_once"),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(TenantModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=ChargeKind.choices)
    description = models.CharField(max_length=300)
    amount = models.BigIntegerField()  # net of VAT

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class InvoicePayment(TenantModel):
    class Method(models.TextChoices):
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=Method.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # An invoice is paid once (a second card return or a double click records nothing).
            models.UniqueConstraint(fields=["invoice"], name="billing_paid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}:{self.method}"


__all__ = [
    "Charge",
    "ChargeKind",
    "CompanyInvoice",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "InvoicePayment",
    "Plan",
    "Subscription",
]


class CompanyInvoice(models.Model):
    """The platform's invoice to a company outside the salons (corporate wellness: what
    its employees spent at salons in a month). Numbered gaplessly in its own series
    ("CO-2026") from the same locked `InvoiceCounter`; never edited once issued. Not a
    tenant's row: the customer is named by `customer_ref` ("company:<id>")."""

    class Status(models.TextChoices):
        OPEN = "open", _("Unpaid")
        PAID = "paid", _("Paid")

    customer_ref = models.CharField(max_length=60)
    customer_name = models.CharField(max_length=200)
    vat_number = models.CharField(max_length=40, blank=True)
    series = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    period_start = models.DateField()
    period_end = models.DateField()  # exclusive
    issued_at = models.DateTimeField()
    due_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=5, default="en")
    country = models.CharField(max_length=2, blank=True)
    lines = models.JSONField(default=list)  # [{"description": str, "amount": int}]
    total = models.BigIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="billing_company_number_once"
            ),
            models.UniqueConstraint(
                fields=["customer_ref", "period_start"], name="billing_company_period_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number
