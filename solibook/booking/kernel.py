"""The availability kernel: pure Python, no ORM, no clock.

Given who works when, what is already taken and what the client asks for,
it returns the bookable start times and who / what would serve each one.
Selectors (`booking.selectors`) load the inputs; the booking service calls
the kernel again under its locks to re-check the chosen slot.

Units: whole minutes since the Unix epoch, UTC. A visit is a sequence of
items (cut with A, then colour with B); each item's candidate masters carry
a *plan*: the segments, relative to the item's start, during which that
master is busy (buffers included, processing time excluded). Resources are
held for an item's whole span.

"Any master" picks, for each slot, the assignment that leaves the masters'
days least fragmented: fewest idle gaps shorter than `useful_gap` minutes
left before or after the new segments, then fewest free periods cut in two
(a segment that touches existing work or a shift edge cuts nothing), then
the smallest unusable minutes, then the masters' order in the request.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product

from solibook.booking.intervals import (
    Interval,
    containing,
    fits,
    intersect,
    normalise,
    subtract,
    union,
)


@dataclass(frozen=True, slots=True)
class Segment:
    offset: int  # minutes from the item's start (negative for a buffer before)
    length: int


@dataclass(frozen=True, slots=True)
class MasterOption:
    master_id: int
    segments: tuple[Segment, ...]  # when the master is busy, buffers included
    duration: int  # the client's time in this item (all steps), no buffers


@dataclass(frozen=True, slots=True)
class ItemRequest:
    options: tuple[MasterOption, ...]  # one for a chosen master, several for "any"
    resource_needs: tuple[
        tuple[tuple[int, int], ...], ...
    ] = ()  # per need: the candidate units (resource_id, unit)
    buffer_before: int = 0
    buffer_after: int = 0


@dataclass(frozen=True, slots=True)
class Assignment:
    master_id: int
    start: int
    end: int
    segments: tuple[Interval, ...]  # absolute, the master's blocked ranges
    units: tuple[tuple[int, int], ...]  # resource units held, absolute span below
    unit_span: Interval


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    end: int
    items: tuple[Assignment, ...]


@dataclass
class Availability:
    """Everything the kernel needs, already loaded and normalised."""

    working: dict[int, list[Interval]]  # master -> working time (shifts minus breaks, closures)
    busy: dict[int, list[Interval]]  # master -> taken (appointments with buffers, holds, time off)
    unit_busy: dict[tuple[int, int], list[Interval]] = field(
        default_factory=dict
    )  # (resource, unit) -> taken
    open_hours: list[Interval] | None = None  # location open; None = no limit beyond shifts
    useful_gap: int = 30
    _free: dict[int, list[Interval]] = field(default_factory=dict, repr=False)
    _unit_free: dict[tuple[int, int], list[Interval]] = field(default_factory=dict, repr=False)

    def free(self, master_id: int) -> list[Interval]:
        if master_id not in self._free:
            self._free[master_id] = subtract(
                normalise(self.working.get(master_id, ())), normalise(self.busy.get(master_id, ()))
            )
        return self._free[master_id]

    def unit_free(self, unit: tuple[int, int], horizon: Interval) -> list[Interval]:
        if unit not in self._unit_free:
            self._unit_free[unit] = subtract([horizon], normalise(self.unit_busy.get(unit, ())))
        return self._unit_free[unit]


def _item_offsets(items: tuple[ItemRequest, ...], choice: tuple[MasterOption, ...]) -> list[int]:
    """Each item starts when the previous one's steps end."""
    offsets, cursor = [], 0
    for option in choice:
        offsets.append(cursor)
        cursor += option.duration
    return offsets


def _master_segments(choice, offsets) -> dict[int, list[Interval]]:
    """Per master, the busy segments relative to the visit start. A master who
    does two items in a row keeps working: their segments merge."""
    per_master: dict[int, list[Interval]] = {}
    for option, offset in zip(choice, offsets, strict=True):
        per_master.setdefault(option.master_id, []).extend(
            (offset + s.offset, offset + s.offset + s.length) for s in option.segments
        )
    return {m: normalise(segments) for m, segments in per_master.items()}


def _valid_starts(avail: Availability, items, choice, offsets, window: Interval) -> list[Interval]:
    valid = [window]
    for master_id, segments in _master_segments(choice, offsets).items():
        free = avail.free(master_id)
        for start, end in segments:
            valid = intersect(valid, fits(free, start, end - start))
            if not valid:
                return valid
    total = offsets[-1] + choice[-1].duration
    if avail.open_hours is not None:
        valid = intersect(valid, fits(avail.open_hours, 0, total))
    horizon = (window[0] - 24 * 60, window[1] + total + 24 * 60)
    for item, option, offset in zip(items, choice, offsets, strict=True):
        span_start, span_len = (
            offset - item.buffer_before,
            item.buffer_before + option.duration + item.buffer_after,
        )
        for units in item.resource_needs:
            can = union(*(fits(avail.unit_free(u, horizon), span_start, span_len) for u in units))
            valid = intersect(valid, can)
            if not valid:
                return valid
    return valid


