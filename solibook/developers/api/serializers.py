"""Developers API shapes. A key's value and an endpoint's secret appear only
in the answer of the call that makes them (`…WithSecretOut`)."""

from rest_framework import serializers

from solibook.developers.models import (
    ApiKey,
    EventType,
    Scope,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class ApiKeyOut(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "rate_per_minute",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]


class ApiKeyWithSecretOut(ApiKeyOut):
    key = serializers.CharField(help_text="Shown this once: store it now.")

    class Meta(ApiKeyOut.Meta):
        fields = [*ApiKeyOut.Meta.fields, "key"]


class ApiKeyIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), allow_empty=False, max_length=10
    )
    rate_per_minute = serializers.IntegerField(min_value=1, max_value=6000, default=120)


class WebhookEndpointOut(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    secret_hint = serializers.CharField(read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "secret_hint",
            "created_at",
            "paused_at",
            "pause_reason",
            "consecutive_failures",
        ]


class WebhookEndpointWithSecretOut(WebhookEndpointOut):
    secret = serializers.CharField(help_text="whsec_…: shown this once, verify signatures with it.")

    class Meta(WebhookEndpointOut.Meta):
        fields = [*WebhookEndpointOut.Meta.fields, "secret"]


class WebhookEndpointIn(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, max_length=20
    )
    description = serializers.CharField(max_length=120, required=False, allow_blank=True)


class WebhookEndpointPatchIn(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        allow_empty=False,
        max_length=20,
        required=False,
    )
    description = serializers.CharField(max_length=120, required=False, allow_blank=True)


class WebhookAttemptOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status", "error", "duration_ms", "replay"]


class WebhookDeliveryOut(serializers.ModelSerializer):
    tries = WebhookAttemptOut(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "state",
            "attempts",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "last_status",
            "last_error",
            "body",
            "tries",
        ]
