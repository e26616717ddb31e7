"""Reads of calendar sync for the pages and the API."""

from django.utils import timezone

from solibook.booking.models import Appointment
from solibook.calendarsync.models import ClientFeedToken, Conflict, Connection, Health
from solibook.catalog.models import Master
from solibook.core.tenancy import scopes_disabled

FEED_STATUSES = ("confirmed", "arrived", "in_progress", "completed")


def masters_with_connections(*, business) -> list[tuple[Master, Connection | None]]:
    connections = {c.master_id: c for c in Connection.objects.filter(business=business)}
    masters = Master.objects.filter(business=business, is_active=True).order_by(
        "position", "display_name"
    )
    return [(m, connections.get(m.pk)) for m in masters]


def connection_of(*, master: Master) -> Connection | None:
    return Connection.objects.filter(master=master).first()


def open_conflicts(*, connection: Connection) -> list[Conflict]:
    return list(
        Conflict.objects.filter(
            connection=connection, resolved_at__isnull=True, busy_until__gt=timezone.now()
        )
        .select_related("appointment", "appointment__location")
        .order_by("busy_from")
    )


def needs_reconnect(connection: Connection | None) -> bool:
    return connection is not None and connection.health == Health.RECONNECT


def own_master(*, business, user) -> Master | None:
    """The master profile of the signed-in team member in this salon."""
    return Master.objects.filter(business=business, user=user, is_active=True).first()


def client_feed_active(*, account) -> ClientFeedToken | None:
    return (
        ClientFeedToken.objects.filter(account=account, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def client_feed_visits(*, token: str, since, until):
    """The account and its visits (every salon) for a feed secret, or None."""
    with scopes_disabled():
        feed = (
            ClientFeedToken.objects.select_related("account")
            .filter(token_hash=ClientFeedToken.digest(token), revoked_at__isnull=True)
            .first()
        )
        if feed is None or not feed.account.is_active:
            return None, []
        visits = list(
            Appointment.objects.filter(
                account=feed.account,
                status__in=FEED_STATUSES,
                ends_at__gte=since,
                starts_at__lt=until,
            )
            .select_related("business", "location")
            .prefetch_related("items__service", "items__master")
            .order_by("starts_at", "pk")
        )
    return feed.account, visits
