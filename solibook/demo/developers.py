"""API key and webhook at Atelier Lumière (issue #22, points 1 and 3).

- An API key with a known value (demo only, printed in docs/developers.md) that
  reads the catalogue and bookings, 60 requests a minute, so a newcomer can
  call `curl -H "Authorization: Api-Key sbk_demo_…"` at once.
- A partner's webhook subscribed to booking events, with a short delivery log
  (a message delivered on the second try, a test message). Its address is on
  the reserved `.example` domain, so new messages wait and retry (a partner
  that is down) until the owner points it at a real receiver; the rows are
  written directly because the service checks that the address resolves.
"""

import json
from datetime import datetime, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.developers.models import (
    ApiKey,
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from solibook.developers.services import key_hash

SALON = "Atelier Lumière"
DEMO_API_KEY = "sbk_demo_atelier_lumiere_read_catalogue_and_bookings"  # noqa: S105 - demo only
DEMO_SECRET = "whsec_ZGVtby1vbmx5LXNlY3JldC1uZXZlci11c2UtaXQtZm9yLXJlYWw="  # noqa: S105
DEMO_HOOK = "https://hooks.partner.example/solibook"


def seed_developers(catalogues: dict, *, owners: dict, now: datetime) -> None:
    catalogue = catalogues.get(SALON)
    if catalogue is None:
        return
    business, owner = catalogue.business, owners[SALON]
    with scopes_disabled():
        ApiKey.objects.create(
            business=business,
            name="Partner booking site (demo)",
            prefix=DEMO_API_KEY[:12],
            key_hash=key_hash(DEMO_API_KEY),
            scopes=["bookings:read", "catalog:read"],
            rate_per_minute=60,
            created_by=owner,
            created_at=now - timedelta(days=20),
            last_used_at=now - timedelta(hours=3),
        )
        endpoint = WebhookEndpoint.objects.create(
            business=business,
            url=DEMO_HOOK,
            description="Partner CRM (demo)",
            events=["booking.cancelled", "booking.created", "booking.rescheduled"],
            secret=DEMO_SECRET,
            created_by=owner,
            # Subscribed from this moment: the seed's own earlier events are not for it.
            created_at=timezone.now(),
        )
        _log(endpoint, "booking.created", now - timedelta(days=2), [503, 200])
        _log(endpoint, "webhook.test", now - timedelta(days=9), [200])


def _log(endpoint, event_type: str, at: datetime, statuses: list[int]) -> None:
    body = json.dumps(
        {
            "type": event_type,
            "timestamp": at.isoformat(),
            "data": {"business_id": endpoint.business_id},
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    row = WebhookDelivery.objects.create(
        business_id=endpoint.business_id,
        endpoint=endpoint,
        message_id=f"msg_demo_{event_type.replace('.', '_')}",
        event_type=event_type,
        body=body,
        state=DeliveryState.SUCCEEDED,
        attempts=len(statuses),
        created_at=at,
        delivered_at=at + timedelta(minutes=len(statuses) - 1),
        last_status=statuses[-1],
    )
    for n, status in enumerate(statuses):
        WebhookAttempt.objects.create(
            business_id=endpoint.business_id,
            delivery=row,
            at=at + timedelta(minutes=n),
            status=status,
            error="" if status < 300 else f"HTTP {status}",
            duration_ms=120 + 40 * n,
        )
