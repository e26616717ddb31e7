"""Expenses, budgets and staff pay: the documents behind ledger transactions.

Rows here describe what happened (an invoice from a supplier, a budget, a
master's commission rule, a pay statement). The money itself lives only in
the finance ledger: each document keeps the id of the ledger transaction it
posted, reports read the ledger, never these rows' amounts. Amounts are
integer minor units with a currency; dates are local to the location.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel
from solibook.core.validators import validate_currency

ACCOUNT_CODE = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,39}$", _("Use lowercase letters, digits, dashes and underscores.")
)
FEC_ACCOUNT = RegexValidator(
    r"^[1-8][0-9]{2}[0-9A-Z]{0,17}$", _("A French chart-of-accounts number, e.g. 606300.")
)


class ExpenseCategory(TenantModel):
    """Rent, products, marketing…: `code` names the ledger account `expenses:<code>`."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40, validators=[ACCOUNT_CODE])
    fec_account = models.CharField(
        _("accounting account"),
        max_length=20,
        default="628000",
        validators=[FEC_ACCOUNT],
        help_text=_(
            "The French chart-of-accounts number used in the FEC export, e.g. 613200 for rent."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "code"], name="expense_category_code_unique"
            ),
            models.UniqueConstraint(
                fields=["business", "name"], name="expense_category_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def account(self) -> str:
        return f"expenses:{self.code}"


class Supplier(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(
        _("tax id"), max_length=64, blank=True, help_text=_("SIRET, INN, VAT number…")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="supplier_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PaidFrom(models.TextChoices):
    """Where the money for an expense or a pay statement came from: a ledger account."""

    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    BANK = "bank", _("Bank transfer")


def receipt_path(instance: "Expense", filename: str) -> str:
    # Not the uploaded name (it may be anything); the extension was validated.
    import uuid
    from pathlib import PurePath

    return f"receipts/{instance.business_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Expense(TenantModel):
    class Status(models.TextChoices):
        POSTED = "posted", _("Posted")
        VOIDED = "voided", _("Voided")

    location = models.ForeignKey(
        "catalog.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    category = models.ForeignKey(
        ExpenseCategory,
        on_delete=models.PROTECT,
        related_name="expenses",
        verbose_name=_("category"),
    )
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
        verbose_name=_("supplier"),
    )
    description = models.CharField(_("description"), max_length=300)
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In minor units (cents, kopecks, halalas).")
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    incurred_on = models.DateField(_("date"))
    paid_from = models.CharField(_("paid from"), max_length=10, choices=PaidFrom.choices)
    reference = models.CharField(_("invoice number"), max_length=64, blank=True)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.POSTED
    )
    void_reason = models.CharField(_("reason"), max_length=300, blank=True)
    ledger_transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)
    reversal_transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-incurred_on", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")
        ]
        indexes = [models.Index(fields=["business", "-incurred_on"])]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.description}"


class BudgetLine(TenantModel):
    """What the salon plans to spend on a category in a month, at a location or (no location) in total."""

    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.CASCADE, related_name="budget_lines"
    )
    location = models.ForeignKey(
        "catalog.Location", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.PositiveBigIntegerField(_("planned amount"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])

    class Meta:
        ordering = ["month", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "category", "location", "month"],
                condition=Q(location__isnull=False),
                name="budget_unique_per_location",
            ),
            models.UniqueConstraint(
                fields=["business", "category", "month"],
                condition=Q(location__isnull=True),
                name="budget_unique_business_wide",
            ),
        ]


class CommissionRule(TenantModel):
    """How a master is paid. Several rules combine (a percentage of services
    plus a percentage of products plus a fixed amount per period); a rule for
    one service beats the master's general rule of the same kind."""

    class Kind(models.TextChoices):
        SERVICE_PERCENT = "service_percent", _("Percentage of services")
        PRODUCT_PERCENT = "product_percent", _("Percentage of products")
        FIXED_PER_SERVICE = "fixed_per_service", _("Fixed amount per service performed")
        FIXED_PER_PERIOD = "fixed_per_period", _("Fixed amount per pay period")

    PERCENT_KINDS = (Kind.SERVICE_PERCENT, Kind.PRODUCT_PERCENT)

    master = models.ForeignKey(
        "catalog.Master",
        on_delete=models.CASCADE,
        related_name="commission_rules",
        verbose_name=_("master"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rate_bp = models.PositiveIntegerField(
        _("rate (basis points)"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("1 % = 100 basis points."),
    )
    amount = models.PositiveBigIntegerField(_("fixed amount"), default=0)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("only for service"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["master_id", "kind", "valid_from", "id"]
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_bp__lte=10000), name="commission_rate_max_100_percent"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="commission_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.master_id} {self.kind}"


class PayStatement(TenantModel):
    """A master's pay for a period, frozen when approved.

    Approving posts the accrual (staff pay expense and the master's tips
    moved from tips payable to wages payable); paying posts wages payable
    against cash or bank. Voiding an unpaid statement reverses the accrual.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        VOIDED = "voided", _("Voided")

    master = models.ForeignKey(
        "catalog.Master",
        on_delete=models.PROTECT,
        related_name="pay_statements",
        verbose_name=_("master"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Inclusive."))
    currency = models.CharField(max_length=3, validators=[validate_currency])
    services_base = models.BigIntegerField(default=0)
    products_base = models.BigIntegerField(default=0)
    service_commission = models.BigIntegerField(default=0)
    product_commission = models.BigIntegerField(default=0)
    fixed_amount = models.BigIntegerField(default=0)
    tips = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    paid_from = models.CharField(max_length=10, choices=PaidFrom.choices, blank=True)
    accrual_transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)
    payment_transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)
    reversal_transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "master_id"]
        verbose_name = _("pay statement")
        verbose_name_plural = _("pay statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="pay_statement_period_order",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0), name="pay_statement_total_not_negative"
            ),
            # Overlap is checked under the master's lock; this catches the exact duplicate.
            models.UniqueConstraint(
                fields=["master", "period_start", "period_end"],
                condition=~Q(status="voided"),
                name="pay_statement_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.master_id} {self.period_start}–{self.period_end}"


__all__ = [
    "BudgetLine",
    "CommissionRule",
    "Expense",
    "ExpenseCategory",
    "PaidFrom",
    "PayStatement",
    "Supplier",
]
