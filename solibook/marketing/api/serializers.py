"""Marketing API shapes: shape only (the rules are in `marketing.services`)."""

from django.conf import settings
from rest_framework import serializers

from solibook.api.fields import IdField, WallClockField
from solibook.marketing.models import CHANNELS, Campaign, JourneyKind

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class CampaignTemplateIn(serializers.Serializer):
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000, allow_blank=True)


class CampaignIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    audience = serializers.ChoiceField(choices=Campaign.Audience.choices, default="segment")
    segment_id = IdField(required=False, allow_null=True, default=None)
    rfm_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), min_length=1, max_length=4
    )
    offer = serializers.ChoiceField(
        choices=[("", "none"), ("code", "code"), ("service", "service")],
        required=False,
        allow_blank=True,
        default="",
        help_text="code: a code of each recipient's own off the visit; service: off one service.",
    )
    service_id = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The service a `service` offer discounts (one of the salon's).",
    )
    discount_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )
    offer_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    holdout_percent = serializers.IntegerField(
        min_value=0, max_value=50, required=False, allow_null=True, default=None
    )
    window_days = serializers.IntegerField(
        min_value=1, max_value=90, required=False, allow_null=True, default=None
    )
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    templates = serializers.DictField(
        child=CampaignTemplateIn(), help_text="Language code (en, fr, ru, ar) → subject and body."
    )

    def validate_templates(self, value):
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise serializers.ValidationError(f"unknown language: {sorted(unknown)}")
        return value


class CampaignOut(serializers.ModelSerializer):
    templates = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "status",
            "audience",
            "segment_id",
            "rfm_code",
            "channels",
            "offer",
            "discount_percent",
            "service_id",
            "offer_days",
            "holdout_percent",
            "window_days",
            "scheduled_at",
            "started_at",
            "finished_at",
            "created_at",
            "templates",
        ]
        read_only_fields = fields

    def get_templates(self, campaign) -> dict:
        return {
            t.language: {"subject": t.subject, "body": t.body} for t in campaign.templates.all()
        }


class EstimateOut(serializers.Serializer):
    members = serializers.IntegerField()
    consenting = serializers.IntegerField()
    reachable = serializers.IntegerField()
    holdout = serializers.IntegerField()
    to_send = serializers.IntegerField()


class CampaignPreviewOut(serializers.Serializer):
    language = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    problem = serializers.CharField()


class IntervalOut(serializers.Serializer):
    difference = serializers.FloatField()
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class GroupOut(serializers.Serializer):
    size = serializers.IntegerField()
    booked = serializers.IntegerField()
    bookings = serializers.IntegerField()
    revenue = serializers.IntegerField(help_text="Minor units.")
    bookings_per_recipient = serializers.FloatField()
    revenue_per_recipient = serializers.FloatField()


class CampaignReportOut(serializers.Serializer):
    window_days = serializers.IntegerField()
    sent = GroupOut()
    holdout = GroupOut()
    queued = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    pending = serializers.IntegerField()
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    sms = serializers.IntegerField(help_text="SMS credits used.")
    sms_cost = serializers.IntegerField(help_text="Charged beyond the plan's credits, minor units.")
    sms_currency = serializers.CharField()
    by_channel = serializers.DictField(child=serializers.IntegerField())
    by_language = serializers.DictField(child=serializers.IntegerField())
    bookings = IntervalOut(help_text="Bookings per client, sent − hold-out, Welch 95 %.")
    revenue = IntervalOut(
        help_text="Revenue per client (minor units), sent − hold-out, Welch 95 %."
    )
    booking_rate = IntervalOut(help_text="Share who booked, sent − hold-out, Wald 95 %.")
    window_open = serializers.BooleanField()
    method = serializers.SerializerMethodField()

    def get_method(self, report) -> str:
        return "welch-t-95"


class JourneyIn(serializers.Serializer):
    enabled = serializers.BooleanField()
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), required=False, min_length=1
    )
    holdout_percent = serializers.IntegerField(min_value=0, max_value=50, required=False)
    discount_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True
    )
    days = serializers.IntegerField(min_value=14, max_value=730, required=False)


class JourneyOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=JourneyKind.choices)
    enabled = serializers.BooleanField()
    channels = serializers.ListField(child=serializers.CharField())
    holdout_percent = serializers.IntegerField()
    discount_percent = serializers.IntegerField(allow_null=True)
    days = serializers.IntegerField()


class SettingsIO(serializers.Serializer):
    # "HH:MM" both ways, as every wall-clock time in the API: a plain TimeField answered
    # "21:00:00", which the schema's "time" format (seconds and an offset) refuses.
    quiet_start = WallClockField()
    quiet_end = WallClockField()
    holdout_percent = serializers.IntegerField(min_value=0, max_value=50)
    window_days = serializers.IntegerField(min_value=1, max_value=90)
    throttle = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=100_000))


class SubscriptionOut(serializers.Serializer):
    business_id = serializers.IntegerField()
    business_name = serializers.CharField()
    subscribed = serializers.BooleanField()


class SubscriptionIn(serializers.Serializer):
    business_id = IdField()
    subscribed = serializers.BooleanField()
