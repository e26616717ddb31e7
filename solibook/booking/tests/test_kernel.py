"""The kernel against a brute-force, minute-by-minute oracle on random schedules."""

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solibook.booking.intervals import contains, intersect, normalise, subtract, union
from solibook.booking.kernel import (
    Availability,
    ItemRequest,
    MasterOption,
    find_slots,
    plan_segments,
)

DAY = 24 * 60


def minutes(intervals):
    return {m for start, end in intervals for m in range(start, end)}


# --- interval arithmetic ------------------------------------------------------

interval_lists = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=8,
)


@given(interval_lists, interval_lists)
def test_interval_operations_match_sets_of_minutes(a, b):
    na, nb = normalise(a), normalise(b)
    assert minutes(na) == minutes(a)
    assert minutes(subtract(na, nb)) == minutes(a) - minutes(b)
    assert minutes(intersect(na, nb)) == minutes(a) & minutes(b)
    assert minutes(union(na, nb)) == minutes(a) | minutes(b)
    for start, end in na:
        assert contains(na, start, end)


# --- plans -------------------------------------------------------------------------


def test_processing_time_frees_the_master():
    segments, duration = plan_segments(
        [(30, True), (35, False), (30, True)], buffer_before=5, buffer_after=10
    )
    assert duration == 95
    assert [(s.offset, s.length) for s in segments] == [(-5, 35), (65, 40)]


def test_a_masters_own_pace_changes_the_last_busy_step():
    segments, duration = plan_segments(
        [(30, True), (35, False), (30, True)], buffer_before=0, buffer_after=0, delta=-10
    )
    assert duration == 85
    assert [(s.offset, s.length) for s in segments][-1] == (65, 20)


# --- random schedules vs the oracle --------------------------------------------


@st.composite
def scenarios(draw):
    n_masters = draw(st.integers(1, 3))
    masters = list(range(1, n_masters + 1))
    working, busy = {}, {}
    for m in masters:
        shifts = draw(
            st.lists(st.tuples(st.integers(0, 20), st.integers(1, 12)), min_size=1, max_size=3)
        )
        working[m] = [(s * 15, s * 15 + d * 15) for s, d in shifts]
        taken = draw(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)), max_size=4))
        busy[m] = [(s * 10, s * 10 + d * 10) for s, d in taken]
    n_items = draw(st.integers(1, 2))
    items = []
    for _ in range(n_items):
        steps = draw(
            st.sampled_from(
                [
                    [(30, True)],
                    [(15, True), (20, False), (15, True)],
                    [(45, True)],
                    [(10, True), (30, False), (20, True)],
                ]
            )
        )
        before, after = draw(st.sampled_from([0, 5, 10])), draw(st.sampled_from([0, 5, 15]))
        chosen = draw(
            st.lists(st.sampled_from(masters), min_size=1, max_size=n_masters, unique=True)
        )
        options = []
        for m in chosen:
            segments, duration = plan_segments(steps, buffer_before=before, buffer_after=after)
            options.append(MasterOption(master_id=m, segments=segments, duration=duration))
        items.append((tuple(options), before, after))
    units = {
        (100, u): [
            (s * 20, s * 20 + d * 10)
            for s, d in draw(st.lists(st.tuples(st.integers(0, 15), st.integers(1, 6)), max_size=3))
        ]
        for u in range(draw(st.integers(0, 2)))
    }
    needs_room = bool(units) and draw(st.booleans())
    open_hours = draw(st.one_of(st.none(), st.just([(30, 400)])))
    step = draw(st.sampled_from([5, 15, 30]))
    window = (draw(st.integers(0, 60)), draw(st.integers(100, 420)))
    return working, busy, items, units, needs_room, open_hours, step, window


def oracle(working, busy, items, units, needs_room, open_hours, step, window):
    """Every grid minute, every assignment, checked minute by minute."""
    free = {m: minutes(working[m]) - minutes(busy[m]) for m in working}
    unit_free = {u: set(range(-DAY, 2 * DAY)) - minutes(b) for u, b in units.items()}
    starts = set()
    for t in range(window[0], window[1] + 1):
        if t % step:
            continue
        for choice in product(*(options for options, _b, _a in items)):
            cursor, needed, spans = t, {}, []
            for option, (_o, before, after) in zip(choice, items, strict=True):
                for s in option.segments:
                    needed.setdefault(option.master_id, set()).update(
                        range(cursor + s.offset, cursor + s.offset + s.length)
                    )
                spans.append(set(range(cursor - before, cursor + option.duration + after)))
                cursor += option.duration
            ok = all(needed[m] <= free[m] for m in needed)
            if open_hours is not None and not set(range(t, cursor)) <= minutes(open_hours):
                ok = False
            if ok and needs_room:
                for span in spans:
                    if not any(span <= unit_free[u] for u in units):
                        ok = False
            if ok:
                starts.add(t)
                break
    return starts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_kernel_matches_the_brute_force_oracle(scenario):
    working, busy, items, units, needs_room, open_hours, step, window = scenario
    requests = tuple(
        ItemRequest(
            options=options,
            buffer_before=before,
            buffer_after=after,
            resource_needs=((tuple(sorted(units)),) if needs_room else ()),
        )
        for options, before, after in items
    )
    avail = Availability(working=working, busy=busy, unit_busy=units, open_hours=open_hours)
    slots = find_slots(avail, requests, window=window, step=step)
    assert {s.start for s in slots} == oracle(*scenario)
    # Every slot's assignment is itself valid: its segments lie in free time.
    for slot in slots:
        for assignment in slot.items:
            free = minutes(
                subtract(
                    normalise(working[assignment.master_id]), normalise(busy[assignment.master_id])
                )
            )
            for start, end in assignment.segments:
                assert set(range(start, end)) <= free
            if needs_room:
                assert len(assignment.units) == 1


def test_any_master_prefers_the_day_that_stays_whole():
    # Master 1 is free 9:00-18:00 with nothing booked; master 2 has 10:00-11:00 taken.
    # A 60-minute service at 11:00: master 2 continues seamlessly (no gap),
    # master 1 would be left with the same day cut in two: choose master 2.
    working = {1: [(540, 1080)], 2: [(540, 1080)]}
    busy = {1: [], 2: [(600, 660)]}
    segments, duration = plan_segments([(60, True)], buffer_before=0, buffer_after=0)
    options = tuple(MasterOption(m, segments, duration) for m in (1, 2))
    avail = Availability(working=working, busy=busy, useful_gap=90)
    [slot] = find_slots(avail, (ItemRequest(options=options),), window=(660, 660), step=15)
    assert slot.items[0].master_id == 2


def test_grid_follows_local_wall_clock_with_offsets():
    # A location at UTC+2: local 09:00 is 07:00 UTC (420). Step 30 minutes.
    segments, duration = plan_segments([(30, True)], buffer_before=0, buffer_after=0)
    avail = Availability(working={1: [(425, 600)]}, busy={})
    slots = find_slots(
        avail,
        (ItemRequest(options=(MasterOption(1, segments, duration),)),),
        window=(0, 1000),
        step=30,
        local_offset=lambda t: 120,
    )
    assert [s.start for s in slots][:2] == [450, 480]
