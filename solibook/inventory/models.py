"""Stock per location as movements (issue #18).

The quantity on hand at a location is the sum of its `StockMovement` rows,
never a number edited in place. `StockBalance` is that sum kept beside the
movements (written in the same transaction as each movement, under the row's
lock), so reads of many products stay one indexed lookup; a test checks it
always equals the sum.

Quantities are `Decimal` with three places, in the product's stock unit
(pieces, ml, g). Costs are `Decimal` minor units per stock unit, four places
(a 1,000 ml bottle bought for 8.00 EUR costs 0.8 cents a ml).
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel

QTY: dict[str, Any] = {"max_digits": 14, "decimal_places": 3}
COST: dict[str, Any] = {"max_digits": 18, "decimal_places": 4}
ZERO = Decimal("0")


class Kind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SALE = "sale", _("Sale")
    RETURN = "return", _("Return")
    CONSUMPTION = "consumption", _("Used in a service")
    ADJUSTMENT = "adjustment", _("Adjustment")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    WRITE_OFF = "write_off", _("Write-off")


# The sign each kind's quantity must have (None: either).
SIGNS: dict[str, int | None] = {
    Kind.RECEIPT: 1,
    Kind.SALE: -1,
    Kind.RETURN: 1,
    Kind.CONSUMPTION: None,  # a visit un-completed gives its materials back
    Kind.ADJUSTMENT: None,
    Kind.TRANSFER_OUT: -1,
    Kind.TRANSFER_IN: 1,
    Kind.WRITE_OFF: -1,
}


class WriteOffReason(models.TextChoices):
    DAMAGED = "damaged", _("Damaged")
    EXPIRED = "expired", _("Expired")
    OTHER = "other", _("Other")


class StockTransfer(TenantModel):
    """Goods sent from one location to another: in transit until received."""

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("In transit")
        RECEIVED = "received", _("Received")

    from_location = models.ForeignKey(
        "catalog.Location", on_delete=models.PROTECT, related_name="+"
    )
    to_location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_TRANSIT)
    note = models.CharField(max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_location=models.F("to_location")),
                name="stock_transfer_two_locations",
            )
        ]


class StockMovement(TenantModel):
    """One change of stock of one product at one location (append-only)."""

    location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("finance.Product", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(**QTY)  # signed, in the product's stock unit
    # Receipts: the purchase cost; other kinds: the average cost when it moved.
    unit_cost = models.DecimalField(**COST, default=ZERO)
    # The product's weighted-average cost once this movement is counted.
    average_cost = models.DecimalField(**COST, default=ZERO)
    balance_after = models.DecimalField(**QTY)
    reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=120, blank=True, db_index=True)
    # Replays of the same fact (a task run twice) write nothing.
    key = models.CharField(max_length=160, null=True, blank=True)
    transfer = models.ForeignKey(
        StockTransfer, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["location", "product", "occurred_at"], name="stock_move_at"),
            models.Index(fields=["business", "occurred_at"], name="stock_move_period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "key"], condition=Q(key__isnull=False), name="stock_move_key"
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="stock_move_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of {self.product_id} at {self.location_id}"


class StockBalance(TenantModel):
    """The sum of a (product, location)'s movements, kept with each movement."""

    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("finance.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(**QTY, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_balance_unique")
        ]


class StockLevel(TenantModel):
    """The minimum quantity to keep of a product at a location (alerts, reorders)."""

    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("finance.Product", on_delete=models.CASCADE, related_name="+")
    minimum_quantity = models.DecimalField(_("minimum"), **QTY, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_level_unique"),
            models.CheckConstraint(
                condition=Q(minimum_quantity__gte=0), name="stock_level_not_negative"
            ),
        ]


class RecipeLine(TenantModel):
    """A service (or one of its variants) uses this much of a product. A
    variant with lines of its own uses those instead of the service's."""

    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        "catalog.ServiceVariant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey("finance.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)

    class Meta:
        ordering = ["service_id", "variant_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "variant", "product"],
                name="recipe_line_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="recipe_line_positive"),
        ]


class VisitUsage(TenantModel):
    """What the master actually used of a product in a visit, when it differs
    from the recipes (replaces the recipes' quantity of that product)."""

    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey("finance.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QTY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "product"], name="visit_usage_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="visit_usage_not_negative"),
        ]


class StockTake(TenantModel):
    """A count of a location's shelves; booking it writes the differences."""

    class Status(models.TextChoices):
        OPEN = "open", _("Counting")
        BOOKED = "booked", _("Booked")

    location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class StockTakeLine(TenantModel):
    stock_take = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("finance.Product", on_delete=models.PROTECT, related_name="+")
    counted = models.DecimalField(**QTY)
    # Written when the count is booked: what the books said, and the difference.
    expected = models.DecimalField(**QTY, null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counted_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stock_take", "product"], name="stock_take_line_unique"
            ),
            models.CheckConstraint(condition=Q(counted__gte=0), name="stock_take_counted_positive"),
        ]
