"""Local compliance: ZATCA's invoice chain (Saudi Arabia) and 54-FZ receipts (Russia).

- `ZatcaChain`: one row per Saudi business, the head of its invoice chain (the
  last invoice counter value and the hash of the last invoice). Issuing an
  invoice locks this row, so counters are gapless and never shared, however
  many tills sell at once.
- `ZatcaInvoice`: the simplified tax invoice of one checkout: its counter
  (ICV), UUID, the previous invoice's hash (PIH), its own hash, the QR text
  (TLV in base64) and the UBL 2.1 XML as issued (kept verbatim: the hash is
  of these bytes, and a later change of the salon's name must not alter it).
- `FiscalSettings`: a Russian salon's account at its fiscal data operator
  (ATOL Online): login, password (write-only), group code, INN, tax system.
- `FiscalReceipt`: one sale or refund sent to the operator. Its status moves
  only through conditional updates (`pending` → `sending` → `sent` → `done`,
  or `failed`), so a receipt is registered once whoever retries.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class ZatcaChain(TenantModel):
    last_icv = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="compliance_zatca_chain_one")
        ]


class ZatcaInvoice(TenantModel):
    """A simplified tax invoice (388) of a sale, or a credit note (381) of one of
    its refunds; both take their counter from the same chain."""

    class Type(models.TextChoices):
        INVOICE = "388", _("Invoice")
        CREDIT_NOTE = "381", _("Credit note")

    checkout = models.ForeignKey(
        "finance.Checkout", on_delete=models.PROTECT, related_name="zatca_invoices"
    )
    refund = models.OneToOneField(
        "finance.Refund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zatca_credit_note",
    )
    type_code = models.CharField(max_length=3, choices=Type.choices, default=Type.INVOICE)
    icv = models.PositiveBigIntegerField()
    uuid = models.UUIDField()
    previous_hash = models.CharField(max_length=100)
    invoice_hash = models.CharField(max_length=100)
    qr = models.TextField()
    xml = models.TextField()
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-icv"]
        constraints = [
            models.UniqueConstraint(fields=["business", "icv"], name="compliance_zatca_icv_unique"),
            models.UniqueConstraint(
                fields=["checkout"],
                condition=models.Q(refund__isnull=True),
                name="compliance_zatca_one_invoice_per_sale",
            ),
        ]


class TaxSystem(models.TextChoices):
    """ATOL's `sno` values (the tax systems of the 54-FZ receipt's tag 1055)."""

    OSN = "osn", _("General (OSN)")
    USN_INCOME = "usn_income", _("Simplified, on income")
    USN_INCOME_OUTCOME = "usn_income_outcome", _("Simplified, on income minus expenses")
    ESN = "esn", _("Unified agricultural tax")
    PATENT = "patent", _("Patent")


class FiscalSettings(TenantModel):
    enabled = models.BooleanField(_("send receipts"), default=False)
    sandbox = models.BooleanField(
        _("operator's test environment"),
        default=False,
        help_text=_("Receipts go to the operator's test environment and are not fiscal."),
    )
    login = models.CharField(_("login"), max_length=100, blank=True)
    password = models.CharField(max_length=200, blank=True)
    group_code = models.CharField(_("group code"), max_length=100, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    tax_system = models.CharField(
        _("tax system"), max_length=20, choices=TaxSystem.choices, default=TaxSystem.USN_INCOME
    )
    payment_address = models.CharField(
        _("place of settlement"),
        max_length=256,
        blank=True,
        help_text=_("The website or the salon's address printed on receipts."),
    )
    company_email = models.EmailField(_("e-mail on receipts"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="compliance_fiscal_settings_one")
        ]

    @property
    def password_hint(self) -> str:
        return "••••" if self.password else ""


class FiscalReceipt(TenantModel):
    class Operation(models.TextChoices):
        SELL = "sell", _("Sale")
        SELL_REFUND = "sell_refund", _("Refund")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Accepted, waiting for registration")
        DONE = "done", _("Registered")
        FAILED = "failed", _("Failed")

    checkout = models.ForeignKey(
        "finance.Checkout", on_delete=models.PROTECT, related_name="fiscal_receipts"
    )
    refund = models.OneToOneField(
        "finance.Refund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fiscal_receipt",
    )
    operation = models.CharField(max_length=12, choices=Operation.choices)
    # Our id at the operator: the operator refuses a second receipt with it.
    external_id = models.CharField(max_length=64, unique=True)
    body = models.JSONField()  # the receipt as sent, the same on every retry
    total = models.BigIntegerField()  # minor units
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    operator_uuid = models.CharField(max_length=64, blank=True)
    fn_number = models.CharField(max_length=32, blank=True)
    fd_number = models.CharField(max_length=32, blank=True)
    fp = models.CharField(max_length=32, blank=True)
    registered_at = models.CharField(max_length=32, blank=True)  # as the operator wrote it
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkout"],
                condition=models.Q(operation="sell"),
                name="compliance_fiscal_one_sale_per_checkout",
            )
        ]


class AccountCode(TenantModel):
    """The salon's own account in an accounting package for one ledger account
    (the package's default chart otherwise, see `packages.DEFAULTS`)."""

    package = models.CharField(max_length=20)
    ledger_account = models.CharField(max_length=80)
    code = models.CharField(max_length=100)

    class Meta:
        ordering = ["package", "ledger_account"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "package", "ledger_account"],
                name="compliance_account_code_unique",
            )
        ]
