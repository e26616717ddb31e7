"""Which channels a message may use for one client of one salon.

The salon's channels (SalonNotificationSettings or settings), narrowed by:

1. the salon's client card and its consents: `clients.selectors.allowed_channels`
   (None when the salon has no card for this client: no narrowing);
2. the client's own choice (`ChannelPreference`): for this salon if set,
   else their choice for every salon;
3. web push only for a client with at least one subscribed device.

The outbox consumer asks when it creates messages; the dispatcher asks
again before sending (a consent withdrawn after a reminder was planned
stops it).
"""

import logging

from django.db.models import Q

from solibook.notifications.models import Channel, ChannelPreference, PushSubscription

log = logging.getLogger("solibook.notifications")


def _clients_allowed(*, business, user, email: str, phone: str) -> set[str] | None:
    try:
        from solibook.clients.selectors import allowed_channels
    except ImportError:  # the clients app is optional for this module
        return None
    return allowed_channels(business=business, user=user, email=email or "", phone=phone or "")


def own_choice(*, user_id: int | None, business_id: int) -> set[str] | None:
    """The client's own choice for this salon, else for all salons, else None."""
    if not user_id:
        return None
    rows = {
        row.business_id: row.channels
        for row in ChannelPreference.objects.filter(
            Q(business_id=business_id) | Q(business__isnull=True), user_id=user_id
        )
    }
    if business_id in rows:
        return set(rows[business_id])
    if None in rows:
        return set(rows[None])
    return None


def allowed(*, business, user, email: str, phone: str, channels: list[str]) -> list[str]:
    """`channels` (the salon's, in its order) that this client may get."""
    keep = set(channels)
    consent = _clients_allowed(business=business, user=user, email=email, phone=phone)
    if consent is not None:
        keep &= set(consent)
    user_id = getattr(user, "pk", user)
    choice = own_choice(user_id=user_id, business_id=business.pk)
    if choice is not None:
        keep &= choice
    if Channel.PUSH in keep and not (
        user_id and PushSubscription.objects.filter(user_id=user_id).exists()
    ):
        keep.discard(Channel.PUSH)
    return [c for c in channels if c in keep]
