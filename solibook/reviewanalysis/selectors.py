"""Reads of review analysis: strengths and weaknesses with quotes, trends, alerts, per master.

Everything here reads the readings cached on each review (`ReviewAnalysis`); nothing runs a
model on page load.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from solibook.booking.models import AppointmentItem
from solibook.catalog.models import Location, Master
from solibook.reviewanalysis.engine import ASPECTS
from solibook.reviewanalysis.models import ReviewAlert, ReviewAnalysis
from solibook.reviews.models import Review, ReviewStatus

MIN_MENTIONS = 3  # fewer mentions of an aspect say nothing either way
STRENGTH_SHARE = 0.7  # positive share at or above: a strength
WEAKNESS_SHARE = 0.4  # negative share at or above: a weakness
QUOTES = 3
MONTHS = 12


@dataclass
class AspectFigure:
    aspect: str
    positive: int = 0
    negative: int = 0
    quotes_pos: list[dict] = field(default_factory=list)
    quotes_neg: list[dict] = field(default_factory=list)
    label: str = ""  # the aspect's name in the reader's language (set by the pages)

    @property
    def mentions(self) -> int:
        return self.positive + self.negative

    @property
    def positive_share(self) -> float:
        return self.positive / self.mentions if self.mentions else 0.0

    @property
    def negative_share(self) -> float:
        return self.negative / self.mentions if self.mentions else 0.0


@dataclass
class Summary:
    reviews: int  # published reviews in the period
    analysed: int  # of which read by the models
    average_rating: float | None
    sentiment: dict[str, int]
    languages: dict[str, int]
    aspects: list[AspectFigure]
    strengths: list[AspectFigure]
    weaknesses: list[AspectFigure]
    trend: list[dict]  # per month: month, reviews, average rating, positive and negative shares
    alerts: list[ReviewAlert]
    masters: list[dict]
    since: date
    until: date


def _zone(business) -> ZoneInfo:
    location = Location.objects.filter(business=business).order_by("pk").first()
    return ZoneInfo(location.time_zone if location else "UTC")


def _month_starts(until: date, months: int) -> list[date]:
    first = until.replace(day=1)
    out = []
    for _i in range(months):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def summary(
    *, business, now: datetime, master: Master | None = None, months: int = MONTHS
) -> Summary:
    zone = _zone(business)
    until = now.astimezone(zone).date()
    starts = _month_starts(until, months)
    since = starts[0]
    rows = Review.objects.filter(
        business=business,
        status=ReviewStatus.PUBLISHED,
        created_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=zone),
        created_at__lte=now,
    )
    if master is not None:
        rows = rows.filter(appointment__items__master=master).distinct()
    reviews = list(
        rows.order_by("-created_at", "-pk").values(
            "pk",
            "rating",
            "text",
            "created_at",
            "author_name",
            "analysis__sentiment",
            "analysis__language",
            "analysis__aspects",
        )
    )
    figures = {a: AspectFigure(a) for a in ASPECTS}
    sentiment: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    per_month: dict[date, list] = defaultdict(list)
    analysed = 0
    for row in reviews:
        month = row["created_at"].astimezone(zone).date().replace(day=1)
        per_month[month].append(row)
        if row["analysis__language"] is None:
            continue
        analysed += 1
        languages[row["analysis__language"]] += 1
        if row["analysis__sentiment"]:
            sentiment[row["analysis__sentiment"]] += 1
        for aspect, found in (row["analysis__aspects"] or {}).items():
            figure = figures.get(aspect)
            if figure is None:
                continue
            quote = {
                "text": found.get("quote", ""),
                "review_id": row["pk"],
                "rating": row["rating"],
                "author": row["author_name"],
                "date": row["created_at"].astimezone(zone).date(),
            }
            if found.get("polarity") == "pos":
                figure.positive += 1
                if len(figure.quotes_pos) < QUOTES:
                    figure.quotes_pos.append(quote)
            elif found.get("polarity") == "neg":
                figure.negative += 1
                if len(figure.quotes_neg) < QUOTES:
                    figure.quotes_neg.append(quote)
    aspects = list(figures.values())
    strengths = sorted(
        (f for f in aspects if f.mentions >= MIN_MENTIONS and f.positive_share >= STRENGTH_SHARE),
        key=lambda f: (-f.positive_share, -f.mentions),
    )
    weaknesses = sorted(
        (f for f in aspects if f.mentions >= MIN_MENTIONS and f.negative_share >= WEAKNESS_SHARE),
        key=lambda f: (-f.negative_share, -f.mentions),
    )
    trend = []
    for month in starts:
        group = per_month.get(month, [])
        read = [r for r in group if r["analysis__sentiment"]]
        trend.append(
            {
                "month": month,
                "reviews": len(group),
                "average_rating": round(sum(r["rating"] for r in group) / len(group), 2)
                if group
                else None,
                "positive_share": round(
                    sum(r["analysis__sentiment"] == "positive" for r in read) / len(read), 3
                )
                if read
                else None,
                "negative_share": round(
                    sum(r["analysis__sentiment"] == "negative" for r in read) / len(read), 3
                )
                if read
                else None,
            }
        )
    alerts = ReviewAlert.objects.filter(business=business).select_related(
        "master", "first_review", "last_review"
    )
    if master is not None:
        alerts = alerts.filter(master=master)
    return Summary(
        reviews=len(reviews),
        analysed=analysed,
        average_rating=round(sum(r["rating"] for r in reviews) / len(reviews), 2)
        if reviews
        else None,
        sentiment=dict(sentiment),
        languages=dict(languages),
        aspects=aspects,
        strengths=strengths,
        weaknesses=weaknesses,
        trend=trend,
        alerts=list(alerts[:20]),
        masters=[] if master is not None else masters_table(business=business, since=since),
        since=since,
        until=until,
    )


def masters_table(*, business, since: date) -> list[dict]:
    """Per master: reviews, average stars, sentiment shares, their strongest and weakest aspect."""
    items = (
        AppointmentItem.objects.filter(
            business=business,
            appointment__review__status=ReviewStatus.PUBLISHED,
            appointment__review__created_at__date__gte=since,
        )
        .exclude(master=None)
        .values(
            "master_id",
            "appointment__review__pk",
            "appointment__review__rating",
            "appointment__review__analysis__sentiment",
            "appointment__review__analysis__aspects",
        )
        .distinct()
    )
    per_master: dict[int, dict[int, Any]] = defaultdict(dict)
    for item in items:
        per_master[item["master_id"]][item["appointment__review__pk"]] = item
    names = {m.pk: m for m in Master.objects.filter(pk__in=per_master.keys())}
    table = []
    for master_id, by_review in per_master.items():
        rows = list(by_review.values())
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            for aspect, found in (row["appointment__review__analysis__aspects"] or {}).items():
                counts[aspect][found.get("polarity", "")] += 1
        scored = [
            (aspect, c["pos"] / (c["pos"] + c["neg"]), c["pos"] + c["neg"])
            for aspect, c in counts.items()
            if c["pos"] + c["neg"] >= MIN_MENTIONS
        ]
        read = [r for r in rows if r["appointment__review__analysis__sentiment"]]
        table.append(
            {
                "master": names[master_id],
                "reviews": len(rows),
                "average_rating": round(
                    sum(r["appointment__review__rating"] for r in rows) / len(rows), 2
                ),
                "positive_share": round(
                    sum(r["appointment__review__analysis__sentiment"] == "positive" for r in read)
                    / len(read),
                    3,
                )
                if read
                else None,
                "strength": max(scored, key=lambda s: (s[1], s[2]))[0]
                if scored and max(s[1] for s in scored) >= STRENGTH_SHARE
                else "",
                "weakness": min(scored, key=lambda s: (s[1], -s[2]))[0]
                if scored and 1 - min(s[1] for s in scored) >= WEAKNESS_SHARE
                else "",
            }
        )
    table.sort(key=lambda r: (-r["reviews"], r["master"].display_name))
    return table


def review_readings(*, business, limit: int = 50, sentiment: str = "", language: str = ""):
    """The latest readings, newest first (the API's list)."""
    rows = ReviewAnalysis.objects.filter(
        business=business, review__status=ReviewStatus.PUBLISHED
    ).select_related("review")
    if sentiment:
        rows = rows.filter(sentiment=sentiment)
    if language:
        rows = rows.filter(language=language)
    return rows.order_by("-review__created_at", "-pk")[:limit]
