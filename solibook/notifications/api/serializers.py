"""Notifications API shapes: salon settings, message templates and previews,
delivery problems, a client's channel choices and push devices."""

from django.conf import settings
from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.notifications.models import Channel, Kind, Notification, NotificationStatus

CHANNELS = serializers.ListField(
    child=serializers.ChoiceField(choices=Channel.choices), max_length=len(Channel.values)
)


class SalonSettingsOut(serializers.Serializer):
    reminder_minutes = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Minutes before the visit each reminder goes out.",
    )
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))


class SalonSettingsIn(serializers.Serializer):
    reminder_minutes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=60 * 24 * 14), max_length=5
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), max_length=len(Channel.values)
    )


class TemplateQuery(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.EMAIL)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)


class TemplateKeyQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class TemplateOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    language = serializers.CharField()
    custom = serializers.BooleanField(help_text="The salon's own text (else the built-in default).")
    subject = serializers.CharField(allow_blank=True)
    body = serializers.CharField()
    last_error = serializers.CharField(
        allow_blank=True, help_text="Why the template failed at send time (the default went out)."
    )
    last_error_at = serializers.DateTimeField(allow_null=True)


class TemplateIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    subject = serializers.CharField(
        max_length=300, allow_blank=True, required=False, default="", trim_whitespace=False
    )
    body = serializers.CharField(
        max_length=5000,
        trim_whitespace=False,
        help_text="Django template syntax; see the variables in the back office.",
    )


class PreviewOut(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)
    subject = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_blank=True)


class NotificationOut(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "appointment_id",
            "kind",
            "channel",
            "status",
            "recipient_name",
            "email",
            "phone",
            "language",
            "due_at",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "provider_message_id",
            "last_error",
        ]
        read_only_fields = fields


class NotificationQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=NotificationStatus.choices, required=False)
    problems = serializers.BooleanField(
        required=False, default=False, help_text="Only failed messages and those being retried."
    )


class PreferenceSalonOut(serializers.Serializer):
    business_id = serializers.IntegerField()
    business_name = serializers.CharField()
    channels = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="null: no choice made (every channel the salon uses).",
    )
    on_card = serializers.BooleanField(help_text="Recorded as consents on the salon's client card.")


class PreferencesOut(serializers.Serializer):
    all = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="The choice for every salon; null when none was made.",
    )
    salons = PreferenceSalonOut(many=True)


class PreferencesIn(serializers.Serializer):
    business_id = IdField(required=False, allow_null=True, help_text="Empty: for every salon.")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), max_length=len(Channel.values)
    )


class PushKeyOut(serializers.Serializer):
    public_key = serializers.CharField(
        help_text="The VAPID public key, base64url: PushManager.subscribe's applicationServerKey."
    )


class PushSubscriptionIn(serializers.Serializer):
    endpoint = serializers.CharField(max_length=2000)
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class PushEndpointQuery(serializers.Serializer):
    endpoint = serializers.CharField(max_length=2000)
