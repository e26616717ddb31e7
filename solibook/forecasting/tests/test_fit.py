"""Fitting a location's forecast on a synthetic salon: the model chosen by the
backtest beats seasonal naive, the forecast has the shape and intervals it
says, and thin history falls back honestly."""

from datetime import date

import pytest
from django_scopes import scope

from solibook.forecasting import services
from solibook.forecasting.models import ForecastRun
from solibook.forecasting.tests.synthetic import NOW, build

pytestmark = pytest.mark.django_db


def test_the_model_beats_seasonal_naive_on_the_synthetic_salon():
    salon = build(days=240)
    with scope(business=salon.business):
        run = services.forecast_fit(location=salon.location, now=NOW)
    assert run.state == ForecastRun.State.READY
    daily = run.result["service_day"]
    wape = daily["backtest"]["wape"]
    print(run.seconds, wape, daily["backtest"]["coverage"], run.result["location_hour"]["backtest"])
    assert wape["gbm"] < wape["seasonal_naive"]
    assert daily["method"] in ("gbm", "seasonal_mean")
    assert 0.6 <= daily["backtest"]["coverage"] <= 0.95
    assert len(daily["days"]) == 28
    for series in daily["series"].values():
        assert len(series["mean"]) == 28
        assert all(
            lo <= m <= hi
            for lo, m, hi in zip(series["lo"], series["mean"], series["hi"], strict=True)
        )


def test_a_new_salon_gets_no_forecast_and_says_so():
    salon = build(days=0)
    with scope(business=salon.business):
        run = services.forecast_fit(location=salon.location, now=NOW)
    assert run.state == ForecastRun.State.NO_HISTORY
    assert run.result == {}


def test_five_weeks_of_history_get_a_baseline_without_a_backtest():
    salon = build(days=35)
    with scope(business=salon.business):
        run = services.forecast_fit(location=salon.location, now=NOW)
    assert run.state == ForecastRun.State.BASELINE
    daily = run.result["service_day"]
    assert daily["method"] == "seasonal_mean" and daily["backtest"] is None
    # Sunday is closed (no opening hours): nothing is forecast on it.
    sundays = [i for i, d in enumerate(daily["days"]) if date.fromisoformat(d).weekday() == 6]
    for series in daily["series"].values():
        assert all(series["hi"][i] == 0 and series["mean"][i] == 0 for i in sundays)


def test_refitting_replaces_the_one_stored_forecast():
    salon = build(days=35)
    with scope(business=salon.business):
        services.forecast_fit(location=salon.location, now=NOW)
        services.forecast_fit(location=salon.location, now=NOW)
        assert ForecastRun.objects.filter(location=salon.location).count() == 1