def _grid(valid: list[Interval], step: int, local_offset: Callable[[int], int]) -> Iterator[int]:
    """Start times on the location's wall-clock grid (09:00, 09:15, ...)."""
    for start, end in valid:
        t = start
        local = t + local_offset(t)
        t += (-local) % step
        while t < end:
            shifted = t + local_offset(t)
            if shifted % step:  # the offset changed (DST) inside the interval
                t += (-shifted) % step
                continue
            yield t
            t += step


def _fragmentation(
    avail: Availability, master_segments: dict[int, list[Interval]], start: int
) -> tuple[int, int, int]:
    tiny_count = pieces = tiny_minutes = 0
    for master_id, segments in master_segments.items():
        free = avail.free(master_id)
        for seg_start, seg_end in segments:
            around = containing(free, start + seg_start, start + seg_end)
            if around is None:
                continue
            for gap in (start + seg_start - around[0], around[1] - (start + seg_end)):
                if gap > 0:
                    pieces += 1
                if 0 < gap < avail.useful_gap:
                    tiny_count += 1
                    tiny_minutes += gap
    return tiny_count, pieces, tiny_minutes


def _assignments(avail, items, choice, offsets, start: int) -> tuple[Assignment, ...]:
    horizon = (start - 24 * 60, start + 48 * 60)
    out = []
    for item, option, offset in zip(items, choice, offsets, strict=True):
        item_start = start + offset
        span = (item_start - item.buffer_before, item_start + option.duration + item.buffer_after)
        # Consecutive items of one visit may keep the same room (the client
        # stays); needs within one item take distinct units.
        units: list[tuple[int, int]] = []
        for candidates in item.resource_needs:
            for unit in candidates:
                if unit not in units and containing(avail.unit_free(unit, horizon), *span):
                    units.append(unit)
                    break
        out.append(
            Assignment(
                master_id=option.master_id,
                start=item_start,
                end=item_start + option.duration,
                segments=tuple(
                    (item_start + s.offset, item_start + s.offset + s.length)
                    for s in option.segments
                ),
                units=tuple(units),
                unit_span=span,
            )
        )
    return tuple(out)


def find_slots(
    avail: Availability,
    items: tuple[ItemRequest, ...],
    *,
    window: Interval,
    step: int,
    local_offset: Callable[[int], int] = lambda t: 0,
    limit: int | None = None,
) -> list[Slot]:
    """Bookable visit starts inside `window` = [earliest, latest] (latest inclusive)."""
    if not items or any(not item.options for item in items):
        return []
    half_open = (window[0], window[1] + 1)
    best: dict[int, tuple[tuple, tuple[MasterOption, ...], list[int]]] = {}
    for rank, choice in enumerate(product(*(item.options for item in items))):
        offsets = _item_offsets(items, choice)
        valid = _valid_starts(avail, items, choice, offsets, half_open)
        if not valid:
            continue
        segments = _master_segments(choice, offsets)
        for t in _grid(valid, step, local_offset):
            score = (*_fragmentation(avail, segments, t), rank)
            current = best.get(t)
            if current is None or score < current[0]:
                best[t] = (score, choice, offsets)
    slots = []
    for t in sorted(best):
        _score, choice, offsets = best[t]
        assignment = _assignments(avail, items, choice, offsets, t)
        slots.append(Slot(start=t, end=t + offsets[-1] + choice[-1].duration, items=assignment))
        if limit is not None and len(slots) >= limit:
            break
    return slots


def check_slot(avail: Availability, items: tuple[ItemRequest, ...], *, start: int) -> Slot | None:
    """The slot at exactly `start`, if it is still bookable (no grid, no window)."""
    slots = find_slots(avail, items, window=(start, start), step=1)
    return slots[0] if slots and slots[0].start == start else None


def plan_segments(
    steps: list[tuple[int, bool]], *, buffer_before: int, buffer_after: int, delta: int = 0
) -> tuple[tuple[Segment, ...], int]:
    """Turn a service's steps [(minutes, master_busy)] into the master's busy
    segments and the client's duration. `delta` (a master's own pace) is added
    to the last busy step. Buffers stick to the first and last busy segment."""
    steps = list(steps)
    if delta:
        last_busy = max(i for i, (_m, busy) in enumerate(steps) if busy)
        minutes, busy = steps[last_busy]
        steps[last_busy] = (max(5, minutes + delta), busy)
    segments: list[list[int]] = []
    cursor = 0
    for minutes, busy in steps:
        if busy:
            if segments and segments[-1][0] + segments[-1][1] == cursor:
                segments[-1][1] += minutes
            else:
                segments.append([cursor, minutes])
        cursor += minutes
    segments[0][0] -= buffer_before
    segments[0][1] += buffer_before
    segments[-1][1] += buffer_after
    return tuple(Segment(offset, length) for offset, length in segments), cursor
