"""Writes of forecasting: fitting a location's forecast and asking for a refit.

A fit reads the location's history (`history`), runs the rolling-origin
backtest of every method (`demand.backtest`), keeps the one with the lowest
WAPE, fits it on everything and stores the next 28 days with their intervals
in the location's one `ForecastRun` (replaced on every fit, so running it
twice does no harm). With less than ten weeks of history no backtest can be
run: the seasonal mean of what there is is stored, and says so; with less than
two weeks nothing is forecast.
"""

import logging
import time
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.catalog.models import Business, Location
from solibook.core.audit import audit_log
from solibook.core.tenancy import business_scope
from solibook.core.time import utcnow
from solibook.forecasting import demand, history, tasks
from solibook.forecasting.models import ForecastRun

log = logging.getLogger(__name__)

REFIT_AFTER = timedelta(hours=20)


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 2) for v in values]


def _section(panel: demand.Panel, *, categorical: tuple[bool, ...], step: int, groups=None) -> dict:
    """Backtest, choose, fit and forecast one panel; JSON-ready."""
    scores = None
    if panel.n_days >= demand.MIN_DAYS_FOR_MODEL:
        scores = demand.backtest(panel, categorical=categorical, step=step, groups=groups)
    method = scores.best if scores else "seasonal_mean"
    quantiles = scores.quantiles if scores else (-1.28, 1.28)
    forecast = demand.fit_and_forecast(
        panel, method=method, quantiles=quantiles, categorical=categorical, step=step
    )
    series = {
        ":".join(str(part) for part in (key if isinstance(key, tuple) else (key,))): {
            "mean": _rounded(forecast.mean[i]),
            "lo": _rounded(forecast.lo[i]),
            "hi": _rounded(forecast.hi[i]),
        }
        for i, key in enumerate(panel.keys)
    }
    return {
        "method": method,
        "days": [d.isoformat() for d in forecast.days],
        "closed": [
            bool(c) for c in (panel.future_closed if panel.future_closed is not None else [])
        ],
        "series": series,
        "backtest": None
        if scores is None
        else {
            "wape": {m: round(v, 4) for m, v in scores.wape.items()},
            "coverage": None if scores.coverage is None else round(scores.coverage, 3),
            "width": None if scores.width is None else round(scores.width, 3),
            "folds": scores.folds,
            "train_rows": scores.train_rows,
            "test_rows": scores.test_rows,
            "per_fold": scores.per_fold,
        },
        "history_mean": round(
            float(panel.y[:, ~panel.closed].mean()) if (~panel.closed).any() else 0.0, 3
        ),
    }


def forecast_fit(*, location: Location, now: datetime | None = None) -> ForecastRun:
    """Fit and store the forecast of `location` (inside its business's scope)."""
    now = now or utcnow()
    started = time.monotonic()
    window = history.history_window(location, now)
    state, result = ForecastRun.State.NO_HISTORY, {}
    first = last = None
    if window is not None:
        first, last = window
        n_days = (last - first).days + 1
        if n_days >= demand.MIN_DAYS_AT_ALL:
            rows = history.items(location, first, last)
            hourly = history.hourly_panel(location, first, last, demand.HORIZON, rows)
            result = {
                "service_day": _section(
                    history.service_panel(location, first, last, demand.HORIZON, rows),
                    categorical=(True,),
                    step=7,
                ),
                "location_hour": _section(
                    hourly, categorical=(True, False), step=14, groups=history.hour_groups(hourly)
                ),
            }
            state = (
                ForecastRun.State.READY
                if n_days >= demand.MIN_DAYS_FOR_MODEL
                else ForecastRun.State.BASELINE
            )
    run, _created = ForecastRun.objects.update_or_create(
        business=location.business,
        location=location,
        defaults={
            "state": state,
            "fitted_at": now,
            "history_from": first,
            "history_to": last,
            "result": result,
            "seconds": round(time.monotonic() - started, 2),
        },
    )
    return run


def forecast_fit_business(*, business: Business, now: datetime | None = None) -> list[ForecastRun]:
    return [
        forecast_fit(location=location, now=now)
        for location in Location.objects.filter(business=business).order_by("pk")
    ]


def forecast_fit_due(*, everything: bool = False, now: datetime | None = None) -> int:
    """Refit every location whose forecast is missing or older than 20 hours
    (`run_periodic`); one failing location does not stop the others."""
    now = now or utcnow()
    with scopes_disabled():
        fresh = set(
            ForecastRun.objects.filter(fitted_at__gte=now - REFIT_AFTER).values_list(
                "location_id", flat=True
            )
        )
        locations = list(Location.objects.select_related("business").order_by("pk"))
    fitted = 0
    for location in locations:
        if not everything and location.pk in fresh:
            continue
        try:
            with business_scope(location.business):
                forecast_fit(location=location, now=now)
            fitted += 1
        except Exception:  # one salon's bad data must not stop the others
            log.exception("forecast fit failed for location %s", location.pk)
    return fitted


def forecast_refresh(*, business: Business, actor) -> None:
    """Ask for the business's forecasts to be refitted in the background."""
    audit_log(action="forecast.refresh", actor=actor, business=business)
    transaction.on_commit(lambda: tasks.refit_business.enqueue(business_id=business.pk))
