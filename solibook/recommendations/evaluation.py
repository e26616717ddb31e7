"""`make evaluate` for recommendations, on each client's next visit after a cut-off.

- services: hit@5, the share of clients whose next visit had one of the five suggested
  services; the hybrid ranker against the salon's five most booked services (popularity);
- home-care products: hit@3 on the products bought at the next visit that bought any,
  suggested at that appointment (its services known), against the three best sellers.

Everything the models see is before the cut-off (HOLDOUT_DAYS before `now`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

import numpy as np

from solibook.core.evaluation import Evaluation
from solibook.core.tenancy import business_scope
from solibook.recommendations import engine
from solibook.recommendations.history import (
    baskets,
    bookable_services,
    day_of,
    retail_products,
    service_tags,
    visit_histories,
)

AREA = "recommendations"
HOLDOUT_DAYS = 60.0
MIN_TEST_CLIENTS = 20


def service_evaluation(histories: engine.Histories, services: list[int], now_day: float):
    cutoff = now_day - HOLDOUT_DAYS
    ranker = engine.fit(histories, cutoff, services)
    popular = set(engine.popularity_top(ranker.stats, 5))
    hits = baseline = returning = returning_hits = tested = 0
    for client_id in histories.visits:
        target = histories.next_after(client_id, cutoff, now_day)
        if target is None:
            continue
        visits = histories.before(client_id, cutoff)
        wanted = set(target.services)
        top = set(
            ranker.top(
                visits,
                histories.hair.get(client_id, ""),
                histories.skin.get(client_id, ""),
                cutoff,
                5,
            )
        )
        tested += 1
        hits += bool(top & wanted)
        baseline += bool(popular & wanted)
        if visits:
            returning += 1
            returning_hits += bool(top & wanted)
    if tested < MIN_TEST_CLIENTS:
        return None, ranker
    return Evaluation(
        area=AREA,
        name="services for a client: the next visit",
        metric="hit@5",
        model=round(hits / tested, 4),
        baseline=round(baseline / tested, 4),
        baseline_name="popularity",
        higher_is_better=True,
        train_size=sum(len(histories.before(c, cutoff)) for c in histories.visits),
        test_size=tested,
        details={
            "ranker_learned": ranker.learned,
            "weights": dict(
                zip(engine.FEATURES, np.round(ranker.weights, 3).tolist(), strict=True)
            ),
            "returning_clients": returning,
            "returning_hit@5": round(returning_hits / returning, 4) if returning else None,
        },
    ), ranker


def product_evaluation(
    histories, ranker, bought, catalogue, tags_of, now_day: float
) -> Evaluation | None:
    cutoff = now_day - HOLDOUT_DAYS
    per_service = {s: float(ranker.stats.counts[i]) for s, i in ranker.stats.index.items()}
    stats = engine.product_statistics(bought, cutoff, catalogue, per_service, histories)
    if not stats.products or not stats.popularity.any():
        return None
    popular = {stats.products[i] for i in np.argsort(-stats.popularity, kind="stable")[:3]}
    first_basket: dict[int, tuple[float, tuple[int, ...], tuple[int, ...]]] = {}
    for card, day, in_visit, products in sorted(bought, key=lambda b: b[1]):
        if cutoff < day <= now_day and card not in first_basket:
            first_basket[card] = (day, in_visit, products)
    purchases: dict[int, Counter] = defaultdict(Counter)
    for c, day, _s, items in bought:
        if day <= cutoff:
            purchases[c].update(items)
    hits = baseline = 0
    for card, (_day, visit_services, products) in first_basket.items():
        services: Counter = Counter()
        for visit in histories.before(card, cutoff):
            services.update(set(visit.services))
        for s in visit_services:
            services[s] += max(sum(services.values()), 1)
        past = purchases.get(card, Counter())
        context = set().union(*(tags_of.get(s, set()) for s in services)) if services else set()
        signals = engine.product_features(
            stats,
            services,
            past,
            histories.hair.get(card, ""),
            histories.skin.get(card, ""),
            context,
            set(),
        )
        order = np.argsort(-engine.product_scores(signals), kind="stable")[:3]
        top = {stats.products[i] for i in order}
        hits += bool(top & set(products))
        baseline += bool(popular & set(products))
    if len(first_basket) < MIN_TEST_CLIENTS:
        return None
    return Evaluation(
        area=AREA,
        name="home-care products at the next visit that bought any",
        metric="hit@3",
        model=round(hits / len(first_basket), 4),
        baseline=round(baseline / len(first_basket), 4),
        baseline_name="best sellers",
        higher_is_better=True,
        train_size=sum(1 for b in bought if b[1] <= cutoff),
        test_size=len(first_basket),
    )


def evaluate(*, business, now: datetime) -> list[Evaluation]:
    """Services (hit@5 vs popularity) and products (hit@3 vs best sellers); an entry is left
    out when the salon has too few clients coming back after the cut-off to measure it."""
    with business_scope(business):
        histories = visit_histories(business=business, now=now)
        services = bookable_services(business=business)
        bought = baskets(business=business, now=now)
        catalogue = [(p.pk, p.category) for p in retail_products(business=business)]
        tags_of = service_tags(business=business)
    found, ranker = service_evaluation(histories, services, day_of(now))
    results = [found] if found is not None else []
    products = product_evaluation(histories, ranker, bought, catalogue, tags_of, day_of(now))
    if products is not None:
        results.append(products)
    return results
