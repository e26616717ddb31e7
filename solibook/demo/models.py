"""The demo inbox: what the demo would have sent, kept to be read on a page.

Only the demo profile (SOLIBOOK_DEMO=1, `make run`) writes here; it is not a
tenant row (a message belongs to its recipient, whatever the salon).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        PUSH = "push", _("Push notification")

    channel = models.CharField(max_length=16, choices=Channel.choices)
    # An e-mail address or an E.164 phone number (a push: the account's e-mail).
    to = models.CharField(max_length=254, db_index=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    link = models.CharField(max_length=2000, blank=True)
    language = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}: {self.subject or self.text[:40]}"
