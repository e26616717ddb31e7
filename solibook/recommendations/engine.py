"""Service recommendations for a client: a small learned ranker over four signals.

Pure Python and numpy, no ORM and no clock. Per (client, service) the features are
- own history: the share of the client's visits with the service, whether the last visit
  had it, and how due it is (days since it / the client's own interval for it);
- similar clients: item–item co-occurrence (cosine between services over clients'
  histories), summed over the services the client has had;
- the card: how much more often clients of the same hair type and skin type book the
  service than everyone (log lift, smoothed);
- popularity: the service's share of the salon's bookings (the baseline on its own).

A logistic regression weighs them, trained on the salon's own past: features at an
earlier cut-off, label = the service was in the client's next visit after it.
Popularity alone is the baseline it must beat (hit@5 on each client's next visit).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

# How far before the cut-off the ranker's own training cut-off sits.
RANKER_SPLIT_DAYS = 90.0
MIN_RANKER_POSITIVES = 20
DUE_CAP = 3.0
FEATURES = ("own_share", "in_last", "due", "cooc", "hair_lift", "skin_lift", "popularity")
# Fallback weights when there is too little to learn them: own history first, then the rest.
DEFAULT_WEIGHTS = np.asarray([3.0, 1.0, 0.5, 1.0, 0.3, 0.3, 1.0])


@dataclass
class Visit:
    day: float
    services: tuple[int, ...]


@dataclass
class Histories:
    """Each card's visits (sorted by day) and its hair and skin types."""

    visits: dict[int, list[Visit]] = field(default_factory=dict)
    hair: dict[int, str] = field(default_factory=dict)
    skin: dict[int, str] = field(default_factory=dict)

    def before(self, client_id: int, cutoff: float) -> list[Visit]:
        visits = self.visits.get(client_id, [])
        return visits[: bisect_right([v.day for v in visits], cutoff)]

    def next_after(self, client_id: int, cutoff: float, until: float) -> Visit | None:
        for visit in self.visits.get(client_id, []):
            if cutoff < visit.day <= until:
                return visit
        return None


@dataclass
class Statistics:
    """What the salon's bookings before a cut-off say about its services."""

    services: list[int]
    index: dict[int, int]
    popularity: np.ndarray  # share of bookings
    counts: np.ndarray  # bookings per service
    cosine: np.ndarray  # service × service, over clients (diagonal 0)
    together: np.ndarray  # service × service: visits with both
    hair_lift: dict[str, np.ndarray]
    skin_lift: dict[str, np.ndarray]
    intervals: np.ndarray  # each service's median interval between a client's repeats

    @property
    def size(self) -> int:
        return len(self.services)


def _lift(groups: dict[str, np.ndarray], overall: np.ndarray) -> dict[str, np.ndarray]:
    """log((count in group + 1) / (group size·share + 1)): smoothed, 0 for a small group."""
    share = overall / max(overall.sum(), 1.0)
    return {
        key: np.log((counts + 1.0) / (counts.sum() * share + 1.0)) for key, counts in groups.items()
    }


def statistics(histories: Histories, cutoff: float, services: list[int]) -> Statistics:
    index = {s: i for i, s in enumerate(services)}
    n = len(services)
    counts = np.zeros(n)
    per_client: dict[int, np.ndarray] = {}
    together = np.zeros((n, n))
    hair: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n))
    skin: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n))
    gaps: dict[int, list[float]] = defaultdict(list)
    for client_id in histories.visits:
        visits = histories.before(client_id, cutoff)
        if not visits:
            continue
        row = np.zeros(n)
        last_seen: dict[int, float] = {}
        for visit in visits:
            ids = sorted({index[s] for s in visit.services if s in index})
            for i in ids:
                row[i] += 1
                if i in last_seen:
                    gaps[i].append(visit.day - last_seen[i])
                last_seen[i] = visit.day
            for a in ids:
                for b in ids:
                    if a != b:
                        together[a, b] += 1
        counts += row
        per_client[client_id] = row
        if histories.hair.get(client_id):
            hair[histories.hair[client_id]] += row
        if histories.skin.get(client_id):
            skin[histories.skin[client_id]] += row
    if per_client:
        matrix = np.log1p(np.vstack(list(per_client.values())))
        norms = np.linalg.norm(matrix, axis=0)
        norms[norms == 0] = 1.0
        cosine = (matrix.T @ matrix) / np.outer(norms, norms)
        np.fill_diagonal(cosine, 0.0)
    else:
        cosine = np.zeros((n, n))
    intervals = np.asarray([float(np.median(gaps[i])) if gaps[i] else 42.0 for i in range(n)])
    return Statistics(
        services,
        index,
        counts / max(counts.sum(), 1.0),
        counts,
        cosine,
        together,
        _lift(hair, counts),
        _lift(skin, counts),
        np.maximum(intervals, 7.0),
    )


