"""Automatic journeys: who is due for which message today, each at most once per
client per period (the database's unique (business, journey, card, period)).

- birthday: the card's birthday is today in the salon's zone (period: the year);
- welcome: the card's first completed visit ended in the last 3 days (period: "first");
- thank-you and review request: a visit completed in the last 2 days (period: the visit);
- rebooking reminder: a service the client has a rhythm for (two visits or more:
  the median gap between them, say roots every 5 weeks) is due again within the
  week and nothing is booked (period: the service and its last visit);
- win-back: no visit since twice the client's own rhythm for the service they last
  had (the journey's days when they have none), nothing booked, up to 60 days after
  that (period: the service and the last visit);
- churn-risk offer: a high churn risk from `retention.selectors.churn_risk` and
  nothing booked (period: the month), with a code of their own.

Each day's new rows draw their group on insert (the journey's hold-out percentage)
and are stored before anything is queued; the hold-out is measured like a
campaign's (see `selectors.effect`).
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta
from statistics import median

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.client_visits import VISIT_STATUSES
from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.clients.models import Client
from solibook.marketing import sending
from solibook.marketing.models import Journey, JourneyKind, Recipient
from solibook.marketing.services import journey_of

try:  # the retention area (churn risk) may be absent from an install
    from solibook.retention import selectors as retention
except ImportError:  # pragma: no cover
    retention = None  # type: ignore[assignment]

_random = random.SystemRandom()
HISTORY_DAYS = 730


def default_words(kind: str) -> tuple[str, str]:
    """(subject, body) of a journey in the active language (templating syntax)."""
    return {
        JourneyKind.BIRTHDAY: (
            _("Happy birthday from {{ salon }}"),
            _(
                "Happy birthday, {{ first_name|default:client_name }}! "
                "{% if code %}Your gift: {{ discount }} off with the code {{ code }}, "
                "until {{ valid_until }}. {% endif %}Book: {{ link }}"
            ),
        ),
        JourneyKind.WINBACK: (
            _("We miss you at {{ salon }}"),
            _(
                "It has been a while, {{ first_name|default:client_name }}. "
                "We would love to see you again at {{ salon }}: {{ link }}"
            ),
        ),
        JourneyKind.REBOOK: (
            _("Time for your next visit to {{ salon }}"),
            _(
                "{{ first_name|default:client_name }}, your usual visit is due again. "
                "Choose a time: {{ link }}"
            ),
        ),
        JourneyKind.WELCOME: (
            _("Welcome to {{ salon }}"),
            _(
                "Thank you for your first visit, {{ first_name|default:client_name }}. "
                "We are glad to have you. Your next visit: {{ link }}"
            ),
        ),
        JourneyKind.THANK_YOU: (
            _("Thank you for your visit to {{ salon }}"),
            _(
                "Thank you for coming, {{ first_name|default:client_name }}. "
                "Would you tell others how it went? {{ link }}"
            ),
        ),
        JourneyKind.CHURN_RISK: (
            _("A gift from {{ salon }}"),
            _(
                "{{ first_name|default:client_name }}, come back to {{ salon }} with "
                "{{ discount }} off: your code {{ code }}, until {{ valid_until }}. {{ link }}"
            ),
        ),
    }[JourneyKind(kind)]


def _upcoming(business, now: datetime) -> set[int]:
    return set(
        Appointment.objects.filter(
            business=business,
            client_card__isnull=False,
            starts_at__gt=now,
            status__in=(Status.CONFIRMED, Status.HOLD, Status.AWAITING_DEPOSIT),
        ).values_list("client_card_id", flat=True)
    )


def _birthdays(business, now: datetime) -> list[tuple[int, str]]:
    today = now.astimezone(sending.zone_of(business)).date()
    cards = Client.objects.filter(
        business=business,
        erased_at__isnull=True,
        birthday__month=today.month,
        birthday__day=today.day,
    ).values_list("pk", flat=True)
    return [(pk, str(today.year)) for pk in cards]


def _welcomes(business, now: datetime) -> list[tuple[int, str]]:
    rows = (
        Appointment.objects.filter(
            business=business, client_card__isnull=False, status=Status.COMPLETED
        )
        .values("client_card_id")
        .annotate(visits=Count("id"), first=Min("ends_at"))
        .filter(visits=1, first__gte=now - timedelta(days=3), first__lte=now)
    )
    return [(row["client_card_id"], "first") for row in rows]


def _thank_yous(business, now: datetime) -> list[tuple[int, str]]:
    rows = Appointment.objects.filter(
        business=business,
        client_card__isnull=False,
        status=Status.COMPLETED,
        ends_at__gte=now - timedelta(days=2),
        ends_at__lte=now - timedelta(hours=2),
    ).values_list("client_card_id", "pk")
    return [(card, f"visit:{pk}") for card, pk in rows]


def rhythms(business, now: datetime) -> dict[tuple[int, int], tuple[list, float | None]]:
    """(card, service) → (visit days in order, the median gap in days or None)."""
    days: dict[tuple[int, int], list] = defaultdict(list)
    for card, service, start in (
        AppointmentItem.objects.filter(
            appointment__business=business,
            appointment__client_card__isnull=False,
            appointment__status__in=VISIT_STATUSES,
            appointment__starts_at__gte=now - timedelta(days=HISTORY_DAYS),
            appointment__starts_at__lte=now,
        )
        .order_by("appointment__starts_at")
        .values_list("appointment__client_card_id", "service_id", "appointment__starts_at")
    ):
        visit = start.date()
        if not days[(card, service)] or days[(card, service)][-1] != visit:
            days[(card, service)].append(visit)
    found = {}
    for key, visits in days.items():
        gaps = [(b - a).days for a, b in zip(visits, visits[1:], strict=False) if (b - a).days > 0]
        found[key] = (visits, float(median(gaps)) if gaps else None)
    return found


def _rebooks(business, now: datetime, journey: Journey) -> list[tuple[int, str]]:
    today, busy = now.date(), _upcoming(business, now)
    due = []
    for (card, service), (visits, gap) in rhythms(business, now).items():
        if gap is None or card in busy:
            continue
        last = visits[-1]
        if last + timedelta(days=gap) - timedelta(days=7) <= today <= last + timedelta(days=gap):
            due.append((card, f"{service}:{last.isoformat()}"))
    return due


def _winbacks(business, now: datetime, journey: Journey) -> list[tuple[int, str]]:
    today, busy = now.date(), _upcoming(business, now)
    latest: dict[int, tuple] = {}
    for (card, service), (visits, gap) in rhythms(business, now).items():
        if card not in latest or visits[-1] > latest[card][0]:
            latest[card] = (visits[-1], service, gap)
    due = []
    for card, (last, service, gap) in latest.items():
        if card in busy:
            continue
        threshold = 2 * gap if gap else journey.days
        if last + timedelta(days=threshold) <= today <= last + timedelta(days=threshold + 60):
            due.append((card, f"{service}:{last.isoformat()}"))
    return due


def _churn_risks(business, now: datetime) -> list[tuple[int, str]]:
    if retention is None:
        return []
    risks = retention.churn_risk(business=business, now=now)
    return [
        (card, f"{now:%Y-%m}")
        for card, risk in risks.items()
        if risk.band == retention.HIGH and not getattr(risk, "booked", False)
    ]


def due(business, journey: Journey, now: datetime) -> list[tuple[int, str]]:
    kind = journey.kind
    if kind == JourneyKind.BIRTHDAY:
        return _birthdays(business, now)
    if kind == JourneyKind.WELCOME:
        return _welcomes(business, now)
    if kind == JourneyKind.THANK_YOU:
        return _thank_yous(business, now)
    if kind == JourneyKind.REBOOK:
        return _rebooks(business, now, journey)
    if kind == JourneyKind.WINBACK:
        return _winbacks(business, now, journey)
    return _churn_risks(business, now)


def journey_draw(*, business, kind: str, now: datetime) -> int:
    """Store today's due clients of one journey (their group drawn now); returns how
    many were new. A client already in this journey for the period is left alone."""
    journey = journey_of(business, kind)
    candidates = dict(due(business, journey, now))  # one period per card per run
    if not candidates:
        return 0
    before = Recipient.objects.filter(business=business, journey=kind).count()
    rows = [
        Recipient(
            business=business,
            journey=kind,
            period=period[:60],
            client_id=card,
            group=(
                Recipient.Group.HOLDOUT
                if _random.random() * 100 < journey.holdout_percent
                else Recipient.Group.SENT
            ),
            base_at=now,
        )
        for card, period in sorted(candidates.items())
    ]
    with transaction.atomic():
        Recipient.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return Recipient.objects.filter(business=business, journey=kind).count() - before


def journey_queue(*, business, kind: str, now: datetime) -> int:
    journey = journey_of(business, kind)
    compose = _composer(kind)
    offer = None
    if journey.discount_percent and kind in (JourneyKind.CHURN_RISK, JourneyKind.BIRTHDAY):
        offer = {
            "prefix": {"churn_risk": "BACK", "birthday": "BDAY"}[kind],
            "issued_by": f"journey:{kind}",
            "discount_percent": journey.discount_percent,
            "valid_until": now + timedelta(days=30),
            "description": str(JourneyKind(kind).label),
        }
    rows = Recipient.objects.filter(business=business, journey=kind)
    handled = 0
    while True:
        done = sending.queue_batch(
            business=business,
            rows=rows,
            channels=journey.channels or ["email", "sms"],
            compose=compose,
            now=now,
            start=now,
            offer=offer,
        )
        handled += done
        if not done:
            return handled


def _composer(kind: str):
    from solibook.marketing import templating

    compiled: dict = {}

    def compose(row: Recipient, values: dict) -> tuple[str, str]:
        subject, body = default_words(kind)  # in the recipient's language (active)
        text = templating.render(body, values, compiled).strip() + "\n"
        return " ".join(templating.render(subject, values, compiled).split()), text

    return compose


def journeys_run(*, now: datetime | None = None) -> int:
    """Every salon's journeys that are on: draw who is due, queue their messages."""
    now = now or timezone.now()
    handled = 0
    with scopes_disabled():
        on = list(Journey.objects.filter(enabled=True).select_related("business"))
        for journey in on:
            journey_draw(business=journey.business, kind=journey.kind, now=now)
            handled += journey_queue(business=journey.business, kind=journey.kind, now=now)
    return handled
