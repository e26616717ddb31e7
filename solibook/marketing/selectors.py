"""Reads of marketing: a campaign's or a journey's report.

The effect is measured against the hold-out: for each recipient (sent group and
hold-out alike) we count the bookings the card made (appointments created, but
not holds, expired holds or cancelled visits) and the revenue of its completed visits,
both within `window_days` of the recipient's `base_at` (the campaign's start, the
journey's day). Per recipient means in each group, their difference, and its 95 %
confidence interval by Welch's t (unequal variances, Welch–Satterthwaite degrees
of freedom); the booking rate's difference gets a Wald interval on the two
proportions. With too few people in a group the interval is not given.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Count, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_scopes import scopes_disabled
from scipy import stats  # type: ignore[import-untyped]

from solibook.billing.models import Charge
from solibook.booking.models import Appointment, Status
from solibook.clients.models import Client
from solibook.marketing import templating
from solibook.marketing.audience import consenting, latest_consents
from solibook.marketing.models import Campaign, CampaignTemplate, Journey, JourneyKind, Recipient
from solibook.notifications.models import NotificationStatus

NOT_A_BOOKING = (Status.EXPIRED, Status.HOLD, Status.AWAITING_DEPOSIT, Status.CANCELLED)


@dataclass
class Interval:
    difference: float
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    def scaled(self, factor: float, digits: int | None = None) -> "Interval":
        """The same interval in other units (× 100 for percent, rounded for minor units)."""

        def scale(value):
            return None if value is None else round(value * factor, digits)

        return Interval(scale(self.difference), scale(self.low), scale(self.high))

    @property
    def percent(self) -> "Interval":
        return self.scaled(100, 1)

    @property
    def minor(self) -> "Interval":
        return self.scaled(1)


@dataclass
class GroupFigures:
    size: int = 0
    booked: int = 0  # recipients with at least one booking
    bookings: int = 0
    revenue: int = 0  # minor units

    @property
    def bookings_per_recipient(self) -> float:
        return self.bookings / self.size if self.size else 0.0

    @property
    def revenue_per_recipient(self) -> float:
        return self.revenue / self.size if self.size else 0.0

    @property
    def booking_rate(self) -> float:
        return self.booked / self.size if self.size else 0.0

    @property
    def revenue_per_recipient_minor(self) -> int:
        return round(self.revenue_per_recipient)


@dataclass
class Report:
    window_days: int
    sent: GroupFigures
    holdout: GroupFigures
    queued: int = 0
    delivered: int = 0
    failed: int = 0
    pending: int = 0
    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    skipped: int = 0
    emails: int = 0
    sms: int = 0
    sms_cost: int = 0  # minor units of the salon's billing currency (0 within its credits)
    sms_currency: str = ""
    by_channel: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    bookings: Interval | None = None
    revenue: Interval | None = None
    booking_rate: Interval | None = None
    window_open: bool = False  # some recipients' windows have not ended yet

    @property
    def open_rate(self) -> float:
        return self.opened / self.emails if self.emails else 0.0

    @property
    def click_rate(self) -> float:
        return self.clicked / self.delivered if self.delivered else 0.0


def welch(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> Interval:
    """mean(a) − mean(b) with Welch's t interval (None bounds with < 2 per group)."""
    diff = float(a.mean() - b.mean()) if len(a) and len(b) else 0.0
    if len(a) < 2 or len(b) < 2:
        return Interval(diff, None, None)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return Interval(diff, diff, diff)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    t = float(stats.t.ppf(0.5 + confidence / 2, dof))
    return Interval(diff, diff - t * se, diff + t * se)


def wald(booked_a: int, n_a: int, booked_b: int, n_b: int) -> Interval:
    if not n_a or not n_b:
        return Interval(0.0, None, None)
    pa, pb = booked_a / n_a, booked_b / n_b
    diff = pa - pb
    if n_a < 2 or n_b < 2:
        return Interval(diff, None, None)
    se = math.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    z = float(stats.norm.ppf(0.975))
    return Interval(diff, diff - z * se, diff + z * se)


def _outcomes(rows, window: timedelta):
    """Per recipient: (group, bookings, revenue) within the window after base_at."""
    in_window = Q(
        created_at__gte=OuterRef("base_at"),
        created_at__lt=ExpressionWrapper(
            OuterRef("base_at") + window, output_field=rows.model._meta.get_field("base_at")
        ),
    )
    visits = Appointment.objects.filter(client_card=OuterRef("client_id"))
    bookings = (
        visits.filter(in_window)
        .exclude(status__in=NOT_A_BOOKING)
        .order_by()
        .values("client_card")
        .annotate(n=Count("id"))
        .values("n")
    )
    revenue = (
        visits.filter(
            status=Status.COMPLETED,
            starts_at__gte=OuterRef("base_at"),
            starts_at__lt=ExpressionWrapper(
                OuterRef("base_at") + window, output_field=rows.model._meta.get_field("base_at")
            ),
        )
        .order_by()
        .values("client_card")
        .annotate(total=Sum("price_amount"))
        .values("total")
    )
    return rows.annotate(
        n_bookings=Coalesce(Subquery(bookings), 0),
        revenue=Coalesce(Subquery(revenue), 0),
    ).values_list("group", "n_bookings", "revenue")