def features(
    stats: Statistics, visits: list[Visit], hair: str, skin: str, day: float
) -> np.ndarray:
    """Service × FEATURES for one client at `day` (their visits before it)."""
    n = stats.size
    x = np.zeros((n, len(FEATURES)))
    x[:, 6] = np.log(stats.popularity + 1e-4)
    zero = np.zeros(n)
    x[:, 4] = stats.hair_lift.get(hair, zero) if hair else zero
    x[:, 5] = stats.skin_lift.get(skin, zero) if skin else zero
    if not visits:
        return x
    had = np.zeros(n)
    last_day = np.full(n, -math.inf)
    own_gaps: dict[int, list[float]] = defaultdict(list)
    for visit in visits:
        for s in set(visit.services):
            i = stats.index.get(s)
            if i is None:
                continue
            if had[i]:
                own_gaps[i].append(float(visit.day - last_day[i]))
            had[i] += 1
            last_day[i] = visit.day
    x[:, 0] = had / len(visits)
    for s in visits[-1].services:
        if s in stats.index:
            x[stats.index[s], 1] = 1.0
    for j in np.flatnonzero(had):
        k = int(j)
        interval = float(np.median(np.asarray(own_gaps[k]))) if own_gaps[k] else stats.intervals[k]
        x[k, 2] = min((day - last_day[k]) / max(interval, 7.0), DUE_CAP)
    x[:, 3] = (stats.cosine @ np.log1p(had)) / max(np.log1p(had).sum(), 1.0)
    return x


@dataclass
class Ranker:
    stats: Statistics
    weights: np.ndarray
    learned: bool
    train_size: int = 0

    def scores(self, visits: list[Visit], hair: str, skin: str, day: float) -> np.ndarray:
        return features(self.stats, visits, hair, skin, day) @ self.weights

    def top(self, visits: list[Visit], hair: str, skin: str, day: float, k: int) -> list[int]:
        if self.stats.size == 0:
            return []
        order = np.argsort(-self.scores(visits, hair, skin, day), kind="stable")
        return [self.stats.services[i] for i in order[:k]]


def popularity_top(stats: Statistics, k: int) -> list[int]:
    order = np.argsort(-stats.counts, kind="stable")
    return [stats.services[i] for i in order[:k] if stats.counts[i] > 0]


def _training_rows(
    histories: Histories, stats: Statistics, cutoff: float, until: float
) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for client_id in histories.visits:
        target = histories.next_after(client_id, cutoff, until)
        if target is None:
            continue
        visits = histories.before(client_id, cutoff)
        x = features(
            stats,
            visits,
            histories.hair.get(client_id, ""),
            histories.skin.get(client_id, ""),
            cutoff,
        )
        y = np.zeros(stats.size)
        for s in target.services:
            if s in stats.index:
                y[stats.index[s]] = 1
        rows.append(x)
        labels.append(y)
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.vstack(rows), np.concatenate(labels)


def fit(histories: Histories, cutoff: float, services: list[int]) -> Ranker:
    """The ranker for `cutoff`: statistics from everything before it; weights learned at an
    earlier cut-off (RANKER_SPLIT_DAYS before) on the next visits up to `cutoff`."""
    early = cutoff - RANKER_SPLIT_DAYS
    early_stats = statistics(histories, early, services)
    x, y = _training_rows(histories, early_stats, early, cutoff)
    stats = statistics(histories, cutoff, services)
    if y.sum() < MIN_RANKER_POSITIVES or y.sum() == len(y):
        return Ranker(stats, DEFAULT_WEIGHTS, learned=False)
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(x, y)
    return Ranker(stats, model.coef_[0], learned=True, train_size=int(len(y)))


def together_top(stats: Statistics, service_id: int, k: int, min_support: int = 3) -> list[int]:
    """Services most often in the same visit as `service_id` (at least `min_support` visits),
    by confidence (visits with both / visits with the service)."""
    i = stats.index.get(service_id)
    if i is None or stats.counts[i] == 0:
        return []
    row = stats.together[i]
    order = np.argsort(-row, kind="stable")
    return [stats.services[j] for j in order[:k] if row[j] >= min_support]


