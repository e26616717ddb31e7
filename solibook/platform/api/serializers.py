"""Shapes of the operator console's API."""

from rest_framework import serializers


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
