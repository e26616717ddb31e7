"""`make evaluate` for forecasting: each model against its naive baseline on
held-out data.

- demand per service × day and hours of work per category × hour: WAPE of
  gradient boosting (Poisson loss) against seasonal naive, summed over a
  rolling-origin backtest (4 origins 28 days apart, each fitted only on the
  days before it), with the seasonal mean and the method the fit would choose
  in the details;
- the 80% prediction interval: its distance to 80% coverage on the last fold
  (calibrated on the folds before it) against a plain Poisson interval around
  the same forecast;
- price elasticity (when the truth is known: the synthetic salon): the absolute
  error of the estimate against the truth, against the prior alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from solibook.catalog.models import Location
from solibook.core.evaluation import Evaluation
from solibook.core.tenancy import business_scope
from solibook.forecasting import demand, history, pricing

AREA = "forecasting"


def _panels(location: Location, now: datetime):
    window = history.history_window(location, now)
    if window is None:
        return None
    first, last = window
    if (last - first).days + 1 < demand.MIN_DAYS_FOR_MODEL + demand.HORIZON:
        return None
    rows = history.items(location, first, last)
    return (
        history.service_panel(location, first, last, demand.HORIZON, rows),
        history.hourly_panel(location, first, last, demand.HORIZON, rows),
    )


def _demand(name: str, scores: demand.Scores, unit: str) -> Evaluation:
    return Evaluation(
        area=AREA,
        name=name,
        metric="WAPE",
        model=round(scores.wape["gbm"], 4),
        baseline=round(scores.wape["seasonal_naive"], 4),
        baseline_name="seasonal naive",
        higher_is_better=False,
        train_size=scores.train_rows,
        test_size=scores.test_rows,
        details={
            "unit": unit,
            "seasonal_mean": round(scores.wape["seasonal_mean"], 4),
            "chosen": scores.best,
            "folds": scores.folds,
            "per_fold": [
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in fold.items()}
                for fold in scores.per_fold
            ],
            "coverage_80": None if scores.coverage is None else round(scores.coverage, 3),
        },
    )


def demand_evaluations(*, location: Location, now: datetime) -> list[Evaluation]:
    """Run inside the business's scope."""
    panels = _panels(location, now)
    if panels is None:
        return []
    daily_panel, hourly_panel = panels
    found = []
    daily = demand.backtest(daily_panel, categorical=(True,))
    if daily is not None and "gbm" in daily.wape:
        found.append(_demand("demand per service × day", daily, "bookings"))
        if daily.coverage is not None and daily.poisson_coverage is not None:
            found.append(
                Evaluation(
                    area=AREA,
                    name="80% interval of demand per service × day",
                    metric="|coverage − 0.80|",
                    model=round(abs(daily.coverage - 0.8), 4),
                    baseline=round(abs(daily.poisson_coverage - 0.8), 4),
                    baseline_name="Poisson interval",
                    higher_is_better=False,
                    train_size=daily.train_rows,
                    test_size=daily.test_rows // max(daily.folds, 1),
                    details={
                        "coverage": round(daily.coverage, 3),
                        "poisson_coverage": round(daily.poisson_coverage, 3),
                        "relative_width": None if daily.width is None else round(daily.width, 3),
                        "method": daily.best,
                    },
                )
            )
    hourly = demand.backtest(
        hourly_panel,
        categorical=(True, False),
        step=14,
        groups=history.hour_groups(hourly_panel),
    )
    if hourly is not None and "gbm" in hourly.wape:
        found.append(_demand("hours of work per location × hour", hourly, "master-hours"))
    return found


def elasticity_evaluation(*, location: Location, now: datetime, truth) -> Evaluation | None:
    """The elasticity estimated from the bookings against the generator's."""
    if truth is None or not getattr(truth, "elasticities", None):
        return None
    today = history.local_today(location, now)
    first = today - timedelta(weeks=pricing.HISTORY_WEEKS)
    rows = history.items(location, first, today - timedelta(days=1))
    counts, prices, _total = pricing.weekly_series(rows, first, pricing.HISTORY_WEEKS)
    fixed = [sid for sid in counts if not pricing.moved(prices[sid])]
    per_service, errors, prior_errors, weeks = {}, [], [], 0
    for service_id, true_value in truth.elasticities.items():
        if service_id not in counts:
            continue
        control = sum(
            (counts[s] for s in fixed if s != service_id), np.zeros(pricing.HISTORY_WEEKS)
        )
        found = pricing.estimate_elasticity(
            counts[service_id], prices[service_id], control if control.sum() else None
        )
        errors.append(abs(found.posterior - true_value))
        prior_errors.append(abs(pricing.PRIOR_ELASTICITY - true_value))
        weeks = max(weeks, found.weeks)
        per_service[str(service_id)] = {
            "truth": true_value,
            "estimate": None if found.estimate is None else round(found.estimate, 3),
            "posterior": round(found.posterior, 3),
            "ci95": [round(found.low, 3), round(found.high, 3)],
            "covers_truth": found.low <= true_value <= found.high,
            "source": found.source,
        }
    if not errors:
        return None
    return Evaluation(
        area=AREA,
        name="price elasticity of bookings",
        metric="mean |error|",
        model=round(float(np.mean(errors)), 4),
        baseline=round(float(np.mean(prior_errors)), 4),
        baseline_name=f"prior {pricing.PRIOR_ELASTICITY:+.1f}",
        higher_is_better=False,
        train_size=weeks,
        test_size=len(errors),
        details={"per_service": per_service},
    )


def evaluate(*, business, now: datetime, truth=None) -> list[Evaluation]:
    """Every forecasting model of `business`'s busiest location against its
    baseline; `truth` (the synthetic history's) adds the elasticity check."""
    with business_scope(business):
        locations = list(Location.objects.order_by("pk"))
        if truth is not None and getattr(truth, "location_id", None):
            locations = [loc for loc in locations if loc.pk == truth.location_id] or locations
        found: list[Evaluation] = []
        for location in locations:
            found = demand_evaluations(location=location, now=now)
            if found:
                break
        if locations:
            elasticity = elasticity_evaluation(location=locations[0], now=now, truth=truth)
            if elasticity is not None:
                found.append(elasticity)
    return found
