"""Shapes of the operator console's API."""

from rest_framework import serializers

from solibook.api.fields import IdField


class PlatformHealthOut(serializers.Serializer):
    bookings = serializers.IntegerField(help_text="Visits booked in the last 30 days")
    cancellations = serializers.IntegerField(help_text="Visits cancelled in the last 30 days")
    cancellation_rate = serializers.IntegerField(help_text="Percent")
    complaints = serializers.IntegerField(help_text="Reviews of 1 or 2 stars, last 90 days")


class PlatformSalonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    country = serializers.CharField()
    currency = serializers.CharField()
    city = serializers.CharField(default="")
    approval_status = serializers.CharField()
    approval_label = serializers.CharField(source="get_approval_status_display")
    approval_note = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    is_listed = serializers.BooleanField()
    plan = serializers.CharField(source="plan_label", default="")
    health = PlatformHealthOut()


class PlatformRejectIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, trim_whitespace=True)


class PlatformFiguresMonthOut(serializers.Serializer):
    month = serializers.DateField()
    bookings = serializers.IntegerField()
    marketplace_bookings = serializers.IntegerField()
    gross = serializers.IntegerField(help_text="Completed visits' value, minor units")
    platform_revenue = serializers.IntegerField(help_text="Commission and promotion, minor units")
    take_rate = serializers.FloatField(help_text="Percent")
    salons_joined = serializers.IntegerField()
    salons_lost = serializers.IntegerField()


class PlatformFiguresOut(serializers.Serializer):
    currency = serializers.CharField()
    mrr = serializers.IntegerField(help_text="Monthly recurring revenue, minor units")
    paying_salons = serializers.IntegerField()
    take_rate = serializers.FloatField(help_text="Over the whole period, percent")
    months = PlatformFiguresMonthOut(many=True)


class PlatformInvoiceOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    currency = serializers.CharField()
    net_total = serializers.IntegerField(help_text="Minor units")
    tax_total = serializers.IntegerField(help_text="Minor units")
    total = serializers.IntegerField(help_text="Minor units")


class SupportEventOut(serializers.Serializer):
    action = serializers.CharField(
        help_text="platform.support_access_request, platform.impersonation_start, "
        "platform.impersonated_request or platform.impersonation_stop"
    )
    at = serializers.DateTimeField(source="created_at")
    by = serializers.CharField(source="actor.email", default="")
    reason = serializers.CharField(source="data.reason", default="")
    method = serializers.CharField(source="data.method", default="")
    path = serializers.CharField(source="data.path", default="")


class SupportAccessOut(serializers.Serializer):
    until = serializers.DateTimeField(allow_null=True, help_text="Support may enter until then")
    open = serializers.BooleanField()
    requests = SupportEventOut(many=True, help_text="What support asked, latest first")
    visits = SupportEventOut(many=True, help_text="Support's visits and reads, latest first")


class SupportAccessIn(serializers.Serializer):
    hours = serializers.IntegerField(help_text="0 to 72; 0 withdraws the consent at once")


class SupportRequestIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, trim_whitespace=True)


class SupportVisitOut(serializers.Serializer):
    business_id = serializers.IntegerField()
    until = serializers.DateTimeField(
        allow_null=True, help_text="The consent's end: reads stop then"
    )
    open = serializers.BooleanField()


class ConsoleInvoiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    salon = serializers.CharField(source="business.name")
    kind = serializers.CharField(help_text="invoice or credit_note")
    number = serializers.CharField()
    status = serializers.CharField()
    period_start = serializers.DateField()
    issued_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    currency = serializers.CharField()
    net_total = serializers.IntegerField(help_text="Minor units")
    tax_total = serializers.IntegerField(help_text="Minor units")
    total = serializers.IntegerField(help_text="Minor units")
    amount_due = serializers.IntegerField(help_text="Still to pay, credit notes deducted")


class ConsoleCreditIn(serializers.Serializer):
    business_id = IdField()
    amount = serializers.IntegerField(help_text="Minor units, positive")
    description = serializers.CharField(max_length=300)


class ConsoleCreditOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="Minor units; negative: a credit")
    currency = serializers.CharField()
    description = serializers.CharField()


class ConsolePromotionOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    salon = serializers.CharField(source="business.name")
    city_slug = serializers.CharField()
    category = serializers.CharField(source="category.slug", default="")
    mode = serializers.CharField(help_text="per_client or daily_budget")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    price_amount = serializers.IntegerField()
    daily_budget = serializers.IntegerField()
    currency = serializers.CharField(source="money")
    is_active = serializers.BooleanField()
    current = serializers.BooleanField(help_text="Running today")
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    bookings = serializers.IntegerField()
    spend = serializers.IntegerField(help_text="Minor units")
