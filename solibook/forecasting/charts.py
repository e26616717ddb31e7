"""Chart data of the forecasting pages (drawn by static/js/forecasting/charts.js
from json_script blocks; every chart has its table beside it)."""

from django.utils import formats

from solibook.catalog.models import Weekday
from solibook.forecasting.pricing import part_label


def _day(value) -> str:
    return formats.date_format(value, "D j M")


def forecast_chart(view) -> dict:
    return {
        "labels": [_day(d.day) for d in view.days],
        "mean": [d.mean for d in view.days],
        "lo": [d.lo for d in view.days],
        "hi": [d.hi for d in view.days],
    }


def staffing_chart(staffing) -> dict:
    """Per day: hours of work expected against master-hours scheduled."""
    expected: dict = {}
    scheduled: dict = {}
    seen: dict = {}
    for cell in staffing.cells:
        expected[cell.day] = expected.get(cell.day, 0.0) + cell.expected
        key = (cell.day, cell.hour)
        seen.setdefault(key, 0)
        seen[key] = max(seen[key], cell.scheduled)
    for (day, _hour), count in seen.items():
        scheduled[day] = scheduled.get(day, 0) + count
    days = sorted(expected)
    return {
        "labels": [_day(d) for d in days],
        "expected": [round(expected[d], 1) for d in days],
        "scheduled": [scheduled.get(d, 0) for d in days],
    }


def occupancy_chart(advice) -> dict:
    parts = ("morning", "afternoon", "evening")
    share = {(c.weekday, c.part): c.share for c in advice.occupancy}
    return {
        "labels": [str(Weekday(d).label) for d in range(7)],
        "series": [
            {
                "label": str(part_label(part)),
                "data": [
                    None if share.get((d, part)) is None else round(share[(d, part)] * 100)
                    for d in range(7)
                ],
            }
            for part in parts
        ],
    }
