"""Build one demo business's catalogue through the real catalogue services.

Every feature of the catalogue is exercised: booking rules, opening hours,
resources with capacity, services with steps (processing time), variants,
buffers, patch tests, consultations, classes, masters with their own price
and pace (one linked to a user), weekly shifts with splits and breaks,
date overrides, time off, manual closures and imported public holidays.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from solibook.catalog.models import Category, Location, Master, Service, ServiceVariant
from solibook.catalog.services import (
    business_update_settings,
    closure_add,
    date_override_set,
    holidays_import,
    master_create,
    opening_hours_set,
    resource_create,
    resource_type_create,
    service_create,
    time_off_add,
    weekly_schedule_set,
)
from solibook.catalog.taxonomy import CATEGORIES, load_into
from solibook.core.tenancy import business_scope
from solibook.demo.visits_data import PAST_DAYS

SERVICE_OPTIONS = (
    "description",
    "price_is_from",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "bookable_online",
    "requires_patch_test",
    "requires_consultation",
    "group_capacity",
)


def ensure_taxonomy() -> dict[str, int]:
    """Category ids by slug, reloading the taxonomy when its rows are missing
    (a flushed database: `manage.py flush`, transactional tests)."""
    if Category.objects.count() < len(CATEGORIES):
        load_into(Category)
    return dict(Category.objects.values_list("slug", "pk"))


def clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def demo_day(today: date, when) -> date:
    """An offset in days, or ("next", weekday, at least N days ahead)."""
    if isinstance(when, int):
        return today + timedelta(days=when)
    _next, weekday, ahead = when
    day = today + timedelta(days=ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


@dataclass
class Catalogue:
    """What was built, by the names the demo data uses."""

    business: object
    spec: dict
    locations: dict[str, Location]
    services: dict[str, Service] = field(default_factory=dict)
    variants: dict[tuple[str, str], ServiceVariant] = field(default_factory=dict)
    masters: dict[str, Master] = field(default_factory=dict)
    master_services: dict[str, set[str]] = field(
        default_factory=dict
    )  # master name -> service keys
    master_locations: dict[str, list[str]] = field(
        default_factory=dict
    )  # master name -> location names


def _steps(steps) -> list[dict]:
    return [
        {"duration_minutes": minutes, "master_busy": busy, "label": label}
        for minutes, busy, label in steps
    ]


def build_catalogue(
    *, business, owner, spec: dict, locations: dict[str, Location], users: dict, now: datetime
) -> Catalogue:
    built = Catalogue(business=business, spec=spec, locations=locations)
    with business_scope(business):
        business_update_settings(actor=owner, business=business, **spec["settings"])
        for name, rows in spec["opening_hours"].items():
            periods = [
                {"weekday": weekday, "opens": clock(opens), "closes": clock(closes)}
                for weekdays, hours in rows
                for weekday in weekdays
                for opens, closes in hours
            ]
            opening_hours_set(
                actor=owner, business=business, location_id=locations[name].pk, periods=periods
            )

        resource_types = {}
        for type_name, location_name, name, capacity in spec["resources"]:
            if type_name not in resource_types:
                resource_types[type_name] = resource_type_create(
                    actor=owner, business=business, name=type_name
                )
            resource_create(
                actor=owner,
                business=business,
                location_id=locations[location_name].pk,
                resource_type_id=resource_types[type_name].pk,
                name=name,
                capacity=capacity,
            )

        categories = ensure_taxonomy()
        for position, service_spec in enumerate(spec["services"]):
            service = service_create(
                actor=owner,
                business=business,
                category_id=categories[service_spec["category"]],
                name=service_spec["name"],
                price_amount=service_spec["price_amount"],
                position=position,
                steps=_steps(service_spec["steps"]),
                variants=[
                    {
                        "name": v["name"],
                        "price_amount": v["price_amount"],
                        "steps": _steps(v["steps"]),
                    }
                    for v in service_spec.get("variants", ())
                ],
                resource_type_ids=[
                    resource_types[t].pk for t in service_spec.get("resource_types", ())
                ],
                **{k: v for k, v in service_spec.items() if k in SERVICE_OPTIONS},
            )
            built.services[service_spec["key"]] = service
            for variant in ServiceVariant.objects.filter(service=service):
                built.variants[(service_spec["key"], variant.name)] = variant

        for position, master_spec in enumerate(spec["masters"]):
            links = []
            for link in master_spec["services"]:
                key, price, pace = (link, None, 0) if isinstance(link, str) else link
                links.append(
                    {
                        "service_id": built.services[key].pk,
                        "price_amount": price,
                        "duration_delta_minutes": pace,
                    }
                )
            location_names = list(master_spec["schedule"])
            master = master_create(
                actor=owner,
                business=business,
                display_name=master_spec["name"],
                bio=master_spec["bio"],
                color=master_spec["color"],
                position=position,
                location_ids=[locations[n].pk for n in location_names],
                services=links,
                user=users[master_spec["user"]] if master_spec.get("user") else None,
            )
            built.masters[master.display_name] = master
            built.master_services[master.display_name] = {
                link if isinstance(link, str) else link[0] for link in master_spec["services"]
            }
            built.master_locations[master.display_name] = location_names
            for location_name, rows in master_spec["schedule"].items():
                shifts = [
                    {
                        "weekday": weekday,
                        "start": clock(start),
                        "end": clock(end),
                        "breaks": [
                            {"start": clock(b_start), "end": clock(b_end)}
                            for b_start, b_end in breaks
                        ],
                    }
                    for weekdays, periods in rows
                    for weekday in weekdays
                    for start, end, breaks in periods
                ]
                weekly_schedule_set(
                    actor=owner,
                    business=business,
                    master_id=master.pk,
                    location_id=locations[location_name].pk,
                    shifts=shifts,
                )

        # The salon's own closures first: holidays then skip those dates.
        for location_name, when, name in spec["closures"]:
            location = locations[location_name]
            closure_add(
                actor=owner,
                business=business,
                location_id=location.pk,
                day=demo_day(local_today(now, location.time_zone), when),
                name=name,
            )
        for location in locations.values():
            # This year and next, and last year while the demo's past reaches into it.
            today = local_today(now, location.time_zone)
            for year in sorted(
                {(today - timedelta(days=PAST_DAYS)).year, today.year, today.year + 1}
            ):
                holidays_import(actor=owner, business=business, location_id=location.pk, year=year)

        for master_name, location_name, when, periods in spec["overrides"]:
            location = locations[location_name]
            date_override_set(
                actor=owner,
                business=business,
                master_id=built.masters[master_name].pk,
                location_id=location.pk,
                day=demo_day(local_today(now, location.time_zone), when),
                periods=[{"start": clock(start), "end": clock(end)} for start, end in periods],
            )
        for master_name, first, first_time, last, last_time, reason, note in spec["time_off"]:
            zone = ZoneInfo(locations[built.master_locations[master_name][0]].time_zone)
            today = now.astimezone(zone).date()
            time_off_add(
                actor=owner,
                business=business,
                master_id=built.masters[master_name].pk,
                reason=reason,
                note=note,
                starts_at=datetime.combine(demo_day(today, first), clock(first_time), tzinfo=zone),
                ends_at=datetime.combine(demo_day(today, last), clock(last_time), tzinfo=zone),
            )
    return built
