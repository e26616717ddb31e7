"""What the assistant reads about a salon: its catalogue for understanding,
and the facts it answers with (prices, durations, masters, hours, address,
policies). Reads only; every query runs inside the salon's scope."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from solibook.assistant.understanding import Catalogue, CatalogueEntry
from solibook.catalog.models import (
    Business,
    DepositRule,
    Location,
    Master,
    MasterService,
    OpeningHours,
    Service,
    ServiceStep,
    ServiceVariant,
)
from solibook.clients.models import ClientPatchTest
from solibook.core.money import format_money
from solibook.core.tenancy import business_scope


@dataclass(frozen=True)
class ServiceFacts:
    id: int
    name: str
    price_amount: int
    price_is_from: bool
    currency: str
    duration_minutes: int
    requires_patch_test: bool
    requires_consultation: bool


def _services(business: Business) -> list[Service]:
    return list(
        Service.objects.filter(
            business=business, is_active=True, bookable_online=True, group_capacity=1
        )
        .select_related("category")
        .order_by("position", "name")
    )


def catalogue_of(*, business: Business) -> Catalogue:
    """The salon's services (own name and their category's in four languages)
    and masters, as the understanding reads them."""
    with business_scope(business):
        services = _services(business)
        masters = list(Master.objects.filter(business=business, is_active=True))
    entries = []
    for service in services:
        category = service.category
        names = [service.name]
        names += [
            getattr(category, f"name_{lang}", "")
            for lang in ("en", "fr", "ru", "ar")
            if getattr(category, f"name_{lang}", "")
        ]
        entries.append(CatalogueEntry(id=service.pk, names=tuple(dict.fromkeys(names))))
    return Catalogue(
        services=tuple(entries),
        masters=tuple(CatalogueEntry(id=m.pk, names=(m.display_name,)) for m in masters),
    )


def service_facts(
    *, business: Business, service_ids: list[int] | None = None
) -> list[ServiceFacts]:
    with business_scope(business):
        services = _services(business)
        if service_ids is not None:
            services = [s for s in services if s.pk in service_ids]
        durations: dict[int, int] = {}
        for step in ServiceStep.objects.filter(
            service__in=services, variant__isnull=True
        ).values_list("service_id", "duration_minutes"):
            durations[step[0]] = durations.get(step[0], 0) + step[1]
        # A service priced by option (short / long hair) has its steps on the options:
        # its duration is its first option's.
        first = default_variants(business=business, service_ids=[s.pk for s in services])
        for service_id, minutes in ServiceStep.objects.filter(
            variant_id__in=[v for v in first.values() if v]
        ).values_list("service_id", "duration_minutes"):
            durations[service_id] = durations.get(service_id, 0) + minutes
    return [
        ServiceFacts(
            id=s.pk,
            name=s.name,
            price_amount=s.price_amount,
            price_is_from=s.price_is_from or bool(first.get(s.pk)),
            currency=s.currency,
            duration_minutes=durations.get(s.pk, 0),
            requires_patch_test=s.requires_patch_test,
            requires_consultation=s.requires_consultation,
        )
        for s in services
    ]


def default_variants(*, business: Business, service_ids: list[int]) -> dict[int, int | None]:
    """Per service, the option the assistant books when the client names only the
    service: its first option when its steps live on its options, else None."""
    with business_scope(business):
        with_base = set(
            ServiceStep.objects.filter(
                service_id__in=service_ids, variant__isnull=True
            ).values_list("service_id", flat=True)
        )
        chosen: dict[int, int | None] = dict.fromkeys(service_ids)
        for variant in ServiceVariant.objects.filter(service_id__in=service_ids).order_by(
            "-position", "-id"
        ):
            if variant.service_id not in with_base:
                chosen[variant.service_id] = variant.pk  # the last written is the first
    return chosen


def money(amount: int, currency: str) -> str:
    return format_money(amount, currency, get_language() or "en")


def minutes_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest}


def price_line(facts: ServiceFacts) -> str:
    price = money(facts.price_amount, facts.currency)
    if facts.price_is_from:
        price = _("from %(price)s") % {"price": price}
    return _("%(service)s: %(price)s, %(duration)s") % {
        "service": facts.name,
        "price": price,
        "duration": minutes_text(facts.duration_minutes),
    }


def location_of(business: Business, location_id: int | None = None) -> Location | None:
    with business_scope(business):
        locations = Location.objects.filter(business=business).order_by("name", "id")
        if location_id:
            return locations.filter(pk=location_id).first() or locations.first()
        return locations.first()


def hours_text(location: Location) -> str:
    with business_scope(location.business):
        rows = list(OpeningHours.objects.filter(location=location).order_by("weekday", "opens"))
    if not rows:
        return _("The salon has not published its opening hours yet.")
    by_day: dict[int, list[str]] = {}
    for row in rows:
        by_day.setdefault(row.weekday, []).append(
            f"{formats.time_format(row.opens, 'H:i')}–{formats.time_format(row.closes, 'H:i')}"
        )
    # Any Monday gives the weekday names in the active language.
    monday = date(2024, 1, 1)
    lines = [
        f"{formats.date_format(monday + timedelta(days=day), 'l')}: {', '.join(spans)}"
        for day, spans in sorted(by_day.items())
    ]
    return (
        _("Opening hours at %(location)s:") % {"location": location.name} + "\n" + "\n".join(lines)
    )


def address_text(location: Location) -> str:
    parts = [location.address, f"{location.postal_code} {location.city}".strip()]
    return _("%(location)s is at %(address)s.") % {
        "location": location.name,
        "address": ", ".join(p for p in parts if p),
    }


def policy_text(business: Business) -> str:
    lines = [
        ngettext(
            "You can cancel free of charge until %(count)s hour before the visit.",
            "You can cancel free of charge until %(count)s hours before the visit.",
            business.cancellation_window_hours,
        )
        % {"count": business.cancellation_window_hours}
    ]
    if business.cancellation_fee_percent:
        lines.append(
            _("A later cancellation costs %(percent)s%% of the price.")
            % {"percent": business.cancellation_fee_percent}
        )
    if business.deposit_rule == DepositRule.FIXED and business.deposit_value:
        lines.append(
            _("Online bookings ask for a deposit of %(amount)s.")
            % {"amount": money(business.deposit_value, business.currency)}
        )
    elif business.deposit_rule == DepositRule.PERCENT and business.deposit_value:
        lines.append(
            _("Online bookings ask for a deposit of %(percent)s%% of the price.")
            % {"percent": business.deposit_value}
        )
    return " ".join(lines)


def masters_text(business: Business, service_ids: list[int]) -> str:
    with business_scope(business):
        masters = Master.objects.filter(business=business, is_active=True)
        if service_ids:
            linked = MasterService.objects.filter(service_id__in=service_ids).values("master_id")
            masters = masters.filter(pk__in=linked)
        names = [m.display_name for m in masters.order_by("position", "display_name")]
    if not names:
        return _("No one takes this service online at the moment.")
    return _("Our team: %(names)s.") % {"names": ", ".join(names)}


def master_name(business: Business, master_id: int | None) -> str:
    if not master_id:
        return ""
    with business_scope(business):
        master = Master.objects.filter(business=business, pk=master_id).first()
    return master.display_name if master else ""


def patch_test_missing(*, business: Business, service: ServiceFacts, account, day: date) -> bool:
    """A service that needs a patch test, and no valid one on the account's card
    at this salon (a guest has none the assistant can see)."""
    if not service.requires_patch_test:
        return False
    if account is None:
        return True
    with business_scope(business):
        return not ClientPatchTest.objects.filter(
            business=business,
            client__user=account,
            service_id=service.id,
            passed=True,
            taken_at__lte=day,
            valid_until__gte=day,
        ).exists()


def when_text(moment: datetime) -> str:
    return f"{formats.date_format(moment, 'l j E')}, {formats.time_format(moment, 'H:i')}"
