"""Purchasing: what a salon buys from its suppliers and how it arrives.

- `SupplierProfile`: what purchasing needs of an `accounting.Supplier` beyond
  its name and e-mail (the language its orders are written in).
- `SupplierProduct`: a supplier's offer of a product in a pack (a 1,000 ml
  bottle): the pack's size in the product's stock unit, its price per pack
  (minor units, before VAT) and the lead time in days.
- `PurchaseOrder` and its lines: draft → sent → partly received → received
  (or cancelled). Lines are counted in whole packs.
- `Receipt` and its lines: one delivery. Each line wrote one inventory
  movement of kind receipt; the receipt posted the ledger.
- `SupplierInvoice`: the supplier's bill for what was received on account,
  paid later (which clears `payables`).

Quantities in stock units are Decimals with three places (the inventory
app's unit); money is integer minor units of the business's currency.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class PaidFrom(models.TextChoices):
    """Where a delivery or a supplier's invoice is paid from: `on_account` owes
    the supplier (`payables`), the others are the ledger's money accounts."""

    ON_ACCOUNT = "on_account", _("On account (pay the invoice later)")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    BANK = "bank", _("Bank transfer")


class SupplierProfile(TenantModel):
    supplier = models.OneToOneField(
        "accounting.Supplier", on_delete=models.CASCADE, related_name="purchasing_profile"
    )
    language = models.CharField(
        _("language of orders"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    def __str__(self) -> str:
        return f"{self.supplier} ({self.language})"


class SupplierProduct(TenantModel):
    supplier = models.ForeignKey(
        "accounting.Supplier", on_delete=models.PROTECT, related_name="offers"
    )
    product = models.ForeignKey(
        "finance.Product", on_delete=models.PROTECT, related_name="supplier_offers"
    )
    supplier_sku = models.CharField(_("supplier's reference"), max_length=64, blank=True)
    pack_name = models.CharField(_("pack"), max_length=100)
    pack_size = models.DecimalField(
        _("pack size (stock units)"),
        validators=[MinValueValidator(Decimal("0.001"))],
        max_digits=14,
        decimal_places=3,
    )
    price_amount = models.PositiveBigIntegerField(_("price per pack"))
    currency = models.CharField(max_length=3)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=3)
    is_preferred = models.BooleanField(_("preferred offer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product__name", "-is_preferred", "price_amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "product", "pack_size"],
                condition=models.Q(is_active=True),
                name="purchasing_offer_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.display_name} · {self.pack_name}"


class PurchaseOrder(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        PARTLY_RECEIVED = "partly_received", _("Partly received")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.PositiveIntegerField()
    supplier = models.ForeignKey(
        "accounting.Supplier", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=8, default="en")
    note = models.TextField(_("note to the supplier"), blank=True)
    sent_to = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="purchasing_po_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"PO-{self.number:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.PARTLY_RECEIVED)


class PurchaseOrderLine(TenantModel):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(SupplierProduct, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("finance.Product", on_delete=models.PROTECT, related_name="+")
    pack_name = models.CharField(max_length=100)
    pack_size = models.DecimalField(max_digits=14, decimal_places=3)
    packs = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    price_amount = models.PositiveBigIntegerField()  # per pack, copied from the offer
    received_packs = models.PositiveIntegerField(default=0)  # the sum of its receipt lines

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "offer"], name="purchasing_line_offer"),
            models.CheckConstraint(
                condition=models.Q(received_packs__lte=models.F("packs")),
                name="purchasing_line_not_over_received",
            ),
        ]

    @property
    def amount(self) -> int:
        return self.packs * self.price_amount

    @property
    def outstanding_packs(self) -> int:
        return max(self.packs - self.received_packs, 0)


class Receipt(TenantModel):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    received_at = models.DateTimeField()
    paid_from = models.CharField(max_length=20, choices=PaidFrom.choices)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    note = models.CharField(max_length=300, blank=True)
    ledger_transaction = models.ForeignKey(
        "finance.LedgerTransaction", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]


class ReceiptLine(TenantModel):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    packs = models.PositiveIntegerField()
    quantity = models.DecimalField(
        max_digits=14, decimal_places=3
    )  # stock units: packs × pack size
    amount = models.PositiveBigIntegerField()  # packs × price per pack
    movement_id = models.PositiveBigIntegerField(null=True)  # inventory.StockMovement

    class Meta:
        ordering = ["id"]


class SupplierInvoice(TenantModel):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="invoices")
    supplier = models.ForeignKey("accounting.Supplier", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("invoice number"), max_length=64)
    issued_on = models.DateField(_("date"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = models.CharField(max_length=3)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_from = models.CharField(max_length=20, choices=PaidFrom.choices, blank=True)
    payment_transaction = models.ForeignKey(
        "finance.LedgerTransaction", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "supplier", "number"], name="purchasing_invoice_number"
            )
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None
