from django.conf import settings
from rest_framework import serializers

from solibook.assistant.models import AssistantSettings, Conversation, Message


class AssistantChoiceOut(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class AssistantReplyOut(serializers.Serializer):
    text = serializers.CharField()
    choices = AssistantChoiceOut(many=True)
    link = serializers.CharField(allow_blank=True)


class AssistantMessageOut(serializers.ModelSerializer):
    choices = AssistantChoiceOut(many=True)
    staff_name = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "text", "intent", "choices", "link", "staff_name", "created_at"]

    def get_staff_name(self, message) -> str:
        return message.staff.full_name if message.staff_id else ""


class AssistantConversationOut(serializers.ModelSerializer):
    account_name = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "channel",
            "language",
            "mode",
            "account_id",
            "account_name",
            "taken_over_by_id",
            "ticket_id",
            "created_at",
            "last_message_at",
        ]

    def get_account_name(self, conversation) -> str:
        return conversation.account.full_name if conversation.account_id else ""


class AssistantConversationDetailOut(AssistantConversationOut):
    messages = AssistantMessageOut(many=True)

    class Meta(AssistantConversationOut.Meta):
        fields = [*AssistantConversationOut.Meta.fields, "messages"]


class AssistantStartIn(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class AssistantStartOut(serializers.Serializer):
    token = serializers.CharField(help_text="The conversation's secret: send it back to talk.")
    language = serializers.CharField()


class AssistantSayIn(serializers.Serializer):
    text = serializers.CharField(max_length=1000)


class AssistantStaffReplyIn(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class AssistantSettingsOut(serializers.ModelSerializer):
    """Secrets are never returned: only whether each is set."""

    whatsapp_connected = serializers.BooleanField(read_only=True)
    telegram_connected = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssistantSettings
        fields = [
            "enabled",
            "whatsapp_phone_number_id",
            "whatsapp_connected",
            "telegram_connected",
            "webhook_key",
            "whatsapp_verify_token",
            "telegram_secret_token",
        ]


class AssistantSettingsIn(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    whatsapp_phone_number_id = serializers.CharField(
        max_length=40, required=False, allow_blank=True
    )
    whatsapp_access_token = serializers.CharField(max_length=512, required=False, allow_blank=True)
    whatsapp_app_secret = serializers.CharField(max_length=128, required=False, allow_blank=True)
    telegram_bot_token = serializers.CharField(max_length=128, required=False, allow_blank=True)
