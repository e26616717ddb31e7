"""Demo appointments, booked through the real booking services.

Each visit is placed where the availability engine finds a free slot (so
nothing overlaps and schedules, breaks, time off and rooms are respected),
booked with `appointment_create` at a moment before it starts, then
completed, marked no-show or cancelled like the front desk would. Past
visits cover the last weeks, upcoming ones the next weeks, all relative to
today, with a fixed random seed.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django_scopes import scopes_disabled

from solibook.booking.models import (
    Appointment,
    AppointmentEvent,
    Source,
    Status,
)
from solibook.booking.selectors import ItemSpec, from_minutes, to_minutes
from solibook.booking.services import (
    appointment_cancel,
    appointment_create,
    appointment_deposit_paid,
    appointment_set_status,
    slots_available,
)
from solibook.booking.services.no_show import no_show_finalise, no_show_mark
from solibook.catalog.models import Location, LocationClosure, OpeningHours
from solibook.clients.models import ClientPatchTest, ConsultationAnswer, ConsultationForm
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import DomainError
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue import Catalogue, clock
from solibook.demo.noshow import add_no_show_visits
from solibook.demo.rewards import add_desk_rewards
from solibook.demo.till import add_till_visits
from solibook.demo.visits_data import (
    CANCEL_REASONS,
    CLIENT_NAMES,
    CLIENT_VISITS,
    CONSULTATIONS,
    FUTURE_DAYS,
    NEAR_DAYS,
    NOTES,
    PAST_DAYS,
    PATCH_TESTS,
    PHONE_FORMATS,
    VISITS_PER_DAY,
)

ONLINE_SOURCES = [
    Source.MARKETPLACE,
    Source.MARKETPLACE,
    Source.BOOKING_LINK,
    Source.BOOKING_LINK,
    Source.WIDGET,
]
MIN_ONLINE_NOTICE = timedelta(hours=5)  # more than any demo salon's minimum notice


@dataclass
class Booked:
    appointment_id: int
    booked_at: datetime
    moments: dict[str, datetime] = field(default_factory=dict)  # event kind -> when it happened


@dataclass
class Place:
    """A location of a demo business, with what the visit generator needs."""

    catalogue: Catalogue
    location: Location
    zone: ZoneInfo
    staff: object  # who books at the front desk
    closed: set[date]
    open_weekdays: set[int]
    masters: list[str]  # working here
    menu: list[tuple[str, int]]  # (service key, weight) offered here and bookable by anyone

    @property
    def business(self):
        return self.catalogue.business


class VisitMaker:
    def __init__(self, *, now: datetime, rng: random.Random, users: dict):
        self.now = now
        self.rng = rng
        self.users = users
        self.booked: list[Booked] = []
        self.missed: list[str] = []  # visits the engine refused, or found no time for

    # --- places -------------------------------------------------------------------------
    def place(self, catalogue: Catalogue, location_name: str, staff) -> Place:
        location = catalogue.locations[location_name]
        masters = [m for m, where in catalogue.master_locations.items() if location_name in where]
        offered = set().union(*(catalogue.master_services[m] for m in masters))
        menu = [
            (s["key"], s.get("weight", 1))
            for s in catalogue.spec["services"]
            if s["key"] in offered
            and s.get("weight", 1) > 0
            and not (
                s.get("requires_patch_test")
                or s.get("requires_consultation")
                or s.get("group_capacity", 1) > 1
            )
        ]
        return Place(
            catalogue=catalogue,
            location=location,
            zone=ZoneInfo(location.time_zone),
            staff=staff,
            closed=set(
                LocationClosure.objects.filter(location=location).values_list("date", flat=True)
            ),
            open_weekdays=set(
                OpeningHours.objects.filter(location=location).values_list("weekday", flat=True)
            ),
            masters=masters,
            menu=menu,
        )

    def today(self, place: Place) -> date:
        return self.now.astimezone(place.zone).date()

    # --- finding and booking a time -------------------------------------------------------
    def slots(self, place: Place, specs: list[ItemSpec], day: date) -> list:
        """Free starts on `day` as the salon sees them (no online notice rules)."""
        if day in place.closed or day.weekday() not in place.open_weekdays:
            return []
        midnight = datetime.combine(day, time.min, tzinfo=place.zone)
        _loaded, slots = slots_available(
            business=place.business,
            location_id=place.location.pk,
            specs=specs,
            start_date=day,
            days=1,
            online=False,
            now=min(self.now, midnight - timedelta(days=1)),
        )
        return slots

    def book(
        self,
        place: Place,
        specs: list[ItemSpec],
        start: datetime,
        *,
        source: str,
        outcome: str,
        account=None,
        name: str = "",
        phone: str = "",
        notes: str = "",
    ) -> Appointment:
        rng = self.rng
        online = source != Source.BACK_OFFICE
        notice = (
            MIN_ONLINE_NOTICE + timedelta(hours=rng.randint(0, 24 * 14))
            if online
            else timedelta(minutes=rng.randint(30, 60 * 24 * 10))
        )
        booked_at = min(self.now - timedelta(minutes=rng.randint(5, 600)), start - notice)
        actor = account if (online and account is not None) else place.staff
        appointment = appointment_create(
            business=place.business,
            location_id=place.location.pk,
            specs=specs,
            start=start,
            source=source,
            actor=actor,
            account=account,
            client_name=name,
            client_phone=phone,
            notes=notes,
            now=booked_at,
        )
        if appointment.status == Status.AWAITING_DEPOSIT:
            # The demo's online clients pay their deposit a minute after booking.
            appointment = appointment_deposit_paid(
                business=place.business,
                appointment_id=appointment.pk,
                actor=actor,
                now=booked_at + timedelta(minutes=1),
            )
        record = Booked(appointment.pk, booked_at)
        if outcome == "auto":
            outcome = self._outcome(appointment)
        if outcome in ("completed", "no_show", "in_progress"):
            status, at = {
                "completed": (Status.COMPLETED, appointment.ends_at),
                "no_show": (Status.NO_SHOW, appointment.starts_at + timedelta(minutes=20)),
                "in_progress": (Status.IN_PROGRESS, appointment.starts_at),
            }[outcome]
            if status == Status.NO_SHOW:
                # Marked 20 minutes in, final once the undo window closed: history,
                # so the message and fee went out then (backdate marks them processed).
                no_show_mark(
                    business=place.business,
                    appointment_id=appointment.pk,
                    actor=place.staff,
                    now=at,
                )
                no_show_finalise(
                    business=place.business,
                    appointment_id=appointment.pk,
                    now=at + timedelta(minutes=place.business.no_show_undo_minutes),
                )
                record.moments["no_show_marked"] = at
            else:
                appointment_set_status(
                    business=place.business,
                    appointment_id=appointment.pk,
                    status=status,
                    actor=place.staff,
                )
            record.moments["status"] = at
        elif outcome.startswith("cancelled"):
            by_client = outcome == "cancelled_by_client"
            latest = min(appointment.starts_at, self.now)
            cancel_at = booked_at + (latest - booked_at) * rng.uniform(0.2, 0.97)
            reasons = CANCEL_REASONS[place.business.country]["client" if by_client else "salon"]
            appointment_cancel(
                business=place.business,
                appointment_id=appointment.pk,
                actor=account if (by_client and account) else place.staff,
                by_client=by_client,
                reason=rng.choice(reasons),
                now=cancel_at,
            )
            record.moments["cancelled"] = cancel_at
        self.booked.append(record)
        return appointment

    # --- the demo clients ---------------------------------------------------------------
    def client_visits(self, places: dict[str, Place]) -> None:
        for email, location_name, items, offset, preferred, source, outcome in CLIENT_VISITS:
            place = places[location_name]
            account = self.users[email]
            specs = self._specs(place, items)
            start = self._nearest(
                place, specs, offset, clock(preferred), past=outcome not in ("confirmed",)
            )
            if start is None:
                self.missed.append(f"{email} {location_name} {offset}: no free time")
                continue
            with business_scope(place.business):
                self.book(place, specs, start, source=source, outcome=outcome, account=account)

    def _specs(self, place: Place, items) -> list[ItemSpec]:
        catalogue = place.catalogue
        return [
            ItemSpec(
                service_id=catalogue.services[key].pk,
                variant_id=catalogue.variants[(key, variant)].pk if variant else None,
                master_id=catalogue.masters[master].pk if master else None,
            )
            for key, variant, master in items
        ]

    def _nearest(
        self, place: Place, specs, offset: int, preferred: time, *, past: bool
    ) -> datetime | None:
        """The free start closest to `preferred` on the day `offset`, or on the nearest day that has one."""
        today = self.today(place)
        now_minute = to_minutes(self.now)
        for shift in (0, *(d for n in range(1, 11) for d in (n, -n))):
            day = today + timedelta(days=offset + shift)
            with business_scope(place.business):
                slots = self.slots(place, specs, day)
            if past:
                slots = [s for s in slots if s.end <= now_minute]
            else:
                slots = [s for s in slots if s.start >= to_minutes(self.now + MIN_ONLINE_NOTICE)]
            if slots:
                target = to_minutes(datetime.combine(day, preferred, tzinfo=place.zone))
                best = min(slots, key=lambda s: (abs(s.start - target), s.start))
                return from_minutes(best.start)
        return None

    # --- everyone else -------------------------------------------------------------------
    def everyday_visits(self, place: Place) -> None:
        rng = self.rng
        today = self.today(place)
        per_day = VISITS_PER_DAY[place.location.name]
        if not place.menu:
            return
        keys, weights = zip(*place.menu, strict=True)
        for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
            day = today + timedelta(days=offset)
            if day in place.closed or day.weekday() not in place.open_weekdays:
                continue
            mean = per_day * (2 if abs(offset) <= NEAR_DAYS else 1)
            count = int(mean) + (1 if rng.random() < mean - int(mean) else 0)
            for _ in range(count):
                items = [self._item(place, rng.choices(keys, weights)[0])]
                if rng.random() < 0.08 and len(keys) > 1:
                    second = rng.choices(keys, weights)[0]
                    if self._chainable(place, items[0][0], second):
                        items.append(self._item(place, second, anyone=True))
                specs = self._specs(place, items)
                with business_scope(place.business):
                    slots = self.slots(place, specs, day)
                    if not slots:
                        continue
                    try:
                        self._invent(
                            place,
                            specs,
                            [key for key, _v, _m in items],
                            from_minutes(rng.choice(slots).start),
                        )
                    except DomainError as exc:
                        # The engine offered a time it then refused: a bug the
                        # tests catch (`missed`), not a reason to stop `make run`.
                        self.missed.append(f"{place.location.name} {day}: {exc}")

    @staticmethod
    def _chainable(place: Place, first: str, second: str) -> bool:
        """Two different services in one visit, with no buffer between them.

        A buffer between two items of one visit done by the same master (or
        in the same room) is written as two segments that overlap, which
        PostgreSQL's exclusion constraint refuses: the demo avoids it."""
        services = {s["key"]: s for s in place.catalogue.spec["services"]}
        return (
            first != second
            and not services[first].get("buffer_after_minutes")
            and not services[second].get("buffer_before_minutes")
        )

    def _item(
        self, place: Place, key: str, *, anyone: bool = False
    ) -> tuple[str, str | None, str | None]:
        rng = self.rng
        variants = [name for (service_key, name) in place.catalogue.variants if service_key == key]
        masters = [m for m in place.masters if key in place.catalogue.master_services[m]]
        master = rng.choice(masters) if (not anyone and rng.random() < 0.3) else None
        return key, (rng.choice(variants) if variants else None), master

    def _outcome(self, appointment: Appointment) -> str:
        if appointment.ends_at <= self.now:
            return self.rng.choices(
                ["completed", "no_show", "cancelled_by_client", "cancelled_by_salon"], [84, 5, 8, 3]
            )[0]
        if appointment.starts_at <= self.now:
            return "in_progress"
        return self.rng.choices(["confirmed", "cancelled_by_client"], [92, 8])[0]

    def _invent(self, place: Place, specs, keys: list[str], start: datetime) -> None:
        rng = self.rng
        services = {s["key"]: s for s in place.catalogue.spec["services"]}
        online_ok = all(services[k].get("bookable_online", True) for k in keys)
        source = (
            rng.choice(ONLINE_SOURCES) if (online_ok and rng.random() < 0.6) else Source.BACK_OFFICE
        )
        audience = services[keys[0]].get("audience", place.catalogue.spec["audience"])
        country = place.business.country
        women, men, women_family, men_family = CLIENT_NAMES[country]
        is_man = audience == "men" or (audience == "any" and rng.random() < 0.4 and bool(men))
        first = rng.choice(men if is_man else women)
        family = rng.choice((men_family or women_family) if is_man else women_family)
        prefix, digits = PHONE_FORMATS[country]
        phone = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
        notes = rng.choice(NOTES[country]) if rng.random() < 0.15 else ""
        self.book(
            place,
            specs,
            start,
            source=source,
            outcome="auto",
            name=f"{first} {family}",
            phone=phone,
            notes=notes,
        )

    # --- history looks like history ----------------------------------------------------
    def backdate(self) -> None:
        """Appointments and their events carry the moments they happened at,
        not the seeding time; their outbox events are history, not news."""
        if not self.booked:
            return
        by_id = {b.appointment_id: b for b in self.booked}
        with scopes_disabled():
            appointments = list(Appointment.objects.filter(pk__in=by_id))
            for appointment in appointments:
                record = by_id[appointment.pk]
                appointment.created_at = record.booked_at
                appointment.updated_at = max([record.booked_at, *record.moments.values()])
            Appointment.objects.bulk_update(
                appointments, ["created_at", "updated_at"], batch_size=500
            )
            events = list(AppointmentEvent.objects.filter(appointment_id__in=by_id))
            for event in events:
                record = by_id[event.appointment_id]
                event.created_at = record.moments.get(event.kind, record.booked_at)
            AppointmentEvent.objects.bulk_update(events, ["created_at"], batch_size=500)
            businesses = {a.business_id for a in appointments}
            OutboxEvent.objects.filter(
                business_id__in=businesses,
                topic__startswith="appointment.",
                processed_at__isnull=True,
            ).update(processed_at=self.now)


