"""`make evaluate`'s forecasting figures on the demo's synthetic history (a
shorter one, to stay quick): the model must keep beating seasonal naive, the
80% interval must cover about 80%, and the runner must find the evaluation."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from solibook.catalog.models import Business, Location
from solibook.core.evaluation import Evaluation
from solibook.demo.history import seed_history
from solibook.demo.scale import seed_scale
from solibook.forecasting import evaluation

pytestmark = pytest.mark.django_db


# The history ends at a fixed moment: its folds (and so the figures) depend on
# the day it ends, and a suite's result must not depend on the hour it runs.
HISTORY_ENDS = datetime(2026, 12, 7, 12, tzinfo=UTC)


def test_the_model_beats_seasonal_naive_on_the_synthetic_history():
    now = HISTORY_ENDS
    with scopes_disabled():
        seed_scale(salons=1, seed=11, appointments_per_salon=40, today=now.date())
        business = Business.objects.get(slug="scale-11-0")
        location = Location.objects.get(business=business)
        truth = seed_history(business=business, location=location, now=now, days=200, clients=300)
    found = {e.name: e for e in evaluation.evaluate(business=business, now=now, truth=truth)}
    daily = found["demand per service × day"]
    hourly = found["hours of work per location × hour"]
    for result in (daily, hourly):
        assert isinstance(result, Evaluation) and result.metric == "WAPE"
        assert result.beats_baseline, result  # gradient boosting < seasonal naive
        assert result.details["folds"] == 4 and result.test_size > 0
    assert 0.65 <= daily.details["coverage_80"] <= 0.92
    interval = found["80% interval of demand per service × day"]
    assert interval.model < 0.15


def test_a_salon_without_history_has_no_figure_rather_than_a_made_up_one(two_salons):
    a, _b, _loc_a, _loc_b = two_salons
    assert evaluation.evaluate(business=a, now=timezone.now()) == []
    with scope(business=a):
        assert (
            evaluation.elasticity_evaluation(location=_loc_a, now=timezone.now(), truth=None)
            is None
        )


def test_the_runner_discovers_forecastings_evaluation():
    root = Path(__file__).resolve().parents[3]
    areas = [p.parent.name for p in (root / "solibook").glob("*/evaluation.py")]
    assert "forecasting" in areas
    assert (
        "def evaluate(*, business, now" in (root / "solibook/forecasting/evaluation.py").read_text()
    )