def bought_with(
    baskets: list[tuple[tuple[int, ...], tuple[int, ...]]],
) -> tuple[dict[int, Counter], Counter, Counter]:
    """From (services of a visit, products bought at its checkout): service → product counts,
    visits per service, and product counts overall."""
    by_service: dict[int, Counter] = defaultdict(Counter)
    visits: Counter = Counter()
    products: Counter = Counter()
    for services, bought in baskets:
        for s in set(services):
            visits[s] += 1
            for p in set(bought):
                by_service[s][p] += 1
        for p in set(bought):
            products[p] += 1
    return by_service, visits, products


# --- home-care products -------------------------------------------------------------

PRODUCT_WEIGHTS = {
    "bought_with": 3.0,  # P(product | a service of the client), from the salon's checkouts
    "rebuy": 1.0,  # the client bought it before
    "card": 0.5,  # lift for the card's hair and skin types
    "tags": 0.5,  # the product's category matches the client's services or types
    "master_used": 0.7,  # the master used it (recipes, recorded use)
    "popularity": 0.5,  # share of baskets
}


def tokens(text: str) -> set[str]:
    return {t for t in text.lower().replace("-", " ").replace("_", " ").split() if len(t) > 2}


@dataclass
class ProductStatistics:
    products: list[int]
    index: dict[int, int]
    with_service: dict[int, np.ndarray]  # service → P(product | a visit with it)
    popularity: np.ndarray  # share of buying visits with the product
    hair_lift: dict[str, np.ndarray]
    skin_lift: dict[str, np.ndarray]
    tags: list[set[str]]  # each product's category tokens


def product_statistics(
    baskets: list[tuple[int, float, tuple[int, ...], tuple[int, ...]]],
    cutoff: float,
    products: list[tuple[int, str]],
    service_visits: dict[int, float],
    histories: Histories,
) -> ProductStatistics:
    """From the baskets before `cutoff`; `service_visits` are the visits per service (the
    denominators), `products` (id, category) the retail catalogue."""
    index = {p: i for i, (p, _c) in enumerate(products)}
    n = len(products)
    pairs: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(n))
    overall = np.zeros(n)
    hair: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n))
    skin: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n))
    buying = 0
    for card, day, services, bought in baskets:
        if day > cutoff:
            continue
        ids = {index[p] for p in bought if p in index}
        if not ids:
            continue
        buying += 1
        row = np.zeros(n)
        row[list(ids)] = 1
        overall += row
        for s in set(services):
            pairs[s] += row
        if histories.hair.get(card):
            hair[histories.hair[card]] += row
        if histories.skin.get(card):
            skin[histories.skin[card]] += row
    with_service = {
        s: counts / max(service_visits.get(s, 0.0), counts.max(), 1.0)
        for s, counts in pairs.items()
    }
    return ProductStatistics(
        [p for p, _c in products],
        index,
        with_service,
        overall / max(buying, 1),
        _lift(hair, overall),
        _lift(skin, overall),
        [tokens(category) for _p, category in products],
    )


def product_features(
    stats: ProductStatistics,
    services: Counter,
    bought: Counter,
    hair: str,
    skin: str,
    context_tags: set[str],
    master_used: set[int],
) -> dict[str, np.ndarray]:
    """Product × signal for one client: `services` their services (counts), `bought` their
    past purchases, `context_tags` the categories of their services and their types,
    `master_used` products the master used on them or that their services' recipes use."""
    n = len(stats.products)
    zero = np.zeros(n)
    total = max(sum(services.values()), 1)
    with_service = zero.copy()
    for s, count in services.items():
        if s in stats.with_service:
            with_service = np.maximum(
                with_service, stats.with_service[s] * min(1.0, 2 * count / total)
            )
    rebuy = np.zeros(n)
    for p, count in bought.items():
        if p in stats.index:
            rebuy[stats.index[p]] = min(count, 3) / 3
    used = np.zeros(n)
    for p in master_used:
        if p in stats.index:
            used[stats.index[p]] = 1.0
    tags = np.asarray([1.0 if t & context_tags else 0.0 for t in stats.tags]) if n else zero
    card = (stats.hair_lift.get(hair, zero) if hair else zero) + (
        stats.skin_lift.get(skin, zero) if skin else zero
    )
    return {
        "bought_with": with_service,
        "rebuy": rebuy,
        "card": np.clip(card, -1.0, 1.0),
        "tags": tags,
        "master_used": used,
        "popularity": stats.popularity,
    }


def product_scores(signals: dict[str, np.ndarray]) -> np.ndarray:
    return sum(PRODUCT_WEIGHTS[k] * v for k, v in signals.items())  # type: ignore[return-value]