def add_requirements(catalogues: dict[str, Catalogue], users: dict, *, now: datetime) -> None:
    """Patch tests and consultations the demo clients already went through,
    on their cards at the salon (found or created as a booking does)."""
    for email, business_name, key, days_ago in PATCH_TESTS:
        catalogue = catalogues[business_name]
        taken_on = (now - timedelta(days=days_ago)).date()
        with business_scope(catalogue.business):
            ClientPatchTest.objects.create(
                business=catalogue.business,
                client=client_card_for_booking(business=catalogue.business, user=users[email]),
                service=catalogue.services[key],
                taken_at=taken_on,
                valid_until=taken_on + timedelta(days=180),
                passed=True,
            )
    for email, business_name, key, answers in CONSULTATIONS:
        catalogue = catalogues[business_name]
        service = catalogue.services[key]
        with business_scope(catalogue.business):
            form, _created = ConsultationForm.objects.get_or_create(
                business=catalogue.business,
                service=service,
                defaults={"name": service.name, "questions": list(answers)},
            )
            ConsultationAnswer.objects.create(
                business=catalogue.business,
                client=client_card_for_booking(business=catalogue.business, user=users[email]),
                form=form,
                answers=[{"question": q, "answer": a} for q, a in answers.items()],
                approved=True,
            )


def make_visits(
    catalogues: dict[str, Catalogue],
    staff: dict[str, object],
    users: dict,
    *,
    now: datetime,
    seed: int,
) -> VisitMaker:
    """Book the demo clients' visits, then everyday visits at every location."""
    maker = VisitMaker(now=now, rng=random.Random(seed), users=users)
    places = {}
    for name, catalogue in catalogues.items():
        with business_scope(catalogue.business):
            for location_name in catalogue.locations:
                places[location_name] = maker.place(catalogue, location_name, staff[name])
    add_requirements(catalogues, users, now=now)
    maker.client_visits(places)
    add_no_show_visits(maker, places)
    add_desk_rewards(maker, places)
    for place in places.values():
        maker.everyday_visits(place)
    add_till_visits(maker, places)
    maker.backdate()
    return maker
