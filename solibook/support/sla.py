"""SLA rules of the support desk (pure: no ORM, no clock).

The rules, in calendar hours (the desk is staffed every day):

| priority | first response | resolution |
|----------|----------------|------------|
| urgent   | 1 h            | 8 h        |
| high     | 4 h            | 24 h       |
| normal   | 8 h            | 72 h       |
| low      | 24 h           | 120 h      |

- A salon's ticket starts `high` (a salon's trouble stops its bookings); every
  other ticket starts `normal`. Staff may change the priority: both due times
  are recomputed from the ticket's creation.
- The first response is due once; the first staff reply meets it.
- The resolution clock stops while the ticket waits on the requester: the time
  spent waiting is added to the resolution due time (`paused_seconds`).
- A timer is breached when its due time passed before it was met (or, still
  running, now is past it). Resolved and closed tickets show no countdown.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

HOURS: dict[str, tuple[int, int]] = {
    "urgent": (1, 8),
    "high": (4, 24),
    "normal": (8, 72),
    "low": (24, 120),
}


def initial_priority(*, from_salon: bool) -> str:
    return "high" if from_salon else "normal"


def due_times(
    *, priority: str, created_at: datetime, paused_seconds: int = 0
) -> tuple[datetime, datetime]:
    """(first response due, resolution due)."""
    first, resolution = HOURS[priority]
    return (
        created_at + timedelta(hours=first),
        created_at + timedelta(hours=resolution, seconds=paused_seconds),
    )


@dataclass(frozen=True)
class Timer:
    due: datetime
    met_at: datetime | None
    running: bool  # still counting down
    remaining_seconds: int  # negative when overdue
    breached: bool


def timer(*, due: datetime, met_at: datetime | None, now: datetime, paused: bool = False) -> Timer:
    if met_at is not None:
        return Timer(due, met_at, False, int((due - met_at).total_seconds()), met_at > due)
    remaining = int((due - now).total_seconds())
    return Timer(due, None, not paused, remaining, remaining < 0)


def timers(ticket, *, now: datetime) -> tuple[Timer, Timer]:
    """The ticket's first-response and resolution timers at `now`."""
    closed_at = ticket.resolved_at or ticket.closed_at
    first = timer(due=ticket.first_response_due, met_at=ticket.first_responded_at, now=now)
    paused = ticket.waiting_since is not None
    resolution_due = ticket.resolution_due
    if paused:  # the clock stopped when the ticket started waiting
        resolution_due = resolution_due + (now - ticket.waiting_since)
    resolution = timer(due=resolution_due, met_at=closed_at, now=now, paused=paused)
    return first, resolution
