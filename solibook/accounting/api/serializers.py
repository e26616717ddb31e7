"""Accounting API shapes: expenses, categories, suppliers, budget, reports,
commission rules, pay statements.

Input serializers check shape only; amounts (integer minor units), currencies,
dates against policy and ownership are decided by `accounting.services`, which
name the offending field. Dates are local calendar dates (YYYY-MM-DD).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solibook.accounting.models import (
    BudgetLine,
    CommissionRule,
    Expense,
    ExpenseCategory,
    PaidFrom,
    PayStatement,
    Supplier,
)
from solibook.api.fields import IdField

AMOUNT = {"min_value": -(2**62), "max_value": 2**62, "help_text": "Integer minor units (cents)."}


# ---------------------------------------------------------------- categories and suppliers


class ExpenseCategoryOut(serializers.ModelSerializer):
    account = serializers.CharField(
        read_only=True, help_text="The ledger account, expenses:<code>."
    )

    class Meta:
        model = ExpenseCategory
        fields = ["id", "name", "code", "account", "fec_account", "is_active"]
        read_only_fields = fields


class ExpenseCategoryIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    code = serializers.CharField(
        max_length=40, help_text="Lowercase letters, digits, - and _; names the ledger account."
    )
    fec_account = serializers.CharField(max_length=20, required=False, default="628000")
    is_active = serializers.BooleanField(required=False, default=True)


class ExpenseCategoryPatchIn(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    fec_account = serializers.CharField(max_length=20, required=False)
    is_active = serializers.BooleanField(required=False)


class SupplierOut(serializers.ModelSerializer):
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")

    class Meta:
        model = Supplier
        fields = ["id", "name", "tax_id", "email", "phone", "notes", "is_active"]
        read_only_fields = fields


class SupplierIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    tax_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class SupplierPatchIn(SupplierIn):
    name = serializers.CharField(max_length=200, required=False)


# ---------------------------------------------------------------- expenses


class ExpenseOut(serializers.ModelSerializer):
    category = ExpenseCategoryOut(read_only=True)
    supplier_id = serializers.IntegerField(read_only=True, allow_null=True)
    location_id = serializers.IntegerField(read_only=True)
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = Expense
        fields = [
            "id",
            "location_id",
            "category",
            "supplier_id",
            "description",
            "amount",
            "currency",
            "incurred_on",
            "paid_from",
            "reference",
            "has_receipt",
            "status",
            "void_reason",
            "ledger_transaction_id",
            "reversal_transaction_id",
            "created_at",
            "voided_at",
        ]
        read_only_fields = fields

    def get_has_receipt(self, obj) -> bool:
        return bool(obj.receipt)


class ExpenseIn(serializers.Serializer):
    location_id = IdField()
    category_id = IdField()
    supplier_id = IdField(required=False, allow_null=True)
    description = serializers.CharField(max_length=300)
    amount = serializers.IntegerField(**AMOUNT)
    currency = serializers.CharField(max_length=3, min_length=3)
    incurred_on = serializers.DateField(help_text="The local date of the invoice or payment.")
    paid_from = serializers.ChoiceField(choices=PaidFrom.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    receipt = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A PDF or an image (JPEG, PNG, WebP), at most 10 MB; send the request as multipart/form-data.",
    )


class ExpenseQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    location_id = IdField(required=False)
    category_id = IdField(required=False)
    status = serializers.ChoiceField(choices=Expense.Status.choices, required=False)


class VoidIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# ---------------------------------------------------------------- reports and budget


class PeriodQuery(serializers.Serializer):
    start = serializers.DateField(help_text="First local day, YYYY-MM-DD.")
    end = serializers.DateField(help_text="Last local day (inclusive).")
    location_id = IdField(required=False, help_text="One location; all of them when absent.")

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(
                {"end": [_("The end date cannot be before the start date.")]}
            )
        if (attrs["end"] - attrs["start"]).days > 3 * 366:
            raise serializers.ValidationError({"end": [_("A report covers at most three years.")]})
        return attrs


class ReportRowOut(serializers.Serializer):
    account = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    by_month = serializers.ListField(child=serializers.IntegerField())


class ProfitAndLossOut(serializers.Serializer):
    currency = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    months = serializers.ListField(
        child=serializers.CharField(), help_text="YYYY-MM, local months."
    )
    revenue = ReportRowOut(many=True)
    expenses = ReportRowOut(many=True)
    revenue_total = serializers.IntegerField()
    expenses_total = serializers.IntegerField()
    net = serializers.IntegerField()


class CashFlowOut(serializers.Serializer):
    currency = serializers.CharField()
    months = serializers.ListField(child=serializers.CharField())
    opening = serializers.IntegerField()
    closing = serializers.IntegerField()
    inflow = serializers.ListField(child=serializers.IntegerField())
    outflow = serializers.ListField(child=serializers.IntegerField())
    by_account = ReportRowOut(many=True)


class BudgetRowOut(serializers.Serializer):
    category = ExpenseCategoryOut()
    planned = serializers.IntegerField()
    actual = serializers.IntegerField()
    difference = serializers.IntegerField()
    used_percent = serializers.IntegerField(allow_null=True)


class BudgetLineIn(serializers.Serializer):
    category_id = IdField()
    month = serializers.DateField(help_text="The first day of the month.")
    amount = serializers.IntegerField(**AMOUNT)
    currency = serializers.CharField(max_length=3, min_length=3)
    location_id = IdField(
        required=False, allow_null=True, help_text="Absent or null: the whole business."
    )


class BudgetLineOut(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "category_id", "location_id", "month", "amount", "currency"]
        read_only_fields = fields


# ---------------------------------------------------------------- staff pay


class CommissionRuleOut(serializers.ModelSerializer):
    master_id = serializers.IntegerField(read_only=True)
    service_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = CommissionRule
        fields = [
            "id",
            "master_id",
            "kind",
            "rate_bp",
            "amount",
            "currency",
            "service_id",
            "valid_from",
            "valid_until",
        ]
        read_only_fields = fields


class CommissionRuleIn(serializers.Serializer):
    master_id = IdField()
    kind = serializers.ChoiceField(choices=CommissionRule.Kind.choices)
    rate_bp = serializers.IntegerField(
        min_value=-(2**31),
        max_value=2**31,
        required=False,
        default=0,
        help_text="Basis points for a percentage: 4000 = 40 %.",
    )
    amount = serializers.IntegerField(required=False, default=0, **AMOUNT)
    currency = serializers.CharField(max_length=3, min_length=3, required=False)
    service_id = IdField(required=False, allow_null=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)


class RuleEndIn(serializers.Serializer):
    valid_until = serializers.DateField()


class PayPeriodIn(serializers.Serializer):
    master_id = IdField()
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Inclusive.")


class PayLineOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    reference = serializers.CharField()
    day = serializers.DateField()
    amount = serializers.IntegerField()
    commission = serializers.IntegerField()


class PayPreviewOut(serializers.Serializer):
    master_id = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    currency = serializers.CharField()
    services_base = serializers.IntegerField()
    products_base = serializers.IntegerField()
    service_commission = serializers.IntegerField()
    product_commission = serializers.IntegerField()
    fixed_amount = serializers.IntegerField()
    tips = serializers.IntegerField()
    total = serializers.IntegerField()
    lines = PayLineOut(many=True)


class PayStatementOut(serializers.ModelSerializer):
    master_id = serializers.IntegerField(read_only=True)
    # Empty until the statement is paid (the schema must allow "").
    paid_from = serializers.ChoiceField(choices=PaidFrom.choices, allow_blank=True, read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = PayStatement
        fields = [
            "id",
            "master_id",
            "period_start",
            "period_end",
            "currency",
            "services_base",
            "products_base",
            "service_commission",
            "product_commission",
            "fixed_amount",
            "tips",
            "total",
            "status",
            "paid_from",
            "paid_at",
            "accrual_transaction_id",
            "payment_transaction_id",
            "reversal_transaction_id",
            "created_at",
            "lines",
        ]
        read_only_fields = fields

    @extend_schema_field(PayLineOut(many=True))
    def get_lines(self, obj) -> list:
        return PayLineOut((obj.details or {}).get("lines", []), many=True).data


class PayIn(serializers.Serializer):
    paid_from = serializers.ChoiceField(choices=PaidFrom.choices)
