"""Reads of retention: each client card's churn risk with its reasons in words, and the
RFM segments that campaigns use as audiences.

- `churn_risk(business=, now=, clients=None)` → card id → `ChurnRisk` for every card
  with at least one visit before `now`. When the salon has enough history, the
  probability comes from the churn model (`retention.model`), trained on the salon's own
  past; otherwise `probability` is None, `method` is "recency" and the band comes from
  the recency rule (days since the last visit against the client's own interval).
- `SEGMENTS` (code → label) and `segment_clients(business=, code=, now=)`: RFM scores
  1–5 by quintile within the salon, mapped to one segment per card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from solibook.booking.models import Appointment, Status
from solibook.clients.models import Client
from solibook.clients.selectors import active_clients
from solibook.core.tenancy import business_scope
from solibook.retention import model as churn_model
from solibook.retention.features import ClientHistory, Snapshot, snapshots
from solibook.retention.history import day_of, visit_history

LOW, MEDIUM, HIGH = "low", "medium", "high"
BANDS = {LOW: gettext_lazy("Low"), MEDIUM: gettext_lazy("Medium"), HIGH: gettext_lazy("High")}
# Probability cut-offs of the bands (model); overdue ratios of the bands (recency rule).
PROBABILITY_BANDS = (0.4, 0.7)
OVERDUE_BANDS = (1.5, 3.0)
MODEL, RECENCY = "model", "recency"


@dataclass(frozen=True)
class ChurnRisk:
    probability: float | None  # None: the salon is too new for a model (recency rule)
    band: str  # "low" / "medium" / "high"
    reasons: list[str] = field(default_factory=list)  # translated, most telling first
    method: str = MODEL  # "model" or "recency"
    booked: bool = False  # a visit is booked after `now`: the band is low whatever the score

    @property
    def band_label(self) -> str:
        return str(BANDS[self.band])

    @property
    def percent(self) -> int | None:
        return None if self.probability is None else round(self.probability * 100)


def _fingerprint(business) -> str:
    row = Appointment.objects.filter(business=business).aggregate(
        n=Count("id"), t=Max("updated_at")
    )
    stamp = row["t"].timestamp() if row["t"] else 0
    return f"{row['n']}:{stamp}"


def trained_model(
    *, business, now: datetime, histories: dict[int, ClientHistory]
) -> churn_model.ChurnModel | None:
    """The salon's churn model at `now` (cached for the day until its appointments change),
    or None when it has too little history."""
    key = f"retention:churn:{business.pk}:{now.date()}:{_fingerprint(business)}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    fitted = churn_model.fit(histories, churn_model.training_cutoffs(day_of(now)))
    cache.set(key, fitted or False, 6 * 3600)
    return fitted


def _band(value: float, cuts: tuple[float, float]) -> str:
    return LOW if value < cuts[0] else MEDIUM if value < cuts[1] else HIGH


def reasons_for(row: Snapshot) -> list[str]:
    """The main reasons in words, most telling first."""
    found: list[str] = []
    days, interval = round(row.days_since), round(row.interval)
    if row.days_since > 1.5 * row.interval:
        if row.own_interval:
            found.append(
                _("Overdue: %(days)s days since the last visit, usually every %(interval)s days")
                % {"days": days, "interval": interval}
            )
        else:
            found.append(
                _(
                    "Overdue: %(days)s days since the only visit; clients of the salon "
                    "usually come back within %(interval)s days"
                )
                % {"days": days, "interval": interval}
            )
    if row.recent_visits < row.previous_visits:
        found.append(
            _("Fewer visits: %(recent)s in the last 6 months, %(previous)s in the 6 months before")
            % {"recent": row.recent_visits, "previous": row.previous_visits}
        )
    if row.last_rating is not None and row.last_rating <= 2:
        found.append(
            ngettext(
                "A bad review: %(n)s star at the last review",
                "A bad review: %(n)s stars at the last review",
                row.last_rating,
            )
            % {"n": row.last_rating}
        )
    if row.no_shows >= 2:
        found.append(
            ngettext("%(n)s no-show", "%(n)s no-shows", row.no_shows) % {"n": row.no_shows}
        )
    return found


def _upcoming(business, now: datetime) -> set[int]:
    return set(
        Appointment.objects.filter(
            business=business,
            client_card__isnull=False,
            starts_at__gt=now,
            status__in=(Status.CONFIRMED, Status.HOLD, Status.AWAITING_DEPOSIT),
        ).values_list("client_card_id", flat=True)
    )


@dataclass
class Scored:
    """The language-free part of the salon's churn scores at one moment (cached)."""

    rows: list[Snapshot]
    scores: list[float] | None  # None: no model (the recency rule)
    booked: set[int]


