"""SLA rules: due times per priority, the clock stopped while waiting, breaches."""

from datetime import UTC, datetime, timedelta

import pytest

from solibook.support import services, sla
from solibook.support.models import Status
from solibook.support.tests.helpers import open_ticket

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("priority", "first", "resolution"),
    [("urgent", 1, 8), ("high", 4, 24), ("normal", 8, 72), ("low", 24, 120)],
)
def test_due_times_per_priority(priority, first, resolution):
    assert sla.due_times(priority=priority, created_at=T0) == (T0 + first * H, T0 + resolution * H)


def test_timer_counts_down_and_flags_breach():
    running = sla.timer(due=T0 + H, met_at=None, now=T0)
    assert running.running and running.remaining_seconds == 3600 and not running.breached
    late = sla.timer(due=T0 + H, met_at=None, now=T0 + 2 * H)
    assert late.breached and late.remaining_seconds == -3600
    met_late = sla.timer(due=T0 + H, met_at=T0 + 90 * timedelta(minutes=1), now=T0 + 5 * H)
    assert met_late.breached and not met_late.running


@pytest.mark.django_db
def test_waiting_stops_the_resolution_clock(agent):
    ticket = open_ticket(now=T0)  # normal: answer by 08:00 later, resolve within 72 h
    services.ticket_reply(
        ticket_id=ticket.pk, body="Which one?", author=agent, as_staff=True, now=T0 + 2 * H
    )
    ticket.refresh_from_db()
    first, resolution = sla.timers(ticket, now=T0 + 50 * H)
    assert not first.breached and first.met_at == T0 + 2 * H
    assert not resolution.running  # waiting on the requester: paused
    assert resolution.due == T0 + 72 * H + 48 * H
    services.ticket_reply(ticket_id=ticket.pk, body="Friday", now=T0 + 50 * H)
    ticket.refresh_from_db()
    assert ticket.resolution_due == T0 + 120 * H
    _first, resolution = sla.timers(ticket, now=T0 + 121 * H)
    assert resolution.running and resolution.breached


@pytest.mark.django_db
def test_priority_change_recomputes_and_breached_filter(agent):
    from solibook.support.selectors import QueueFilter, queue

    ticket = open_ticket(now=T0)
    services.ticket_set_priority(ticket_id=ticket.pk, priority="urgent", actor=agent, now=T0)
    ticket.refresh_from_db()
    assert ticket.first_response_due == T0 + H and ticket.resolution_due == T0 + 8 * H
    breached = queue(user=agent, filters=QueueFilter(breached=True), now=T0 + 2 * H)
    assert list(breached) == [ticket]
    services.ticket_set_status(
        ticket_id=ticket.pk, status=Status.RESOLVED, actor=agent, now=T0 + 3 * H
    )
    assert not queue(user=agent, filters=QueueFilter(breached=True), now=T0 + 9 * H).exists()
