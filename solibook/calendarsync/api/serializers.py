"""Input and output shapes of the calendar sync API (shape only; the rules
live in `services`). Secrets are write-only: never in an output."""

from rest_framework import serializers

from solibook.calendarsync.models import Conflict, Connection


class CalendarConnectionOut(serializers.ModelSerializer):
    class Meta:
        model = Connection
        fields = [
            "id",
            "master_id",
            "kind",
            "url",
            "username",
            "health",
            "last_error",
            "last_pulled_at",
            "last_pushed_at",
            "ignored_without_end",
            "created_at",
        ]


class CalendarConflictOut(serializers.ModelSerializer):
    appointment_id = serializers.IntegerField()

    class Meta:
        model = Conflict
        fields = ["id", "appointment_id", "busy_from", "busy_until", "detected_at"]


class CalendarSyncStateOut(serializers.Serializer):
    connection = CalendarConnectionOut(allow_null=True)
    conflicts = CalendarConflictOut(many=True)
    rule = serializers.CharField(help_text="How conflicts are resolved, in the request's language.")


class CalDAVConnectIn(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    username = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", write_only=True
    )


class GoogleAuthorizeIn(serializers.Serializer):
    redirect_uri = serializers.URLField(max_length=500)


class GoogleAuthorizeOut(serializers.Serializer):
    authorize_url = serializers.URLField()


class GoogleConnectIn(serializers.Serializer):
    code = serializers.CharField(max_length=2000)
    redirect_uri = serializers.URLField(max_length=500)
    calendar_id = serializers.CharField(max_length=500, required=False, default="primary")


class CalendarSyncReportOut(serializers.Serializer):
    ok = serializers.BooleanField()
    busy_periods = serializers.IntegerField(source="pulled")
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    pushed = serializers.IntegerField()
    deleted = serializers.IntegerField()
    conflicts = serializers.IntegerField()
    ignored_without_end = serializers.IntegerField()
    error = serializers.CharField()


class ClientCalendarFeedOut(serializers.Serializer):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(
        allow_blank=True, help_text="Only in the answer that issues it: the secret is not stored."
    )
