"""Business B's API key, webhook and delivery, for platform/tests/test_isolation.py
(every URL taking one must 404 for A)."""

from django.utils import timezone
from django_scopes import scopes_disabled


def objects_of_b(b) -> dict:
    from solibook.developers.models import ApiKey, WebhookDelivery, WebhookEndpoint
    from solibook.testing.factories import member

    now = timezone.now()
    with scopes_disabled():
        key = ApiKey.objects.create(
            business=b,
            name="B's partner",
            prefix="sbk_bbbbbbbb",
            key_hash="b" * 64,
            scopes=["catalog:read"],
            created_by=member(b),
            created_at=now,
        )
        endpoint = WebhookEndpoint.objects.create(
            business=b,
            url="https://partner.example/b",
            events=["booking.created"],
            secret="whsec_" + "Yg" * 22,
            created_at=now,
        )
        delivery = WebhookDelivery.objects.create(
            business=b,
            endpoint=endpoint,
            message_id="msg_b_isolation",
            event_type="booking.created",
            body="{}",
            state="succeeded",
            created_at=now,
        )
    return {"key_id": key.pk, "endpoint_id": endpoint.pk, "delivery_id": delivery.pk}
