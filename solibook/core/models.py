from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when: append-only, written by `core.audit.audit_log`.

    Not a TenantModel: platform-level events (a login to the admin, a new
    business) have no business. Back-office reads filter on `business`
    explicitly through `core.audit.events_for_business`.
    """

    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["business", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class OutboxEvent(models.Model):
    """An event to publish, written inside the transaction that caused it."""

    topic = models.CharField(max_length=64, db_index=True)
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(processed_at__isnull=True),
                name="outbox_unprocessed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class WorkerHeartbeat(models.Model):
    """A background task worker (`manage.py db_worker`) that is alive: it
    renews `beat_at` every third of TASKS_WORKER_LEASE_SECONDS. A worker whose
    beat is older than the lease is dead, and the jobs it left RUNNING are
    put back in the queue (`core.workers.requeue_abandoned`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
