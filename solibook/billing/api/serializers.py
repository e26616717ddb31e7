from rest_framework import serializers


class BillingPlanOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    price = serializers.IntegerField(
        allow_null=True, help_text="Minor units per month, net of VAT."
    )
    max_masters = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    max_locations = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    sms_credits_month = serializers.IntegerField()
    commission_rate_bp = serializers.IntegerField(help_text="Basis points: 1500 = 15 %.")
    features = serializers.ListField(child=serializers.CharField())


class BillingInvoiceOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    currency = serializers.CharField()
    net_total = serializers.IntegerField()
    tax_total = serializers.IntegerField()
    total = serializers.IntegerField()
    amount_due = serializers.IntegerField()


class BillingSmsOut(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month counted (UTC).")
    sent = serializers.IntegerField(help_text="SMS sent for the salon this month.")
    included = serializers.IntegerField(help_text="The plan's SMS credits a month.")
    left = serializers.IntegerField(help_text="Credits not used yet.")
    charged = serializers.IntegerField(help_text="SMS sent beyond the credits.")
    amount = serializers.IntegerField(help_text="What they cost, minor units net of VAT.")
    currency = serializers.CharField()


class BillingOut(serializers.Serializer):
    plan = BillingPlanOut()
    status = serializers.CharField(
        allow_blank=True, help_text="trialing, active, cancelled or empty."
    )
    trial_ends_at = serializers.DateTimeField(allow_null=True)
    currency = serializers.CharField()
    masters = serializers.IntegerField(help_text="Active masters now.")
    locations = serializers.IntegerField(help_text="Locations now.")
    sms = BillingSmsOut(help_text="This month's SMS against the plan's credits.")
    invoices = BillingInvoiceOut(many=True)


class BillingPlanIn(serializers.Serializer):
    plan = serializers.SlugField(max_length=20)


class BillingPayIn(serializers.Serializer):
    success_url = serializers.URLField(max_length=500)
    cancel_url = serializers.URLField(max_length=500)


class BillingPayOut(serializers.Serializer):
    url = serializers.URLField(help_text="The payment page to send the person to.")


class BillingMarkPaidIn(serializers.Serializer):
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
