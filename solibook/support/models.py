"""The support desk's tables.

- `Ticket`: one request for help, from a client (signed in or a guest with an
  e-mail), from a salon (then tied to its business), from e-mail in, from the
  assistant's hand-over or from a live chat. It carries its status, priority,
  the staff member it is assigned to, its SLA due times (`support.sla`) and the
  requester's satisfaction rating (once). `token` is the ticket's secret: the
  guest's link to the thread and the plus-address of e-mail replies
  (`support+<token>@...`).
- `Message`: one entry of the thread (requester, staff or the system), with
  its `Attachment`s (private files, served only to people allowed to see the
  ticket).
- `CannedReply`: a prepared answer written in the four languages; the one in
  the requester's language is inserted.
- `StaffPresence`: the last heartbeat of a support staff member's console
  page: someone seen within `PRESENCE_SECONDS` means the live chat is open.

A ticket is not a `TenantModel`: most tickets belong to no salon. Back-office
reads filter on `business` explicitly (`support.selectors.tickets_of_business`).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("support ticket status", "New")
    OPEN = "open", pgettext_lazy("support ticket status", "Open")
    WAITING = "waiting", pgettext_lazy("support ticket status", "Waiting on requester")
    RESOLVED = "resolved", pgettext_lazy("support ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("support ticket status", "Closed")


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("support ticket priority", "Low")
    NORMAL = "normal", pgettext_lazy("support ticket priority", "Normal")
    HIGH = "high", pgettext_lazy("support ticket priority", "High")
    URGENT = "urgent", pgettext_lazy("support ticket priority", "Urgent")


class Source(models.TextChoices):
    WEB = "web", pgettext_lazy("support ticket source", "Web form")
    OFFICE = "office", pgettext_lazy("support ticket source", "Salon back office")
    EMAIL = "email", pgettext_lazy("support ticket source", "E-mail")
    ASSISTANT = "assistant", pgettext_lazy("support ticket source", "Virtual assistant")
    CHAT = "chat", pgettext_lazy("support ticket source", "Live chat")
    API = "api", pgettext_lazy("support ticket source", "API")


class Ticket(models.Model):
    token = models.CharField(max_length=32, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    requester_email = models.EmailField(_("e-mail"))
    requester_name = models.CharField(_("name"), max_length=120, blank=True)
    requester_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
    )
    business = models.ForeignKey(
        "catalog.Business",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="support_tickets",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    transcript = models.JSONField(default=list, blank=True)  # the assistant's conversation
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_due = models.DateTimeField()
    resolution_due = models.DateTimeField()
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # While the ticket waits on the requester its resolution clock stops:
    # the time spent waiting is added to `paused_seconds` when it moves on.
    waiting_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "resolution_due"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="support_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_chat(self) -> bool:
        return self.source == Source.CHAT


class Author(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    STAFF = "staff", _("Support")
    SYSTEM = "system", _("System")


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    via = models.CharField(max_length=10, choices=Source.choices)
    # E-mail in: the Message-ID, so a message delivered twice is one reply.
    email_id = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "email_id"],
                condition=~models.Q(email_id=""),
                name="support_message_email_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name outside the public media folders: only `support` views serve it.
    return f"support/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class CannedReply(models.Model):
    title = models.CharField(_("title"), max_length=120, unique=True)
    body_en = models.TextField(_("text in English"))
    body_fr = models.TextField(_("text in French"))
    body_ru = models.TextField(_("text in Russian"))
    body_ar = models.TextField(_("text in Arabic"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def body_in(self, language: str) -> str:
        """The text in `language`, English when that language has none."""
        return getattr(self, f"body_{(language or 'en')[:2]}", "") or self.body_en


class StaffPresence(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_presence"
    )
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user}: {self.last_seen_at}"
