"""Money: the ledger, checkouts, payments, refunds, gift cards, packages, memberships.

The ledger (`LedgerTransaction`, `LedgerEntry`) is append-only and written
only by `finance.ledger.post` / `reverse`; on PostgreSQL triggers refuse
UPDATE and DELETE on its tables and a deferred constraint trigger refuses a
transaction whose entries do not sum to zero per currency (migration 0002).
Every other row here is the business record the ledger lines point to
(`reference`), never a second source of balances — except the gift card's
`balance`, a counter changed only by conditional `F()` updates under a CHECK
constraint so that a card spent twice at once cannot go negative.
"""

from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from solibook.core.tenancy import TenantModel


class AppendOnly(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Ledger rows are append-only: post a reversal instead.")

    def delete(self):
        raise AppendOnly("Ledger rows are append-only: post a reversal instead.")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Ledger rows are append-only: post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Ledger rows are append-only: post a reversal instead.")


class LedgerTransaction(AppendOnlyModel):
    """One balanced posting. `business` is None for the platform's own books."""

    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    memo = models.CharField(max_length=300)
    reference = models.CharField(max_length=120, blank=True, db_index=True)
    # Book-qualified ("<business id or platform>:<key>"): one posting per key.
    idempotency_key = models.CharField(max_length=240, null=True, blank=True, unique=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        business="business", _manager_class=models.Manager.from_queryset(AppendOnlyQuerySet)
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["business", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.memo}"


class LedgerEntry(AppendOnlyModel):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.CharField(max_length=80)
    amount = models.BigIntegerField()  # minor units; debit > 0, credit < 0
    currency = models.CharField(max_length=3)
    # Dimensions. No database constraint: deleting a master, a location or a
    # user must not be blocked by (or rewrite) the books.
    location = models.ForeignKey(
        "catalog.Location",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    master = models.ForeignKey(
        "catalog.Master",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The person's online account (`account` above is the ledger's account).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    occurred_at = models.DateTimeField()

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        business="business", _manager_class=models.Manager.from_queryset(AppendOnlyQuerySet)
    )

    class Meta:
        ordering = ["transaction_id", "id"]
        indexes = [
            models.Index(
                fields=["business", "account", "currency", "occurred_at"],
                name="ledger_entry_balance",
            ),
            models.Index(fields=["business", "occurred_at"], name="ledger_entry_period"),
            models.Index(
                fields=["business", "account", "user"],
                condition=Q(user__isnull=False),
                name="ledger_entry_user",
            ),
        ]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_nonzero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount} {self.currency}"


class FinanceSettings(TenantModel):
    """A business's money settings (one row, created with the business)."""

    class Provider(models.TextChoices):
        VENUE = "venue", _("Pay at the venue")
        STRIPE = "stripe", _("Stripe")
        TEST = "test", _("Test payments (no real money)")

    prices_include_tax = models.BooleanField(_("prices include tax"), default=True)
    vat_registered = models.BooleanField(_("charges VAT"), default=True)
    service_tax_rate = models.PositiveIntegerField(
        _("service tax rate (basis points)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10000)],
        help_text=_("Empty: the country's standard rate. 2000 = 20%."),
    )
    online_provider = models.CharField(
        _("online payments"), max_length=10, choices=Provider.choices, default=Provider.VENUE
    )
    stripe_account_id = models.CharField(_("Stripe connected account"), max_length=64, blank=True)
    receipt_footer = models.CharField(_("receipt footer"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="finance_settings_one_per_business")
        ]


class Product(TenantModel):
    """A product: sold at checkout (retail) or used in services (professional,
    back-bar). Its stock per location is `inventory`'s: movements, never a
    quantity here. `cost_price` is the weighted-average cost that inventory
    writes on every receipt (minor units per stock unit), never edited."""

    class Kind(models.TextChoices):
        RETAIL = "retail", _("Retail (sold to clients)")
        PROFESSIONAL = "professional", _("Professional (used in services)")

    class Unit(models.TextChoices):
        PIECE = "piece", _("pieces")
        ML = "ml", _("ml")
        G = "g", _("g")

    name = models.CharField(_("name"), max_length=200)
    # The same name as the salon writes it in the other languages (empty: `name`).
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RETAIL)
    stock_unit = models.CharField(
        _("stock unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE
    )
    barcode = models.CharField(_("barcode (EAN-13)"), max_length=13, blank=True)
    category = models.CharField(_("category"), max_length=80, blank=True)
    photo = models.ImageField(_("photo"), upload_to="products/", blank=True)
    price_amount = models.PositiveIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3)
    tax_rate = models.PositiveIntegerField(
        _("tax rate (basis points)"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    cost_price = models.DecimalField(
        _("average cost"), max_digits=18, decimal_places=4, default=0, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "barcode"],
                condition=~Q(barcode=""),
                name="product_barcode_unique_per_business",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language when the salon wrote one."""
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name


class Checkout(TenantModel):
    """A paid visit or sale: what was sold, discounted, taxed, tipped and how it was paid."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")

    number = models.CharField(max_length=40)
    location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkouts",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_name = models.CharField(max_length=150, blank=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPLETED)
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField()
    subtotal = models.BigIntegerField()  # lines before discount, as entered
    discount_total = models.BigIntegerField(default=0)
    discount_reason = models.CharField(max_length=200, blank=True)
    discount_source = models.CharField(max_length=20, blank=True)  # manual / membership / offer
    net_total = models.BigIntegerField()
    tax_total = models.BigIntegerField()
    tip_total = models.BigIntegerField(default=0)
    total = models.BigIntegerField()  # what the client pays
    refunded_total = models.BigIntegerField(default=0)
    ledger_transaction = models.ForeignKey(
        LedgerTransaction, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["business", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="checkout_number_unique"),
            # A visit is checked out once.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(appointment__isnull=False),
                name="checkout_once_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(refunded_total__lte=F("total")) & Q(refunded_total__gte=0),
                name="checkout_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CheckoutCounter(TenantModel):
    """The last receipt number a business gave in a year. A checkout takes the
    next one as its last step (`services.checkout._number`): the row stays
    locked until the checkout commits, so numbers are consecutive with no gap
    (a rolled-back checkout gives its number back), and only that last step of
    the business's checkouts waits for another's commit."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="checkout_counter_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CheckoutLine(TenantModel):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        PRODUCT = "product", _("Product")
        GIFT_CARD = "gift_card", _("Gift card")
        PACKAGE = "package", _("Package")

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.CharField(max_length=200)
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    master = models.ForeignKey(
        "catalog.Master", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.CharField(max_length=80)
    quantity = models.PositiveIntegerField(default=1)
    unit_amount = models.BigIntegerField()
    discount_amount = models.BigIntegerField(default=0)
    tax_rate = models.PositiveIntegerField()  # basis points
    net_amount = models.BigIntegerField()
    tax_amount = models.BigIntegerField()
    gross_amount = models.BigIntegerField()
    client_package = models.ForeignKey(
        "ClientPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Units given back by refunds by line (`services.refunds.refund_by_lines`).
    refunded_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["checkout_id", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=F("quantity")),
                name="checkout_line_refund_within_quantity",
            )
        ]


class CheckoutTip(TenantModel):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="tips")
    master = models.ForeignKey("catalog.Master", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    refunded_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="checkout_tip_refund_within_amount",
            )
        ]


class Payment(TenantModel):
    """Money received (or authorised) for a checkout, a deposit, a fee or a sale."""

    class Purpose(models.TextChoices):
        CHECKOUT = "checkout", _("Visit")
        DEPOSIT = "deposit", _("Deposit")
        FEE = "fee", _("Cancellation / no-show fee")
        MEMBERSHIP = "membership", _("Membership")
        BALANCE = "balance", _("Balance paid online")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        AUTHORIZED = "authorized", _("Authorised")
        CAPTURED = "captured", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    tender = models.CharField(
        max_length=24
    )  # cash, card, online, gift_card, client_credit, package, or a registered kind
    provider = models.CharField(max_length=12, blank=True)  # stripe, venue
    provider_ref = models.CharField(max_length=120, blank=True, db_index=True)  # PaymentIntent id
    client_secret = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=12, choices=State.choices)
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    amount_captured = models.BigIntegerField(default=0)
    amount_refunded = models.BigIntegerField(default=0)
    amount_applied = models.BigIntegerField(
        default=0
    )  # of a captured online payment, used at a checkout or as a fee
    currency = models.CharField(max_length=3)
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(
        default=dict, blank=True
    )  # gift card id, client package id, tender data
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_captured__lte=F("amount")), name="payment_capture_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=F("amount_captured")),
                name="payment_refund_within_captured",
            ),
            models.CheckConstraint(
                condition=Q(amount_applied__gte=0)
                & Q(amount_applied__lte=F("amount_captured") - F("amount_refunded")),
                name="payment_applied_within_kept",
            ),
        ]


class Refund(TenantModel):
    class Reason(models.TextChoices):
        CLIENT_REQUEST = "client_request", _("Client's request")
        SERVICE_ISSUE = "service_issue", _("Problem with the service")
        DUPLICATE = "duplicate", _("Charged twice")
        CANCELLED_BY_SALON = "cancelled_by_salon", _("Cancelled by the salon")
        GOODWILL = "goodwill", _("Goodwill gesture")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    to_client_credit = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices)
    provider_ref = models.CharField(max_length=120, blank=True)
    ledger_transaction = models.ForeignKey(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the refund is one tender's part of a refund by line.
    line_refund = models.ForeignKey(
        "LineRefund", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class LineRefund(TenantModel):
    """A checkout refunded line by line: the units and tips chosen, taken back
    from exactly those lines (their net and VAT), paid back over the checkout's
    tenders in a fixed order (one `Refund` per tender touched)."""

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="line_refunds")
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=20, choices=Refund.Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    ledger_transaction = models.ForeignKey(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class LineRefundItem(TenantModel):
    """One line's units (or one tip) in a refund by line."""

    line_refund = models.ForeignKey(LineRefund, on_delete=models.CASCADE, related_name="items")
    line = models.ForeignKey(
        CheckoutLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tip = models.ForeignKey(
        CheckoutTip, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(default=1)
    net_amount = models.BigIntegerField()
    tax_amount = models.BigIntegerField()
    gross_amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False) ^ Q(tip__isnull=False),
                name="line_refund_item_line_or_tip",
            )
        ]


class SavedPaymentMethod(TenantModel):
    """A client's card saved with the provider (on the salon's connected account)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.CharField(max_length=12)
    customer_ref = models.CharField(max_length=120)
    method_ref = models.CharField(max_length=120)
    brand = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "account", "provider"], name="saved_method_one_per_client"
            )
        ]


class ProviderEvent(models.Model):
    """A webhook event handled once (its id is unique)."""

    provider = models.CharField(max_length=12)
    event_id = models.CharField(max_length=120)
    kind = models.CharField(max_length=80)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class GiftCard(TenantModel):
    """A gift card. Its code is never stored: only its SHA-256 (`code_digest`,
    of the normalised code, 80 random bits so a plain hash is enough) and its
    last four characters for the lists. The full code exists once, when the
    card is issued (the sale page, its PDF and the message to the recipient);
    a lost code is reissued (`replaced_by`)."""

    # Set only on the object the issuing service returns, never stored (see above).
    code: str

    code_digest = models.CharField(max_length=64)
    code_last4 = models.CharField(max_length=4)
    initial_amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    balance = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    expires_at = models.DateTimeField()
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=150, blank=True)
    sold_in = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="gift_cards_sold"
    )
    expired = models.BooleanField(default=False)
    # Voided when reissued: its balance moved to `replaced_by`, which has a new code.
    voided_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code_digest"], name="gift_card_code_digest_unique"),
            models.CheckConstraint(
                condition=Q(balance__gte=0) & Q(balance__lte=F("initial_amount")),
                name="gift_card_balance_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        """The code as lists, receipts and the API show it: its last four only."""
        return f"••••-••••-••••-{self.code_last4}"


class GiftCardMovement(TenantModel):
    """The card's history: sold, redeemed (negative), refunded back, expired,
    reissued (moved off a voided card, then onto its replacement)."""

    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12)
    amount = models.BigIntegerField()
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()


class PackagePlan(TenantModel):
    """N visits of a service, sold ahead."""

    name = models.CharField(_("name"), max_length=200)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    visits = models.PositiveSmallIntegerField(
        _("visits"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    price_amount = models.PositiveIntegerField(_("price"))
    currency = models.CharField(max_length=3)
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class ClientPackage(TenantModel):
    plan = models.ForeignKey(PackagePlan, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    visits_total = models.PositiveSmallIntegerField()
    visits_used = models.PositiveSmallIntegerField(default=0)
    amount_paid = models.BigIntegerField()
    amount_used = models.BigIntegerField(default=0)  # revenue recognised so far
    currency = models.CharField(max_length=3)
    expires_at = models.DateTimeField()
    sold_in = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="packages_sold"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visits_used__lte=F("visits_total")), name="package_visits_within_total"
            ),
            models.CheckConstraint(
                condition=Q(amount_used__lte=F("amount_paid")), name="package_use_within_paid"
            ),
        ]

    def next_visit_value(self) -> int:
        """Each visit recognises an equal share; the last one takes the remainder."""
        left = self.visits_total - self.visits_used
        if left <= 0:
            return 0
        if left == 1:
            return self.amount_paid - self.amount_used
        return self.amount_paid // self.visits_total


class MembershipPlan(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    price_amount = models.PositiveIntegerField(_("monthly price"))
    currency = models.CharField(max_length=3)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount on services (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class ClientMembership(TenantModel):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Payment failed")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(MembershipPlan, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    tender = models.CharField(
        max_length=12
    )  # online (saved card, renewed automatically) or cash/card (renewed at the desk)
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    renewals = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["state", "current_period_end"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "account"],
                condition=Q(state__in=["active", "past_due"]),
                name="membership_one_open_per_plan",
            ),
        ]


class TestModeIntent(models.Model):
    """A payment intent of the test-mode provider (`payments.testmode`): what
    Stripe would keep on its side, kept here so every server process and
    worker sees the same intent. No business scope: like Stripe, the provider
    knows intents by id; the salon's `Payment` row points here."""

    __test__ = False  # not a pytest class, despite the name

    id = models.CharField(primary_key=True, max_length=40)
    account = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3)
    capture_manual = models.BooleanField(default=True)
    # requires_payment_method, requires_action, requires_capture, succeeded, canceled
    status = models.CharField(max_length=24, default="requires_payment_method")
    amount_capturable = models.BigIntegerField(default=0)
    amount_received = models.BigIntegerField(default=0)
    amount_refunded = models.BigIntegerField(default=0)
    customer = models.CharField(max_length=64, blank=True)
    payment_method = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=40, blank=True)  # a decline code
    metadata = models.JSONField(default=dict, blank=True)
    success_url = models.CharField(max_length=500, blank=True)
    cancel_url = models.CharField(max_length=500, blank=True)
    description = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    attempts = models.PositiveIntegerField(default=0)  # card submissions (one charge at most)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.id} {self.status}"


class TestModeRefund(models.Model):
    __test__ = False

    id = models.CharField(primary_key=True, max_length=40)
    intent = models.ForeignKey(TestModeIntent, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=200, unique=True)
    amount = models.BigIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.id} {self.amount}"
