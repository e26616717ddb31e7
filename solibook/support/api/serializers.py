"""Support desk API shapes (names prefixed `Support`: one component per name)."""

import base64
import binascii

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solibook.support.models import Attachment, CannedReply, Message, Priority, Status, Ticket
from solibook.support.uploads import MAX_BYTES, MAX_FILES, Upload


class SupportAttachmentIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    content_type = serializers.CharField(max_length=100)
    data_base64 = serializers.CharField(
        help_text="The file's bytes in base64 (at most 5 MB decoded).",
        max_length=(MAX_BYTES * 4) // 3 + 8,
    )

    def to_upload(self, data) -> Upload:
        try:
            raw = base64.b64decode(data["data_base64"], validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        return Upload(data["name"], data["content_type"], raw)


def uploads_of(data) -> list[Upload]:
    return [SupportAttachmentIn().to_upload(a) for a in data.get("attachments", [])]


class SupportAttachmentOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("support:attachment", args=[obj.pk])


class SupportMessageOut(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    attachments = SupportAttachmentOut(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author_kind", "author_name", "body", "via", "created_at", "attachments"]

    @extend_schema_field(serializers.CharField())
    def get_author_name(self, obj) -> str:
        return obj.author.get_short_name() if obj.author and obj.author_kind == "staff" else ""


class SupportTicketOut(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = [
            "id",
            "subject",
            "status",
            "priority",
            "source",
            "language",
            "created_at",
            "updated_at",
            "rating",
            "rating_comment",
        ]


class SupportTicketDetailOut(SupportTicketOut):
    messages = SupportMessageOut(many=True, read_only=True)

    class Meta(SupportTicketOut.Meta):
        fields = [*SupportTicketOut.Meta.fields, "messages"]


class SupportTimerOut(serializers.Serializer):
    due = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    running = serializers.BooleanField()
    remaining_seconds = serializers.IntegerField()
    breached = serializers.BooleanField()


class SupportConsoleTicketOut(serializers.ModelSerializer):
    requester_email = serializers.EmailField()
    business_id = serializers.IntegerField(allow_null=True)
    assignee_id = serializers.IntegerField(allow_null=True)
    first_response = SupportTimerOut(source="first_timer")
    resolution = SupportTimerOut(source="resolution_timer")

    class Meta:
        model = Ticket
        fields = [
            "id",
            "subject",
            "status",
            "priority",
            "source",
            "language",
            "requester_email",
            "requester_name",
            "business_id",
            "assignee_id",
            "created_at",
            "updated_at",
            "first_response",
            "resolution",
            "rating",
            "rating_comment",
        ]


class SupportConsoleTicketDetailOut(SupportConsoleTicketOut):
    messages = SupportMessageOut(many=True, read_only=True)
    transcript = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta(SupportConsoleTicketOut.Meta):
        fields = [*SupportConsoleTicketOut.Meta.fields, "transcript", "messages"]


class SupportTicketIn(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10_000)
    attachments = SupportAttachmentIn(many=True, required=False, max_length=MAX_FILES)


class SupportReplyIn(serializers.Serializer):
    body = serializers.CharField(max_length=10_000)
    attachments = SupportAttachmentIn(many=True, required=False, max_length=MAX_FILES)


class SupportStaffReplyIn(serializers.Serializer):
    body = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    canned_reply_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Insert this canned reply in the requester's language (when body is empty).",
    )
    status = serializers.ChoiceField(
        choices=[Status.WAITING, Status.OPEN, Status.RESOLVED], default=Status.WAITING
    )
    attachments = SupportAttachmentIn(many=True, required=False, max_length=MAX_FILES)


class SupportRatingIn(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SupportAssignIn(serializers.Serializer):
    assignee_id = serializers.IntegerField(allow_null=True)
    expected_assignee_id = serializers.IntegerField(
        allow_null=True, help_text="Who you saw assigned: refused (409) if it changed meanwhile."
    )


class SupportStatusIn(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Status.OPEN, Status.WAITING, Status.RESOLVED, Status.CLOSED]
    )


class SupportPriorityIn(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)


class SupportQueueQueryIn(serializers.Serializer):
    status = serializers.CharField(required=False, default="active")
    priority = serializers.CharField(required=False, default="")
    assignee = serializers.CharField(required=False, default="")
    source = serializers.CharField(required=False, default="")
    breached = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


class SupportCannedReplyOut(serializers.ModelSerializer):
    class Meta:
        model = CannedReply
        fields = ["id", "title", "body_en", "body_fr", "body_ru", "body_ar"]


class SupportCannedReplyIn(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body_en = serializers.CharField(max_length=10_000)
    body_fr = serializers.CharField(max_length=10_000)
    body_ru = serializers.CharField(max_length=10_000)
    body_ar = serializers.CharField(max_length=10_000)


class SupportChatStatusOut(serializers.Serializer):
    chat_online = serializers.BooleanField()
