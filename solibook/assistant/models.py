"""The virtual consultant's tables.

- `AssistantSettings`: per salon, whether the assistant answers, and the
  messenger connections (WhatsApp Cloud API, Telegram Bot API). Tokens and
  secrets are write-only: pages and the API show whether they are set, never
  their value. `webhook_key` is the random part of the salon's webhook URLs.
- `Conversation`: one person on one channel (the site's widget, a WhatsApp
  number, a Telegram chat). `state` is the dialogue's memory (slots carried
  across turns, the times offered, what waits for a yes). `mode` says who
  answers: the assistant, or staff after a take-over.
- `Message`: one line of the transcript, with its author.
- `ProcessedUpdate`: one messenger update id per salon and channel, written in
  the same transaction as its effect, so a replayed webhook is processed once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Channel(models.TextChoices):
    WEB = "web", _("Site chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")


class AssistantSettings(TenantModel):
    enabled = models.BooleanField(_("assistant answers clients"), default=True)
    webhook_key = models.CharField(max_length=40, unique=True)
    whatsapp_phone_number_id = models.CharField(
        _("WhatsApp phone number id"), max_length=40, blank=True
    )
    whatsapp_access_token = models.CharField(max_length=512, blank=True)
    whatsapp_app_secret = models.CharField(max_length=128, blank=True)
    whatsapp_verify_token = models.CharField(max_length=128, blank=True)
    telegram_bot_token = models.CharField(max_length=128, blank=True)
    telegram_secret_token = models.CharField(max_length=128, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="assistant_settings_one_per_business")
        ]

    @property
    def whatsapp_connected(self) -> bool:
        return bool(
            self.whatsapp_phone_number_id
            and self.whatsapp_access_token
            and self.whatsapp_app_secret
        )

    @property
    def telegram_connected(self) -> bool:
        return bool(self.telegram_bot_token and self.telegram_secret_token)


class Mode(models.TextChoices):
    ASSISTANT = "assistant", _("Assistant answers")
    HANDOVER = "handover", _("Waiting for staff")
    STAFF = "staff", _("Staff answers")


class Conversation(TenantModel):
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The widget's secret (web), the WhatsApp number or the Telegram chat id.
    external_id = models.CharField(max_length=64)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistant_conversations",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    mode = models.CharField(_("who answers"), max_length=10, choices=Mode.choices)
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.JSONField(default=dict, blank=True)
    # The support desk's ticket, when the hand-over opened one.
    ticket_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "channel", "external_id"], name="assistant_conversation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"


class Author(models.TextChoices):
    CLIENT = "client", _("Client")
    ASSISTANT = "assistant", _("Assistant")
    STAFF = "staff", _("Staff")


class Message(TenantModel):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(max_length=10, choices=Author.choices)
    text = models.TextField()
    intent = models.CharField(max_length=24, blank=True)
    # Buttons offered with an assistant's line: [{"label": ..., "value": ...}].
    choices = models.JSONField(default=list, blank=True)
    link = models.CharField(max_length=500, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class ProcessedUpdate(TenantModel):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    update_id = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "channel", "update_id"], name="assistant_update_once"
            )
        ]