def scored(*, business, now: datetime) -> Scored:
    """Every card's snapshot and score at `now`, cached for the hour until appointments change."""
    with business_scope(business):
        key = f"retention:scored:{business.pk}:{now:%Y-%m-%dT%H}:{_fingerprint(business)}"
        found = cache.get(key)
        if found is not None:
            return found
        histories = visit_history(business=business, now=now)
        fitted = trained_model(business=business, now=now, histories=histories)
        booked = _upcoming(business, now)
    rows = snapshots(histories, day_of(now))
    scores = None
    if fitted is not None:
        x = np.asarray([row.x for row in rows], dtype=float).reshape(len(rows), -1)
        scores = [float(p) for p in fitted.predict(x)] if rows else []
    found = Scored(rows, scores, booked)
    cache.set(key, found, 3600)
    return found


def churn_risk(*, business, now: datetime, clients=None) -> dict[int, ChurnRisk]:
    """Card id → its churn risk, for every card with a visit before `now` (narrowed to
    `clients`, ids or cards, when given)."""
    state = scored(business=business, now=now)
    wanted = None if clients is None else {getattr(c, "pk", c) for c in clients}
    found: dict[int, ChurnRisk] = {}
    for i, row in enumerate(state.rows):
        if wanted is not None and row.client_id not in wanted:
            continue
        reasons = reasons_for(row)
        is_booked = row.client_id in state.booked
        if state.scores is not None:
            probability: float | None = state.scores[i]
            band = _band(state.scores[i], PROBABILITY_BANDS)
            method = MODEL
        else:
            probability = None
            band = _band(row.days_since / row.interval, OVERDUE_BANDS)
            method = RECENCY
        if is_booked:
            band = LOW
            reasons = [_("Next visit already booked")]
        found[row.client_id] = ChurnRisk(probability, band, reasons, method, is_booked)
    return found


def risk_order(risk: ChurnRisk, overdue: float) -> tuple[int, float]:
    """Sort key, riskiest first: the band, then the probability (or how overdue)."""
    rank = {HIGH: 0, MEDIUM: 1, LOW: 2}[risk.band]
    return rank, -(risk.probability if risk.probability is not None else overdue)


# --- RFM segments ------------------------------------------------------------------

SEGMENTS = {
    "champions": gettext_lazy("Champions"),
    "loyal": gettext_lazy("Loyal"),
    "promising": gettext_lazy("Promising"),
    "new": gettext_lazy("New"),
    "at_risk": gettext_lazy("At risk"),
    "cannot_lose": gettext_lazy("Cannot lose them"),
    "hibernating": gettext_lazy("Hibernating"),
    "lost": gettext_lazy("Lost"),
}
SEGMENT_HELP = {
    "champions": gettext_lazy("Came recently, come often and spend the most"),
    "loyal": gettext_lazy("Come regularly and spend well"),
    "promising": gettext_lazy("Came recently, a few visits so far"),
    "new": gettext_lazy("First visit recently"),
    "at_risk": gettext_lazy("Used to come often, not seen for a while"),
    "cannot_lose": gettext_lazy("The best clients, not seen for a long time"),
    "hibernating": gettext_lazy("Few visits, long ago"),
    "lost": gettext_lazy("One or two visits, long ago"),
}


@dataclass(frozen=True)
class Rfm:
    recency: int  # 1–5, 5 = came most recently
    frequency: int  # 1–5, 5 = most visits
    monetary: int  # 1–5, 5 = most spent
    segment: str
    days_since: int
    visits: int
    spend: int  # minor units

    @property
    def segment_label(self) -> str:
        return str(SEGMENTS[self.segment])


