"""Shapes of the retention API."""

from rest_framework import serializers


class ChurnRiskOut(serializers.Serializer):
    probability = serializers.FloatField(
        allow_null=True,
        help_text="From the salon's churn model; null when the salon is too new for one.",
    )
    band = serializers.CharField(help_text="low, medium or high.")
    reasons = serializers.ListField(child=serializers.CharField())
    method = serializers.CharField(
        help_text="model, or recency: the rule used when the salon is too new for a model."
    )
    booked = serializers.BooleanField(help_text="A visit is booked after now.")


class RfmScoreOut(serializers.Serializer):
    recency = serializers.IntegerField(help_text="1–5, 5 = came most recently.")
    frequency = serializers.IntegerField(help_text="1–5, 5 = most visits.")
    monetary = serializers.IntegerField(help_text="1–5, 5 = most spent.")
    segment = serializers.CharField()
    segment_label = serializers.CharField()
    days_since = serializers.IntegerField(help_text="Days since the last visit.")
    visits = serializers.IntegerField()
    spend = serializers.IntegerField(help_text="Minor units of the salon's currency.")


class ClientRetentionOut(serializers.Serializer):
    client_id = serializers.IntegerField()
    name = serializers.CharField()
    risk = ChurnRiskOut(allow_null=True)
    rfm = RfmScoreOut(allow_null=True)


class RfmSegmentOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    count = serializers.IntegerField()


class RfmSegmentListOut(serializers.Serializer):
    method = serializers.CharField(
        help_text="How churn risk is scored: model (the salon's) or recency (the rule)."
    )
    clients_with_visits = serializers.IntegerField()
    segments = RfmSegmentOut(many=True)
