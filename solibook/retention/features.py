"""What a client's history says at a cut-off date: the churn model's features and its label.

Pure Python and numpy, no ORM and no clock: the history is read once
(`retention.history.visit_history`) and every cut-off is computed from it, so the
model can be trained at several past cut-offs and scored at `now` from one query.

Times are days (floats) since an arbitrary origin; what matters is differences.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy as np

# How far after a cut-off a client must come back not to count as churned.
HORIZON_DAYS = 90.0
# The window of "recent" visits compared with the window before it (the visits trend).
TREND_DAYS = 180.0
# The salon's usual interval when a client has a single visit and the salon too few repeats.
DEFAULT_INTERVAL_DAYS = 42.0

FEATURES = (
    "overdue",  # days since the last visit / the client's own usual interval
    "log_days_since",
    "log_interval",
    "recent_visits",  # visits in the last TREND_DAYS
    "trend",  # recent visits − visits in the TREND_DAYS before
    "stretch",  # the last interval / the usual one (intervals stretching before a stop)
    "log_spend_per_visit",
    "no_show_rate",
    "bad_review",  # the last review before the cut-off had 1 or 2 stars
    "good_review",  # … 4 or 5 stars
    "single_visit",
)
# Left out on purpose: the number of visits and the tenure. Both grow with the length of
# the salon's recorded history, so at the earlier cut-offs the model learns from they are
# systematically smaller than at `now` (measured: they cost up to 0.025 ROC-AUC).


@dataclass
class ClientHistory:
    visits: list[float] = field(default_factory=list)  # completed visits, sorted
    spend: list[int] = field(default_factory=list)  # minor units, beside `visits`
    no_shows: list[float] = field(default_factory=list)  # sorted
    reviews: list[tuple[float, int]] = field(default_factory=list)  # (day, stars), sorted


@dataclass(frozen=True)
class Snapshot:
    """One client at one cut-off: the features and the plain figures the reasons quote."""

    client_id: int
    x: tuple[float, ...]
    days_since: float
    interval: float  # the client's own usual interval (or the salon's)
    own_interval: bool  # False when the interval is the salon's, not the client's
    recent_visits: int
    previous_visits: int
    last_rating: int | None
    no_shows: int
    visits: int


def salon_interval(histories: dict[int, ClientHistory], cutoff: float) -> float:
    """The median interval between consecutive visits of the salon's clients before `cutoff`."""
    gaps: list[float] = []
    for history in histories.values():
        visits = history.visits[: bisect_right(history.visits, cutoff)]
        gaps.extend(b - a for a, b in zip(visits, visits[1:], strict=False) if b > a)
    return float(np.median(gaps)) if len(gaps) >= 5 else DEFAULT_INTERVAL_DAYS


def snapshot(
    client_id: int, history: ClientHistory, cutoff: float, fallback_interval: float
) -> Snapshot | None:
    """The client's features at `cutoff`, or None when the client had no visit before it."""
    n = bisect_right(history.visits, cutoff)
    if n == 0:
        return None
    visits = history.visits[:n]
    spend = history.spend[:n]
    days_since = max(cutoff - visits[-1], 0.0)
    gaps = [b - a for a, b in zip(visits, visits[1:], strict=False)]
    own = len(gaps) >= 1
    interval = float(np.median(gaps)) if own else fallback_interval
    interval = max(interval, 7.0)
    stretch = gaps[-1] / interval if own else 1.0
    recent = n - bisect_left(visits, cutoff - TREND_DAYS)
    previous = bisect_left(visits, cutoff - TREND_DAYS) - bisect_left(
        visits, cutoff - 2 * TREND_DAYS
    )
    no_shows = bisect_right(history.no_shows, cutoff)
    rating = None
    for day, stars in reversed(history.reviews):
        if day <= cutoff:
            rating = stars
            break
    x = (
        min(days_since / interval, 20.0),
        math.log1p(days_since),
        math.log(interval),
        float(recent),
        float(recent - previous),
        min(stretch, 10.0),
        math.log1p(sum(spend) / n / 100),
        no_shows / (n + no_shows),
        1.0 if rating is not None and rating <= 2 else 0.0,
        1.0 if rating is not None and rating >= 4 else 0.0,
        1.0 if n == 1 else 0.0,
    )
    return Snapshot(client_id, x, days_since, interval, own, recent, previous, rating, no_shows, n)


def snapshots(histories: dict[int, ClientHistory], cutoff: float) -> list[Snapshot]:
    fallback = salon_interval(histories, cutoff)
    found = []
    for client_id, history in histories.items():
        row = snapshot(client_id, history, cutoff, fallback)
        if row is not None:
            found.append(row)
    return found


def churned(history: ClientHistory, cutoff: float, horizon: float = HORIZON_DAYS) -> bool:
    """The label: no visit within `horizon` days after the cut-off."""
    i = bisect_right(history.visits, cutoff)
    return not (i < len(history.visits) and history.visits[i] <= cutoff + horizon)


def training_set(
    histories: dict[int, ClientHistory], cutoffs: list[float], horizon: float = HORIZON_DAYS
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels stacked over several cut-offs (each label window must end
    before the data does: the caller chooses cut-offs at least `horizon` before it)."""
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for cutoff in cutoffs:
        for row in snapshots(histories, cutoff):
            rows.append(row.x)
            labels.append(int(churned(histories[row.client_id], cutoff, horizon)))
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=int)
    return np.asarray(rows, dtype=float), np.asarray(labels, dtype=int)


def recency_score(row: Snapshot) -> float:
    """The baseline: days since the last visit (higher = more likely gone)."""
    return row.days_since
