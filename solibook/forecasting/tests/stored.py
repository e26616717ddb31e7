"""A stored forecast written by hand, so advice can be checked against figures
chosen by the test (no fit)."""

from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.forecasting.models import ForecastRun


def store(location, *, first: date, daily=None, hourly=None, days: int = 28):
    """`daily`: service id → function(day) → mean; `hourly`: (category id, hour)
    → function(day) → mean. Bounds are mean ± (0.3 + 0.3·mean)."""
    span = [first + timedelta(days=i) for i in range(days)]

    def series(function):
        means = [float(function(d)) for d in span]
        return {
            "mean": means,
            "lo": [max(m - 0.3 - 0.3 * m, 0.0) for m in means],
            "hi": [m + 0.3 + 0.3 * m if m else 0.0 for m in means],
        }

    section = {"days": [d.isoformat() for d in span], "closed": [False] * days, "backtest": None}
    result = {
        "service_day": {
            **section,
            "method": "gbm",
            "series": {str(k): series(f) for k, f in (daily or {}).items()},
        },
        "location_hour": {
            **section,
            "method": "seasonal_mean",
            "series": {f"{c}:{h}": series(f) for (c, h), f in (hourly or {}).items()},
        },
    }
    with scopes_disabled():
        ForecastRun.objects.update_or_create(
            business=location.business,
            location=location,
            defaults={
                "state": ForecastRun.State.READY,
                "fitted_at": timezone.now(),
                "result": result,
            },
        )
