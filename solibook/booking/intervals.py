"""Sorted half-open integer intervals [start, end): the arithmetic of free time.

Times are whole minutes since the Unix epoch (UTC). Every function takes and
returns lists sorted by start, non-overlapping and non-adjacent ("normal"),
except where a parameter says otherwise. All are linear sweeps.
"""

from collections.abc import Iterable
from heapq import merge

Interval = tuple[int, int]


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort, drop empty intervals, merge overlapping and touching ones."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(base: list[Interval], cuts: list[Interval]) -> list[Interval]:
    """`base` minus `cuts`; `cuts` must be normal."""
    out: list[Interval] = []
    j, n = 0, len(cuts)
    for start, end in base:
        while j < n and cuts[j][1] <= start:
            j += 1
        k, cursor = j, start
        while k < n and cuts[k][0] < end:
            cut_start, cut_end = cuts[k]
            if cut_start > cursor:
                out.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def union(*interval_lists: list[Interval]) -> list[Interval]:
    return normalise(merge(*interval_lists))


def fits(free: list[Interval], offset: int, length: int) -> list[Interval]:
    """The start times t for which [t + offset, t + offset + length) lies in
    one interval of `free`, as half-open intervals of t."""
    out: list[Interval] = []
    for start, end in free:
        first, last = start - offset, end - offset - length
        if last >= first:
            out.append((first, last + 1))
    return out


def contains(free: list[Interval], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one interval of `free` (binary search)."""
    lo, hi = 0, len(free)
    while lo < hi:
        mid = (lo + hi) // 2
        if free[mid][1] < end:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(free) and free[lo][0] <= start and end <= free[lo][1]


def containing(free: list[Interval], start: int, end: int) -> Interval | None:
    lo, hi = 0, len(free)
    while lo < hi:
        mid = (lo + hi) // 2
        if free[mid][1] < end:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(free) and free[lo][0] <= start and end <= free[lo][1]:
        return free[lo]
    return None
