from collections.abc import Mapping
from typing import Any


def given(spec: Mapping[str, Any], key: str) -> Any:
    """An input value for a model field, None when absent: `clean_or_refuse`
    then reports the field as required (unvalidated input, hence Any)."""
    return spec.get(key)


def overlapping(periods: list[tuple]) -> tuple | None:
    """The first pair of [start, end) periods that overlap, or None."""
    ordered = sorted(periods, key=lambda p: (p[0], p[1]))
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current[0] < previous[1]:
            return previous, current
    return None
