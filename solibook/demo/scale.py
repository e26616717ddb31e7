"""Generated salons for benchmarks: bulk inserts only, deterministic for a seed.

Each salon: an owner, a business, one location with opening hours, 1-3
masters with weekly shifts (some split, some with a break), 2-4 services
with steps (some with processing time) and master links (some with their
own price or pace), and `appointments_per_salon` confirmed visits spread
over the 60 days before and the 30 days after `today`, each with its
`AppointmentItem` and one `BookingSegment` per busy part of the master
(as the booking engine writes them), never overlapping for a master.

Salon i draws from its own random generator seeded with (seed, i), so its
data depends neither on the batch size nor on the other salons. Slugs and
owner e-mails carry the seed, so several scales can share a database.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.booking.intervals import normalise, subtract
from solibook.booking.kernel import plan_segments
from solibook.booking.models import Appointment, AppointmentItem, BookingSegment, Source, Status
from solibook.catalog.models import (
    Business,
    Location,
    Master,
    MasterLocation,
    MasterService,
    OpeningHours,
    Service,
    ServiceStep,
    ShiftBreak,
    WeeklyShift,
)
from solibook.catalog.services import business_settings_create
from solibook.demo.catalogue import clock, ensure_taxonomy
from solibook.demo.data import (
    SCALE_CITIES,
    SCALE_NAME_PARTS,
    SCALE_OPENING_HOURS,
    SCALE_SERVICES,
    SCALE_SHIFT_PATTERNS,
)
from solibook.demo.visits_data import CLIENT_NAMES, PHONE_FORMATS

PAST_DAYS = 60
FUTURE_DAYS = 30
ROWS_PER_INSERT = 2000
APPOINTMENTS_PER_CHUNK = 20000  # what one transaction holds in memory
GRID = 15  # visits start on the quarter hour
GAPS = (0, 0, 0, 15, 15, 30, 45, 60)
SOURCES = (
    Source.MARKETPLACE,
    Source.MARKETPLACE,
    Source.BOOKING_LINK,
    Source.BACK_OFFICE,
    Source.BACK_OFFICE,
    Source.WIDGET,
)
COLORS = ("#7a2e5a", "#2e6f9e", "#3d7a4a", "#8a5a2b", "#6b4fa3", "#c0392b")


@dataclass
class ScaleReport:
    salons: int
    appointments: int


def _person(rng: random.Random, country: str) -> str:
    women, _men, women_family, _men_family = CLIENT_NAMES[country]
    return f"{rng.choice(women)} {rng.choice(women_family)}"


def _minutes(text: str) -> int:
    t = clock(text)
    return t.hour * 60 + t.minute


def _windows(pattern) -> dict[int, list[tuple[int, int]]]:
    """Weekday -> working windows in local minutes (shifts minus breaks)."""
    weekdays, shifts = pattern
    windows = []
    for start, end, breaks in shifts:
        cursor = _minutes(start)
        for b_start, b_end in breaks:
            windows.append((cursor, _minutes(b_start)))
            cursor = _minutes(b_end)
        windows.append((cursor, _minutes(end)))
    return dict.fromkeys(weekdays, windows)


def _fit(free: tuple[int, int], earliest: int, duration: int) -> int | None:
    """The first quarter hour from `earliest` where `duration` fits in `free`."""
    start = earliest + (-earliest) % GRID
    return start if start + duration <= free[1] else None


class _Salon:
    """One generated salon as plain data, before any row exists."""

    def __init__(self, *, index: int, seed: int, appointments: int, today: date):
        rng = random.Random(f"solibook-scale:{seed}:{index}")
        self.index = index
        city, country, currency, zone, lat, lon = SCALE_CITIES[index % len(SCALE_CITIES)]
        first, second = SCALE_NAME_PARTS[country]
        self.name = f"{rng.choice(first)} {rng.choice(second)} {index + 1}"
        self.city, self.country, self.currency, self.zone = city, country, currency, ZoneInfo(zone)
        self.latitude = Decimal(f"{lat + rng.uniform(-0.08, 0.08):.6f}")
        self.longitude = Decimal(f"{lon + rng.uniform(-0.08, 0.08):.6f}")
        self.address = f"{rng.randint(1, 200)}"
        self.services = rng.sample(
            SCALE_SERVICES[country], rng.randint(2, min(4, len(SCALE_SERVICES[country])))
        )
        n_masters = rng.randint(1, 3)
        self.masters = [_person(rng, country) for _ in range(n_masters)]
        self.patterns = [rng.choice(SCALE_SHIFT_PATTERNS[country]) for _ in range(n_masters)]
        # (master index, service index, own price or None, pace): every service
        # has a master and every master a service.
        links = {(s % n_masters, s) for s in range(len(self.services))} | {
            (m, m % len(self.services)) for m in range(n_masters)
        }
        links |= {
            (m, s)
            for m in range(n_masters)
            for s in range(len(self.services))
            if rng.random() < 0.5
        }
        self.links = []
        for m, s in sorted(links):
            price = int(round(self.services[s][3] * 1.2, -2)) if rng.random() < 0.15 else None
            pace = rng.choice((-10, -5, 5, 10)) if rng.random() < 0.1 else 0
            self.links.append((m, s, price, pace))
        self.visits = self._visits(rng, appointments, today)

    def _visits(self, rng: random.Random, count: int, today: date) -> list[tuple]:
        """(master, service, local day, start minute, client name, phone, source), never overlapping per master."""
        by_master: dict[int, list[tuple[int, int | None, int]]] = {}
        for m, s, price, pace in self.links:
            by_master.setdefault(m, []).append((s, price, pace))
        windows = [_windows(p) for p in self.patterns]
        days = [today + timedelta(days=d) for d in range(-PAST_DAYS, FUTURE_DAYS)]
        pairs = [
            (m, day)
            for m in range(len(self.masters))
            for day in days
            if day.weekday() in windows[m]
        ]
        cursors: dict[int, int] = {}  # pair -> where the next visit of that day goes
        taken: dict[int, list[tuple[int, int]]] = {}  # pair -> the master's visits that day
        prefix, digits = PHONE_FORMATS[self.country]
        visits = []
        for _ in range(count if pairs else 0):
            for _attempt in range(25):
                p = rng.randrange(len(pairs))
                m, day = pairs[p]
                s, price, pace = rng.choice(by_master[m])
                duration = plan_segments(
                    self.services[s][2], buffer_before=0, buffer_after=0, delta=pace
                )[1]
                day_windows = windows[m][day.weekday()]
                if p not in cursors:  # the day's first visit starts somewhere in its first half
                    span = day_windows[-1][1] - day_windows[0][0]
                    cursors[p] = day_windows[0][0] + GRID * rng.randrange(max(1, span // 2 // GRID))
                free = subtract(day_windows, normalise(taken.get(p, ())))
                # After the day's last visit if it fits, else in an earlier gap.
                start = next(
                    (
                        c
                        for c in (_fit(f, max(f[0], cursors[p]), duration) for f in free)
                        if c is not None
                    ),
                    None,
                )
                if start is None:
                    start = next(
                        (c for c in (_fit(f, f[0], duration) for f in free) if c is not None), None
                    )
                if start is not None:
                    taken.setdefault(p, []).append((start, start + duration))
                    if start >= cursors[p]:
                        cursors[p] = start + duration + rng.choice(GAPS)
                    phone = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
                    visits.append(
                        (
                            m,
                            s,
                            price,
                            pace,
                            day,
                            start,
                            _person(rng, self.country),
                            phone,
                            rng.choice(SOURCES),
                        )
                    )
                    break
        return visits


def _chunk_rows(
    salons: list[_Salon], *, seed: int, password: str, categories: dict[str, int]
) -> int:
    """Insert the rows of a few salons, parents first; returns the appointments written."""

    def insert(model, rows):
        return model.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)

    owners = insert(
        User,
        [
            User(
                email=f"owner{s.index}.s{seed}@scale.solibook.test",
                full_name=s.name,
                password=password,
            )
            for s in salons
        ],
    )
    businesses = insert(
        Business,
        [
            Business(
                name=s.name, slug=f"scale-{seed}-{s.index}", currency=s.currency, country=s.country
            )
            for s in salons
        ],
    )
    for b in businesses:
        business_settings_create(business=b)
    insert(
        Membership,
        [
            Membership(business=b, user=u, role="owner")
            for b, u in zip(businesses, owners, strict=True)
        ],
    )
    locations = insert(
        Location,
        [
            Location(
                business=b,
                name=s.name,
                slug="main",
                address=s.address,
                city=s.city,
                country=s.country,
                time_zone=s.zone.key,
                latitude=s.latitude,
                longitude=s.longitude,
            )
            for b, s in zip(businesses, salons, strict=True)
        ],
    )
    insert(
        OpeningHours,
        [
            OpeningHours(
                business=b, location=loc, weekday=weekday, opens=clock(opens), closes=clock(closes)
            )
            for b, loc, s in zip(businesses, locations, salons, strict=True)
            for weekdays, opens, closes in SCALE_OPENING_HOURS[s.country]
            for weekday in weekdays
        ],
    )
    services = insert(
        Service,
        [
            Service(
                business=b,
                category_id=categories[category],
                name=name,
                price_amount=price,
                currency=s.currency,
                position=i,
            )
            for b, s in zip(businesses, salons, strict=True)
            for i, (category, name, _steps, price) in enumerate(s.services)
        ],
    )
    masters = insert(
        Master,
        [
            Master(business=b, display_name=name, color=COLORS[i % len(COLORS)], position=i)
            for b, s in zip(businesses, salons, strict=True)
            for i, name in enumerate(s.masters)
        ],
    )
    # Per salon, its services and masters in the order they were built.
    service_of, master_of = [], []
    si = mi = 0
    for s in salons:
        service_of.append(services[si : si + len(s.services)])
        master_of.append(masters[mi : mi + len(s.masters)])
        si += len(s.services)
        mi += len(s.masters)
    insert(
        ServiceStep,
        [
            ServiceStep(
                business=svc.business,
                service=svc,
                position=i,
                duration_minutes=minutes,
                master_busy=busy,
            )
            for k, s in enumerate(salons)
            for svc, spec in zip(service_of[k], s.services, strict=True)
            for i, (minutes, busy) in enumerate(spec[2])
        ],
    )
    insert(
        MasterLocation,
        [
            MasterLocation(business=loc.business, master=m, location=loc)
            for k, loc in enumerate(locations)
            for m in master_of[k]
        ],
    )
    insert(
        MasterService,
        [
            MasterService(
                business=businesses[k],
                master=master_of[k][m],
                service=service_of[k][sv],
                price_amount=price,
                duration_delta_minutes=pace,
            )
            for k, s in enumerate(salons)
            for m, sv, price, pace in s.links
        ],
    )
    shift_rows, break_specs = [], []
    for k, s in enumerate(salons):
        for m, (weekdays, shifts) in enumerate(s.patterns):
            for weekday in weekdays:
                for start, end, breaks in shifts:
                    shift_rows.append(
                        WeeklyShift(
                            business=businesses[k],
                            master=master_of[k][m],
                            location=locations[k],
                            weekday=weekday,
                            start=clock(start),
                            end=clock(end),
                        )
                    )
                    break_specs.append(breaks)
    shifts = insert(WeeklyShift, shift_rows)
    insert(
        ShiftBreak,
        [
            ShiftBreak(business=shift.business, shift=shift, start=clock(b_start), end=clock(b_end))
            for shift, breaks in zip(shifts, break_specs, strict=True)
            for b_start, b_end in breaks
        ],
    )

    rows, plans = [], []
    for k, s in enumerate(salons):
        for m, sv, price, pace, day, start_minute, client, phone, source in s.visits:
            starts_at = datetime.combine(
                day, time(start_minute // 60, start_minute % 60), tzinfo=s.zone
            ).astimezone(UTC)
            segments, duration = plan_segments(
                s.services[sv][2], buffer_before=0, buffer_after=0, delta=pace
            )
            amount = price if price is not None else s.services[sv][3]
            rows.append(
                Appointment(
                    business_id=businesses[k].pk,
                    location_id=locations[k].pk,
                    status=Status.CONFIRMED,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=duration),
                    source=source,
                    price_amount=amount,
                    currency=s.currency,
                    client_name=client,
                    client_phone=phone,
                )
            )
            plans.append((master_of[k][m].pk, service_of[k][sv].pk, amount, segments))
    appointments = insert(Appointment, rows)
    items = insert(
        AppointmentItem,
        [
            AppointmentItem(
                business_id=a.business_id,
                appointment_id=a.pk,
                service_id=service,
                master_id=master,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                price_amount=amount,
            )
            for a, (master, service, amount, _segments) in zip(appointments, plans, strict=True)
        ],
    )
    insert(
        BookingSegment,
        [
            BookingSegment(
                business_id=a.business_id,
                appointment_id=a.pk,
                item_id=item.pk,
                master_id=master,
                starts_at=a.starts_at + timedelta(minutes=seg.offset),
                ends_at=a.starts_at + timedelta(minutes=seg.offset + seg.length),
            )
            for a, item, (master, _service, _amount, segments) in zip(
                appointments, items, plans, strict=True
            )
            for seg in segments
        ],
    )
    return len(appointments)


def seed_scale(
    *,
    salons: int,
    seed: int,
    appointments_per_salon: int = 20,
    batch: int = 500,
    today: date | None = None,
) -> ScaleReport:
    """`salons` generated businesses with their catalogue and appointments, in bulk.

    `batch` caps the salons written per transaction (fewer when they carry
    many appointments); `today` (default: today in UTC) anchors the visits."""
    today = today or timezone.now().astimezone(UTC).date()
    per_chunk = max(1, min(batch, APPOINTMENTS_PER_CHUNK // max(1, appointments_per_salon)))
    password = make_password(None)  # unusable: generated owners never log in
    written = 0
    with scopes_disabled():
        categories = ensure_taxonomy()
        for first in range(0, salons, per_chunk):
            chunk = [
                _Salon(index=i, seed=seed, appointments=appointments_per_salon, today=today)
                for i in range(first, min(salons, first + per_chunk))
            ]
            with transaction.atomic():
                written += _chunk_rows(chunk, seed=seed, password=password, categories=categories)
    return ScaleReport(salons=salons, appointments=written)
