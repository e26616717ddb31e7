"""Input and output shapes of the compliance API (names prefixed: the schema
needs unique serializer names)."""

from rest_framework import serializers

from solibook.compliance.models import TaxSystem
from solibook.compliance.packages import PACKAGES


class ComplianceZatcaInvoiceOut(serializers.Serializer):
    checkout_id = serializers.IntegerField()
    refund_id = serializers.IntegerField(allow_null=True, help_text="Set on a credit note.")
    type_code = serializers.CharField(help_text="388 invoice, 381 credit note.")
    number = serializers.CharField(source="checkout.number")
    icv = serializers.IntegerField(help_text="Invoice counter value: gapless per salon.")
    uuid = serializers.UUIDField()
    previous_hash = serializers.CharField(help_text="PIH: base64 SHA-256 of the previous invoice.")
    invoice_hash = serializers.CharField(help_text="base64 SHA-256 of the canonical XML.")
    qr = serializers.CharField(help_text="The QR code's content: TLV, base64.")
    issued_at = serializers.DateTimeField()


class ComplianceZatcaStatusOut(serializers.Serializer):
    applies = serializers.BooleanField()
    vat_number = serializers.CharField()
    vat_number_valid = serializers.BooleanField()
    last_icv = serializers.IntegerField()
    last_hash = serializers.CharField()


class ComplianceFiscalSettingsOut(serializers.Serializer):
    enabled = serializers.BooleanField()
    sandbox = serializers.BooleanField()
    login = serializers.CharField()
    password_set = serializers.SerializerMethodField()
    group_code = serializers.CharField()
    inn = serializers.CharField()
    tax_system = serializers.CharField()
    payment_address = serializers.CharField()
    company_email = serializers.CharField()

    def get_password_set(self, obj) -> bool:
        return bool(obj.password)


class ComplianceFiscalSettingsIn(serializers.Serializer):
    enabled = serializers.BooleanField()
    sandbox = serializers.BooleanField(default=False)
    login = serializers.CharField(max_length=100, allow_blank=True, default="")
    password = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        write_only=True,
        help_text="Write-only; empty keeps the saved one.",
    )
    group_code = serializers.CharField(max_length=100, allow_blank=True, default="")
    inn = serializers.CharField(max_length=12, allow_blank=True, default="")
    tax_system = serializers.ChoiceField(choices=TaxSystem.choices)
    payment_address = serializers.CharField(max_length=256, allow_blank=True, default="")
    company_email = serializers.EmailField(allow_blank=True, default="")


class ComplianceFiscalReceiptOut(serializers.Serializer):
    id = serializers.IntegerField()
    checkout_id = serializers.IntegerField()
    refund_id = serializers.IntegerField(allow_null=True)
    operation = serializers.CharField()
    external_id = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Minor units.")
    fn_number = serializers.CharField()
    fd_number = serializers.CharField()
    fp = serializers.CharField()
    registered_at = serializers.CharField()
    error = serializers.CharField()


class CompliancePeriodQuery(serializers.Serializer):
    start = serializers.DateField(help_text="First local day, YYYY-MM-DD.")
    end = serializers.DateField(help_text="Last local day (inclusive).")


class ComplianceAccountCodesIn(serializers.Serializer):
    codes = serializers.DictField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        help_text="Ledger account → the package's account; empty: back to the default.",
    )


class ComplianceAccountCodeOut(serializers.Serializer):
    ledger_account = serializers.CharField()
    code = serializers.CharField()
    default = serializers.CharField()


class ComplianceReconciliationLineOut(serializers.Serializer):
    status = serializers.CharField(
        help_text="matched, amount_differs, missing_in_ledger or missing_at_provider."
    )
    kind = serializers.CharField()
    reference = serializers.CharField()
    provider_amount = serializers.IntegerField(allow_null=True)
    ledger_amount = serializers.IntegerField(allow_null=True)
    fee = serializers.IntegerField()
    payout = serializers.CharField()


class ComplianceReconciliationPayoutOut(serializers.Serializer):
    id = serializers.CharField()
    arrival = serializers.DateField()
    amount = serializers.IntegerField()
    status = serializers.CharField()


class ComplianceReconciliationOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    payouts = ComplianceReconciliationPayoutOut(many=True)
    lines = ComplianceReconciliationLineOut(many=True)


PACKAGE_CHOICES = list(PACKAGES)