def effect(rows, *, window_days: int, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    window = timedelta(days=window_days)
    groups: dict[str, list[tuple[int, int]]] = {"sent": [], "holdout": []}
    for group, n, revenue in _outcomes(rows, window):
        groups[group].append((n, revenue))
    figures = {}
    arrays = {}
    for group, values in groups.items():
        data = np.array(values, dtype=float).reshape(-1, 2)
        arrays[group] = data
        figures[group] = GroupFigures(
            size=len(values),
            booked=int((data[:, 0] > 0).sum()),
            bookings=int(data[:, 0].sum()),
            revenue=int(data[:, 1].sum()),
        )
    report = Report(window_days=window_days, sent=figures["sent"], holdout=figures["holdout"])
    a, b = arrays["sent"], arrays["holdout"]
    report.bookings = welch(a[:, 0], b[:, 0])
    report.revenue = welch(a[:, 1], b[:, 1])
    report.booking_rate = wald(
        report.sent.booked, report.sent.size, report.holdout.booked, report.holdout.size
    )
    sent_rows = rows.filter(group=Recipient.Group.SENT)
    counts = sent_rows.aggregate(
        queued=Count("id", filter=Q(notification__isnull=False)),
        delivered=Count("id", filter=Q(notification__status=NotificationStatus.SENT)),
        failed=Count(
            "id",
            filter=Q(
                notification__status__in=(NotificationStatus.FAILED, NotificationStatus.CANCELLED),
                notification__next_attempt_at__isnull=True,
            ),
        ),
        pending=Count(
            "id",
            filter=Q(
                notification__status__in=(NotificationStatus.PENDING, NotificationStatus.SENDING)
            )
            | Q(
                notification__status=NotificationStatus.FAILED,
                notification__next_attempt_at__isnull=False,
            ),
        ),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        clicked=Count("id", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("id", filter=Q(unsubscribed_at__isnull=False)),
        skipped=Count("id", filter=~Q(skipped="")),
        emails=Count("id", filter=Q(channel="email", notification__status=NotificationStatus.SENT)),
        sms=Count("id", filter=Q(channel="sms", notification__status=NotificationStatus.SENT)),
    )
    for name in ("queued", "delivered", "failed", "pending", "opened", "clicked", "unsubscribed"):
        setattr(report, name, counts[name])
    report.skipped, report.emails, report.sms = counts["skipped"], counts["emails"], counts["sms"]
    report.by_channel = dict(
        sent_rows.exclude(channel="")
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    report.by_language = dict(
        sent_rows.exclude(language="")
        .values("language")
        .annotate(n=Count("id"))
        .values_list("language", "n")
    )
    sms_ids = list(
        sent_rows.filter(channel="sms", notification__status=NotificationStatus.SENT).values_list(
            "notification_id", flat=True
        )
    )
    total, currency = 0, ""
    for start in range(0, len(sms_ids), 5000):
        sources = [f"sms:notification:{pk}" for pk in sms_ids[start : start + 5000]]
        for amount, cur in Charge.objects.filter(source__in=sources).values_list(
            "amount", "currency"
        ):
            total, currency = total + amount, cur
    report.sms_cost, report.sms_currency = total, currency
    latest = rows.order_by("-base_at").values_list("base_at", flat=True).first()
    report.window_open = bool(latest and latest + window > now)
    return report


def campaign_report(*, campaign: Campaign, now: datetime | None = None) -> Report:
    return effect(
        Recipient.objects.filter(campaign=campaign), window_days=campaign.window_days, now=now
    )


def journey_report(*, business, kind: str, window_days: int, now: datetime | None = None) -> Report:
    return effect(
        Recipient.objects.filter(business=business, journey=kind), window_days=window_days, now=now
    )


def journeys_overview(*, business, window_days: int) -> list[dict]:
    rows = {j.kind: j for j in Journey.objects.filter(business=business)}
    return [
        {
            "kind": kind,
            "label": label,
            "journey": rows.get(kind),
            "report": journey_report(business=business, kind=kind, window_days=window_days),
        }
        for kind, label in JourneyKind.choices
    ]


def client_subscriptions(*, user) -> list[dict]:
    """The signed-in client's salons (their cards) and whether each may send them offers."""
    with scopes_disabled():
        cards = list(
            Client.objects.filter(user=user, erased_at__isnull=True)
            .select_related("business")
            .order_by("business__name")
        )
        consents = latest_consents([card.pk for card in cards])
    return [
        {"business": card.business, "subscribed": consenting(consents.get(card.pk, {}))}
        for card in cards
    ]


def campaign_previews(*, campaign: Campaign, business) -> list[dict]:
    """The message in each of its languages on sample values (a problem: its message)."""
    values = {**templating.SAMPLE, "salon": business.name}
    if not campaign.offer:
        values.update(code="", discount="", service="", valid_until="")
    else:
        values["discount"] = f"{campaign.discount_percent} %"
        if campaign.offer == Campaign.Offer.SERVICE and campaign.service is not None:
            values["service"] = campaign.service.name
        else:
            values["service"] = ""
    names = dict(settings.LANGUAGES)
    rows = []
    for template in CampaignTemplate.objects.filter(campaign=campaign):
        try:
            subject = templating.render(template.subject, values)
            body = templating.render(template.body, values)
            problem = ""
        except templating.TemplateProblem as exc:
            subject, body, problem = "", "", str(exc)
        rows.append(
            {
                "language": template.language,
                "name": names.get(template.language, template.language),
                "subject": " ".join(subject.split()),
                "body": body.strip(),
                "problem": problem,
            }
        )
    return rows
