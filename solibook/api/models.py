"""The API shell's own table: the stored responses of `Idempotency-Key` requests."""

from django.db import models


class IdempotencyRecord(models.Model):
    """One effect per `Idempotency-Key`: the first response is stored and
    replayed for the same key and body; another body with the key is refused.
    Rows older than 24 hours are pruned."""

    scope = models.CharField(max_length=80)  # who sent it: user id or anonymous address
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # The table booking created, kept: the rows stay (migrations api/0001, booking/0009).
        db_table = "booking_idempotencyrecord"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
