from datetime import UTC, date, datetime, time

import pytest

from solibook.core.time import (
    NonexistentLocalTime,
    is_valid_zone,
    local_day_bounds,
    local_to_utc,
    to_local,
)


def test_paris_spring_forward_gap_is_refused():
    # 2026-03-29: clocks jump from 02:00 to 03:00 in Paris.
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Paris")
    assert local_to_utc(date(2026, 3, 29), time(3, 0), "Europe/Paris") == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def test_paris_autumn_fold_takes_the_first_occurrence_unless_asked():
    # 2026-10-25: 02:30 happens twice in Paris.
    first = local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Paris")
    second = local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Paris", fold=1)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)],
)
def test_local_days_in_paris_have_23_24_or_25_hours(day, hours):
    start, end = local_day_bounds(day, "Europe/Paris")
    assert (end - start).total_seconds() == hours * 3600


@pytest.mark.parametrize("zone,offset", [("Europe/Moscow", 3), ("Asia/Riyadh", 3)])
def test_zones_without_dst_keep_their_offset_all_year(zone, offset):
    for month in (1, 3, 7, 10, 12):
        moment = local_to_utc(date(2026, month, 15), time(12, 0), zone)
        assert moment.hour == 12 - offset
        assert to_local(moment, zone).hour == 12


def test_zone_validation():
    assert is_valid_zone("Europe/Paris")
    assert not is_valid_zone("Mars/Olympus")
    assert not is_valid_zone("")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        to_local(datetime(2026, 1, 1), "Europe/Paris")  # noqa: DTZ001
