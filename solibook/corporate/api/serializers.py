"""Input and output shapes of the corporate wellness API (shape only)."""

from rest_framework import serializers

from solibook.billing.models import CompanyInvoice
from solibook.corporate.models import BudgetEntry, Company

AMOUNT = {"min_value": 0, "max_value": 10**9}


class CompanyIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    city = serializers.CharField(max_length=120)
    domains = serializers.ListField(child=serializers.CharField(max_length=253), max_length=20)
    monthly_budget = serializers.IntegerField(**AMOUNT)
    rollover_cap = serializers.IntegerField(default=0, **AMOUNT)
    allowed_categories = serializers.ListField(
        child=serializers.SlugField(max_length=80), max_length=50, default=list
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="EUR")  # one the platform takes
    country = serializers.RegexField(r"^[A-Z]{2}$", default="FR")
    language = serializers.RegexField(r"^(en|fr|ru|ar)$", default="fr")  # en, fr, ru or ar
    legal_name = serializers.CharField(max_length=200, default="", allow_blank=True)
    vat_number = serializers.CharField(max_length=40, default="", allow_blank=True)


class CompanyRulesIn(serializers.Serializer):
    monthly_budget = serializers.IntegerField(**AMOUNT)
    rollover_cap = serializers.IntegerField(**AMOUNT)
    allowed_categories = serializers.ListField(
        child=serializers.SlugField(max_length=80), max_length=50
    )


class CompanyOut(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "slug",
            "city",
            "country",
            "currency",
            "language",
            "domains",
            "monthly_budget",
            "rollover_cap",
            "allowed_categories",
            "is_active",
        ]


class CompanyAdminIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class WellnessInvitationIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    monthly_budget = serializers.IntegerField(required=False, allow_null=True, **AMOUNT)


class WellnessJoinIn(serializers.Serializer):
    token = serializers.CharField(max_length=100)


class WellnessEmployeeOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    status = serializers.CharField()
    balance = serializers.IntegerField()
    spent_this_month = serializers.IntegerField()


class WellnessUsageRowOut(serializers.Serializer):
    month = serializers.DateField()
    employee_email = serializers.EmailField()
    salon = serializers.CharField()
    amount = serializers.IntegerField()


class WellnessParticipationOut(serializers.Serializer):
    month = serializers.DateField()
    employees = serializers.IntegerField()
    spending = serializers.IntegerField()
    amount = serializers.IntegerField()


class WellnessUsageOut(serializers.Serializer):
    currency = serializers.CharField()
    rows = WellnessUsageRowOut(many=True)
    participation = WellnessParticipationOut(many=True)


class WellnessUsageQuery(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24, default=6)


class CompanyMonthIn(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$")


class CompanyInvoiceOut(serializers.ModelSerializer):
    class Meta:
        model = CompanyInvoice
        fields = [
            "id",
            "number",
            "status",
            "period_start",
            "period_end",
            "issued_at",
            "due_at",
            "currency",
            "total",
            "lines",
        ]


class BudgetEntryOut(serializers.ModelSerializer):
    salon = serializers.CharField(source="business.name", default="", allow_null=True)

    class Meta:
        model = BudgetEntry
        fields = ["id", "kind", "amount", "currency", "month", "salon", "created_at"]


class WellnessBudgetOut(serializers.Serializer):
    company = serializers.CharField()
    status = serializers.CharField()
    currency = serializers.CharField()
    balance = serializers.IntegerField()
    monthly_budget = serializers.IntegerField()
    history = BudgetEntryOut(many=True)


class WellnessPayIn(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**9)


class WellnessPaymentOut(serializers.Serializer):
    payment_id = serializers.IntegerField()
    amount = serializers.IntegerField()
    balance = serializers.IntegerField()
    left_to_pay = serializers.IntegerField()
