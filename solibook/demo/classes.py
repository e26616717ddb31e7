"""Upcoming group classes in the demo, booked through the real booking services.

A class session opens with its first attendee (`appointment_create` makes
the `ClassSession`); later attendees take seats in it. Every group service
of the demo gets a few sessions in the coming days: some with seats left,
two full (so the class list shows "full" and offers the waitlist).
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec, from_minutes, to_minutes
from solibook.booking.services import appointment_create, slots_available
from solibook.core.errors import DomainError
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue import Catalogue
from solibook.demo.visits import Booked, VisitMaker
from solibook.demo.visits_data import CLIENT_NAMES

# Attendees per session, in the order the sessions are found; None: full.
# Two full sessions per class: each can show "full" and its waitlist to a
# visitor while the other is used (the journeys of the waitlist take one each).
SEATS_TAKEN = [2, None, 3, 1, None]
PREFERRED = time(18, 0)
FIRST_DAY = 2  # days ahead: beyond every demo salon's minimum notice


def _names(country: str) -> list[str]:
    first, last = CLIENT_NAMES[country][0], CLIENT_NAMES[country][1]
    return [f"{f} {last[i % len(last)]}" for i, f in enumerate(first)]


def _session_starts(catalogue: Catalogue, key: str, master, location, now: datetime) -> list:
    """One start a day (the free one nearest the evening) on days the master works."""
    zone = ZoneInfo(location.time_zone)
    today = now.astimezone(zone).date()
    starts = []
    for ahead in range(FIRST_DAY, FIRST_DAY + 21):
        day = today + timedelta(days=ahead)
        _loaded, slots = slots_available(
            business=catalogue.business,
            location_id=location.pk,
            specs=[ItemSpec(catalogue.services[key].pk, master_id=master.pk)],
            start_date=day,
            days=1,
            online=False,
            now=now,
        )
        if slots:
            preferred = to_minutes(datetime.combine(day, PREFERRED, tzinfo=zone))
            best = min(slots, key=lambda s: abs(s.start - preferred))
            starts.append(from_minutes(best.start))
        if len(starts) == len(SEATS_TAKEN):
            break
    return starts


def make_classes(catalogues: dict[str, Catalogue], staff: dict, visits: VisitMaker) -> None:
    """Book the demo's upcoming class sessions, a few days before now; they join
    the visits' records (`visits.backdate()` dates them), and what could not
    be booked joins `visits.missed`."""
    rng = random.Random(20240602)
    now = visits.now
    for name, catalogue in catalogues.items():
        group = [s for s in catalogue.spec["services"] if s.get("group_capacity", 1) > 1]
        for spec in group:
            key = spec["key"]
            teacher = next(m for m, keys in catalogue.master_services.items() if key in keys)
            master = catalogue.masters[teacher]
            location = catalogue.locations[catalogue.master_locations[teacher][0]]
            names = _names(catalogue.business.country)
            with business_scope(catalogue.business):
                starts = _session_starts(catalogue, key, master, location, now)
                for start, taken in zip(starts, SEATS_TAKEN, strict=False):
                    for _seat in range(taken or spec["group_capacity"]):
                        booked_at = now - timedelta(minutes=rng.randint(60, 60 * 72))
                        try:
                            seat = appointment_create(
                                business=catalogue.business,
                                location_id=location.pk,
                                specs=[ItemSpec(catalogue.services[key].pk, master_id=master.pk)],
                                start=start,
                                source=Source.BACK_OFFICE,
                                actor=staff[name],
                                client_name=rng.choice(names),
                                now=booked_at,
                            )
                        except DomainError as exc:
                            visits.missed.append(f"{name} {key} {start:%Y-%m-%d %H:%M}: {exc.code}")
                        else:
                            visits.booked.append(Booked(seat.pk, booked_at))