def _quintiles(values: np.ndarray) -> np.ndarray:
    """1–5 by rank within the salon (ties share the average rank)."""
    if len(values) == 0:
        return np.zeros(0, dtype=int)
    order = values.argsort(kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    # ties: the mean rank of equal values
    uniq, inverse = np.unique(values, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    counts = np.bincount(inverse)
    ranks = (sums / counts)[inverse]
    return np.clip(1 + (5 * (ranks + 0.5) / len(values)).astype(int), 1, 5)


def segment_of(r: int, f: int, m: int, visits: int) -> str:
    fm = round((f + m) / 2)
    if visits == 1 and r >= 4:
        return "new"
    if r >= 4 and fm >= 4:
        return "champions"
    if r >= 3 and fm >= 3:
        return "loyal"
    if r >= 3:
        return "promising"
    if fm >= 4:
        return "cannot_lose" if r == 1 else "at_risk"
    if fm == 3:
        return "at_risk" if r == 2 else "hibernating"
    return "hibernating" if r == 2 else "lost"


def rfm(*, business, now: datetime) -> dict[int, Rfm]:
    """Card id → its RFM scores and segment, for every card with a visit before `now`
    (cached for the hour until the salon's appointments change)."""
    with business_scope(business):
        key = f"retention:rfm:{business.pk}:{now:%Y-%m-%dT%H}:{_fingerprint(business)}"
        found = cache.get(key)
        if found is None:
            found = _rfm(visit_history(business=business, now=now), now)
            cache.set(key, found, 3600)
    return found


def _rfm(histories: dict[int, ClientHistory], now: datetime) -> dict[int, Rfm]:
    today = day_of(now)
    ids = [cid for cid, h in histories.items() if h.visits]
    if not ids:
        return {}
    days = np.asarray([today - histories[c].visits[-1] for c in ids])
    visits = np.asarray([len(histories[c].visits) for c in ids])
    spend = np.asarray([sum(histories[c].spend) for c in ids])
    r = _quintiles(-days)
    f = _quintiles(visits.astype(float))
    m = _quintiles(spend.astype(float))
    return {
        cid: Rfm(
            int(r[i]),
            int(f[i]),
            int(m[i]),
            segment_of(int(r[i]), int(f[i]), int(m[i]), int(visits[i])),
            round(float(days[i])),
            int(visits[i]),
            int(spend[i]),
        )
        for i, cid in enumerate(ids)
    }


def segment_counts(*, business, now: datetime) -> dict[str, int]:
    counts = dict.fromkeys(SEGMENTS, 0)
    for score in rfm(business=business, now=now).values():
        counts[score.segment] += 1
    return counts


def segment_clients(*, business, code: str, now: datetime) -> QuerySet[Client]:
    """The salon's client cards in the RFM segment `code` (a key of SEGMENTS) at `now`.
    An unknown code is a KeyError. Evaluate the query set inside the business's scope."""
    if code not in SEGMENTS:
        raise KeyError(code)
    ids = [cid for cid, score in rfm(business=business, now=now).items() if score.segment == code]
    with business_scope(business):
        return active_clients(business=business).filter(pk__in=ids)


# --- pages and API -----------------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    client: Client
    risk: ChurnRisk
    rfm: Rfm | None
    days_since: int


@dataclass(frozen=True)
class Overview:
    method: str  # "model" or "recency"
    segments: list[tuple[str, str, str, int]]  # code, label, description, count
    at_risk: list[AtRisk]
    at_risk_total: int
    scored: int  # cards with a visit


def at_risk(*, business, now: datetime, bands=(HIGH, MEDIUM), limit: int | None = 50):
    """The cards at risk, riskiest first (booked ones left out), with their card and RFM."""
    risks = churn_risk(business=business, now=now)
    overdue = {
        row.client_id: row.days_since / row.interval
        for row in scored(business=business, now=now).rows
    }
    days = {row.client_id: round(row.days_since) for row in scored(business=business, now=now).rows}
    wanted = sorted(
        (cid for cid, r in risks.items() if r.band in bands and not r.booked),
        key=lambda cid: risk_order(risks[cid], overdue[cid]),
    )
    total = len(wanted)
    if limit is not None:
        wanted = wanted[:limit]
    scores = rfm(business=business, now=now)
    with business_scope(business):
        cards = active_clients(business=business).in_bulk(wanted)
    rows = [
        AtRisk(cards[cid], risks[cid], scores.get(cid), days[cid]) for cid in wanted if cid in cards
    ]
    return rows, total


def overview(*, business, now: datetime, limit: int = 50) -> Overview:
    counts = segment_counts(business=business, now=now)
    rows, total = at_risk(business=business, now=now, limit=limit)
    state = scored(business=business, now=now)
    return Overview(
        MODEL if state.scores is not None else RECENCY,
        [
            (code, str(label), str(SEGMENT_HELP[code]), counts[code])
            for code, label in SEGMENTS.items()
        ],
        rows,
        total,
        len(state.rows),
    )


def client_retention(*, business, client, now: datetime) -> tuple[ChurnRisk | None, Rfm | None]:
    """One card's churn risk and RFM segment (None, None when it has no visit yet)."""
    risk = churn_risk(business=business, now=now, clients=[client.pk]).get(client.pk)
    return risk, rfm(business=business, now=now).get(client.pk)
