"""Reads of client cards: search, finding a card by user, phone or e-mail,
consents and the channels they allow.

What a card's appointments say (its totals and history, totals on lists and
exports, segments, the card behind an appointment) is read in
`booking/client_visits.py`: booking sits above clients."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from solibook.clients.models import Client, ClientConsent, ConsentKind
from solibook.clients.phones import to_e164

# Transactional channels: a card allows these unless the client withdrew them;
# WhatsApp needs an explicit opt-in (the platform's own rule).
CHANNELS = (ConsentKind.EMAIL, ConsentKind.SMS, ConsentKind.WHATSAPP, ConsentKind.PUSH)
DEFAULT_ALLOWED = {ConsentKind.EMAIL, ConsentKind.SMS, ConsentKind.PUSH}


def active_clients(*, business) -> QuerySet[Client]:
    return Client.objects.filter(business=business, erased_at__isnull=True)


def client_search(*, business, q: str, limit: int = 20) -> list[Client]:
    """Search-as-you-type over names, phone (any format) and e-mail."""
    q = (q or "").strip()[:100]
    if len(q) < 2:
        return []
    match = Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
    parts = q.split()
    if len(parts) >= 2:
        match |= Q(first_name__icontains=parts[0], last_name__icontains=parts[-1]) | Q(
            first_name__icontains=parts[-1], last_name__icontains=parts[0]
        )
    digits = "".join(c for c in q if c.isdigit())
    if len(digits) >= 3:
        match |= Q(phone__contains=digits.lstrip("0") or digits)
    e164 = to_e164(q, region=business.country)
    if e164:
        match |= Q(phone=e164)
    return list(
        active_clients(business=business)
        .filter(match)
        .select_related("user")
        .order_by("last_name", "first_name", "id")[:limit]
    )


def find_card(*, business, user=None, email: str = "", phone: str = "") -> Client | None:
    """The card matching the user, else the phone (E.164), else the e-mail."""
    cards = active_clients(business=business)
    if user is not None and getattr(user, "pk", None):
        card = cards.filter(user=user).order_by("id").first()
        if card:
            return card
    e164 = to_e164(phone, region=business.country) if phone else None
    if e164:
        card = cards.filter(phone=e164).order_by("id").first()
        if card:
            return card
    email = (email or "").strip().lower()
    if email:
        return cards.annotate(email_ci=Lower("email")).filter(email_ci=email).order_by("id").first()
    return None


def consent_state(*, client: Client) -> dict[str, ClientConsent]:
    """The latest decision per kind."""
    state: dict[str, ClientConsent] = {}
    for consent in ClientConsent.objects.filter(client=client).order_by("-recorded_at", "-id"):
        state.setdefault(consent.kind, consent)
    return state


def allowed_channels(*, business, user=None, email: str = "", phone: str = "") -> set[str] | None:
    """The channels (email, sms, whatsapp, push) this client allows for
    transactional messages; None when no card matches."""
    card = find_card(business=business, user=user, email=email, phone=phone)
    if card is None:
        return None
    state = consent_state(client=card)
    allowed = set()
    for kind in CHANNELS:
        decision = state.get(kind)
        if decision.granted if decision else kind in DEFAULT_ALLOWED:
            allowed.add(str(kind))
    return allowed
