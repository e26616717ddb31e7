"""Reads of client cards: search, the card's history and totals, segments,
consents, and finding the card behind an appointment."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Lower

from solibook.booking.models import Appointment, Status
from solibook.clients.models import Client, ClientConsent, ConsentKind, Segment
from solibook.clients.phones import to_e164

VISIT_STATUSES = (Status.COMPLETED, Status.ARRIVED, Status.IN_PROGRESS)
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


def client_for_appointment(appointment: Appointment) -> Client | None:
    if appointment.client_card_id:
        return Client.objects.filter(pk=appointment.client_card_id, erased_at__isnull=True).first()
    return find_card(
        business=appointment.business,
        user=appointment.client,
        email=appointment.client_email,
        phone=appointment.client_phone,
    )


@dataclass(frozen=True)
class ClientStats:
    visits: int
    total_spend: int
    no_shows: int
    cancellations: int
    last_visit: object
    next_visit: object


def client_stats(*, client: Client, now) -> ClientStats:
    rows = Appointment.objects.filter(client_card=client).aggregate(
        visits=Count("id", filter=Q(status=Status.COMPLETED)),
        spend=Sum("price_amount", filter=Q(status=Status.COMPLETED)),
        no_shows=Count("id", filter=Q(status=Status.NO_SHOW)),
        cancellations=Count("id", filter=Q(status=Status.CANCELLED)),
        last=Max("starts_at", filter=Q(status__in=VISIT_STATUSES, starts_at__lte=now)),
    )
    upcoming = (
        Appointment.objects.filter(
            client_card=client, status__in=(Status.CONFIRMED, Status.HOLD), starts_at__gt=now
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return ClientStats(
        rows["visits"],
        rows["spend"] or 0,
        rows["no_shows"],
        rows["cancellations"],
        rows["last"],
        upcoming,
    )


def client_history(*, client: Client, limit: int = 100) -> list[Appointment]:
    return list(
        Appointment.objects.filter(client_card=client)
        .select_related("location")
        .prefetch_related("items__service", "items__master")
        .order_by("-starts_at")[:limit]
    )


def with_totals(query: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate visits, total spend, no-shows and last visit (for lists, exports, segments)."""
    done = Q(appointments__status=Status.COMPLETED)
    return query.annotate(
        visit_count=Count("appointments", filter=done, distinct=True),
        total_spend=Sum("appointments__price_amount", filter=done),
        no_show_count=Count(
            "appointments", filter=Q(appointments__status=Status.NO_SHOW), distinct=True
        ),
        last_visit=Max(
            "appointments__starts_at", filter=Q(appointments__status__in=VISIT_STATUSES)
        ),
    )


def segment_clients(
    *,
    business,
    segment: Segment | None = None,
    last_visit_before: date | None = None,
    spend_above: int | None = None,
    tag_id: int | None = None,
    service_id: int | None = None,
    birthday_month: int | None = None,
) -> QuerySet[Client]:
    """Clients matching every given filter (a saved segment, or ad-hoc values)."""
    if segment is not None:
        last_visit_before, spend_above, tag_id, service_id, birthday_month = (
            segment.last_visit_before,
            segment.spend_above,
            segment.tag_id,
            segment.service_id,
            segment.birthday_month,
        )
    query = active_clients(business=business)
    if tag_id:
        query = query.filter(tags__id=tag_id)
    if birthday_month:
        query = query.filter(birthday__month=birthday_month)
    if service_id:
        used = Appointment.objects.filter(
            business=business,
            status=Status.COMPLETED,
            items__service_id=service_id,
            client_card__isnull=False,
        ).values("client_card_id")
        query = query.filter(pk__in=Subquery(used))
    if spend_above is not None or last_visit_before is not None:
        # Totals per card in one grouped subquery (not joined into the list).
        totals = (
            Appointment.objects.filter(business=business, client_card__isnull=False)
            .values("client_card_id")
            .annotate(
                spend=Sum("price_amount", filter=Q(status=Status.COMPLETED)),
                last=Max("starts_at", filter=Q(status__in=VISIT_STATUSES)),
            )
        )
        if spend_above is not None:
            totals = totals.filter(spend__gt=spend_above)
        if last_visit_before is not None:
            totals = totals.filter(last__date__lt=last_visit_before)
        query = query.filter(pk__in=Subquery(totals.values("client_card_id")))
    return query.distinct().order_by("last_name", "first_name", "id")
