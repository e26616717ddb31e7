"""Who may get a marketing message, read in bulk (a few queries for any number
of cards, not a few per card): the same rules as the notifications' channel
layer (`notifications.preferences.allowed`), plus marketing's own:

1. the card's latest `marketing` consent must be a yes (an opt-in: no record is a no);
2. the salon's channels, narrowed by the card's channel consents (e-mail, SMS and
   push unless withdrawn, WhatsApp only when given), by the client's own choice
   (`ChannelPreference`, for this salon, else for every salon), and push only for a
   client with a subscribed device;
3. an address for the channel (an e-mail, a phone, an account for push).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from solibook.clients.models import Client, ClientConsent, ConsentKind
from solibook.clients.selectors import DEFAULT_ALLOWED
from solibook.notifications.models import ChannelPreference, PushSubscription
from solibook.notifications.selectors import current_settings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
CHANNEL_KINDS = ("email", "sms", "whatsapp", "push")


def salon_language(business) -> str:
    for code in business.languages or []:
        if code in LANGUAGE_CODES:
            return code
    return settings.LANGUAGE_CODE


def language_of(card: Client, fallback: str) -> str:
    """The card's language, else its account's, else the salon's."""
    for code in (card.language, getattr(card.user, "language", "") if card.user_id else ""):
        code = (code or "")[:2]
        if code in LANGUAGE_CODES:
            return code
    return fallback


def latest_consents(client_ids: list[int]) -> dict[int, dict[str, bool]]:
    """Card id → kind → its latest decision."""
    state: dict[int, dict[str, bool]] = {}
    for start in range(0, len(client_ids), 5000):
        rows = (
            ClientConsent.objects.filter(client_id__in=client_ids[start : start + 5000])
            .order_by("recorded_at", "id")
            .values_list("client_id", "kind", "granted")
        )
        for client_id, kind, granted in rows:
            state.setdefault(client_id, {})[kind] = granted
    return state


def consenting(decisions: dict[str, bool]) -> bool:
    return bool(decisions.get(ConsentKind.MARKETING, False))


@dataclass
class Reach:
    """Per card id: the channels it may get, in the campaign's order."""

    channels: dict[int, list[str]]
    members: int
    consenting: int

    @property
    def reachable(self) -> int:
        return sum(1 for found in self.channels.values() if found)


def _address(card: Client, channel: str) -> bool:
    if channel == "email":
        return bool(card.email)
    if channel == "push":
        return bool(card.user_id)
    return bool(card.phone)


def reach(*, business, cards: Iterable[Client], channels: list[str]) -> Reach:
    """Which of `cards` may get a marketing message, and on which of `channels`."""
    cards = list(cards)
    ids = [card.pk for card in cards]
    consents = latest_consents(ids)
    salon_channels = set(current_settings(business)[1])
    user_ids = [card.user_id for card in cards if card.user_id]
    choices: dict[int, dict[int | None, list[str]]] = {}
    pushable: set[int] = set()
    for start in range(0, len(user_ids), 5000):
        chunk = user_ids[start : start + 5000]
        for pref in ChannelPreference.objects.filter(
            Q(business=business) | Q(business__isnull=True), user_id__in=chunk
        ).values("user_id", "business_id", "channels"):
            choices.setdefault(pref["user_id"], {})[pref["business_id"]] = pref["channels"]
        pushable |= set(
            PushSubscription.objects.filter(user_id__in=chunk).values_list("user_id", flat=True)
        )
    found: dict[int, list[str]] = {}
    agreed = 0
    for card in cards:
        decisions = consents.get(card.pk, {})
        if not consenting(decisions):
            continue
        agreed += 1
        own = choices.get(card.user_id or 0, {})
        choice = own.get(business.pk, own.get(None))
        allowed = []
        for channel in channels:
            if channel not in salon_channels or not _address(card, channel):
                continue
            decision = decisions.get(channel)
            if not (decision if decision is not None else channel in DEFAULT_ALLOWED):
                continue
            if choice is not None and channel not in choice:
                continue
            if channel == "push" and card.user_id not in pushable:
                continue
            allowed.append(channel)
        found[card.pk] = allowed
    return Reach(channels=found, members=len(cards), consenting=agreed)
