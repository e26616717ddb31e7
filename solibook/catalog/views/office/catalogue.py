"""Back-office pages that set up the catalogue: settings, services, masters,
resources, schedules, time off, opening hours and closures.

Views stay thin: forms check shape, services write. Objects come from the
scoped managers, so another business's ids are 404 like unknown ones.
"""

from collections import defaultdict

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog import forms as cf
from solibook.catalog import services as catalog_services
from solibook.catalog.models import (
    Business,
    DateOverride,
    Location,
    LocationClosure,
    Master,
    MasterService,
    OpeningHours,
    Resource,
    ResourceType,
    Service,
    ServiceVariant,
    TimeOff,
    Weekday,
    WeeklyShift,
)
from solibook.core.forms import all_valid
from solibook.core.refusals import refusals
from solibook.core.time import to_local, utcnow

MANAGE = Capability.MANAGE_CATALOG
VIEW = Capability.VIEW_BACK_OFFICE


def _back(request, name: str, **kwargs):
    return redirect(f"catalog:{name}", business_slug=request.business.slug, **kwargs)


def _page(request, template: str, context: dict):
    return render(request, f"catalog/office/catalogue/{template}", context)


# ---------------------------------------------------------------- business settings


@backoffice_view(Capability.MANAGE_BUSINESS)
def business_settings(request):
    # A fresh copy: the service sets attributes before validating, and a
    # refused change must not show up in the page header.
    business = Business.objects.get(pk=request.business.pk)
    form = cf.BusinessSettingsForm(
        request.POST or None,
        currency=business.currency,
        initial=cf.BusinessSettingsForm.initial_for(business),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            catalog_services.business_update_settings(
                actor=request.user, business=business, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Settings saved."))
            return _back(request, "business_settings")
    return _page(request, "settings.html", {"form": form})


# ---------------------------------------------------------------- services


@backoffice_view(VIEW)
def service_list(request):
    own_steps = Q(steps__variant__isnull=True)
    variants = ServiceVariant.objects.annotate(duration=Sum("steps__duration_minutes"))
    services = (
        Service.objects.select_related("category")
        .annotate(duration=Sum("steps__duration_minutes", filter=own_steps))
        .prefetch_related(Prefetch("variants", queryset=variants))
        .order_by("category__position", "position", "name")
    )
    return _page(request, "service_list.html", {"services": services})


def _service_initial(service: Service | None) -> tuple[dict, list[dict], list[dict]]:
    if service is None:
        return {}, [], []
    initial = {
        name: getattr(service, name)
        for name in cf.ServiceForm.base_fields
        if hasattr(service, name)
    }
    initial.update(
        category_id=service.category_id, resource_type_ids=list(service.resource_types.all())
    )
    steps = [
        {"duration_minutes": s.duration_minutes, "master_busy": s.master_busy, "label": s.label}
        for s in service.steps.filter(variant__isnull=True)
    ]
    variants = [
        {"name": v.name, "price_amount": v.price_amount, "duration_minutes": v.duration}
        for v in service.variants.annotate(duration=Sum("steps__duration_minutes"))
    ]
    return initial, steps, variants


def _save_service(request, service, form, steps, variants) -> refusals:
    """Create or update; a refusal lands on the rows its keys point to."""
    step_forms, step_list = cf.step_specs(steps)
    variant_forms, variant_list = cf.variant_specs(variants)
    fields = form.service_fields()
    with refusals(form, rows={"steps": step_forms, "variants": variant_forms}) as refused:
        if service is None:
            catalog_services.service_create(
                actor=request.user,
                business=request.business,
                steps=step_list,
                variants=variant_list,
                **fields,
            )
        else:
            # Untouched variants are left alone: the API may have given them
            # processing steps this page would flatten.
            catalog_services.service_update(
                actor=request.user,
                business=request.business,
                service_id=service.pk,
                steps=step_list,
                variants=variant_list if variants.has_changed() else None,
                **fields,
            )
    return refused


def _service_page(request, service: Service | None):
    currency = request.business.currency
    data = request.POST if request.method == "POST" else None
    initial, step_rows, variant_rows = _service_initial(service)
    form = cf.ServiceForm(data, currency=currency, initial=initial)
    steps = cf.StepFormSet(data, prefix="steps", initial=step_rows)
    variants = cf.VariantFormSet(
        data, prefix="variants", initial=variant_rows, form_kwargs={"currency": currency}
    )
    if data is not None and all_valid([form, steps, variants]):
        refused = _save_service(request, service, form, steps, variants)
        if not refused:
            messages.success(request, _("Service saved."))
            return _back(request, "service_list")
    context = {"form": form, "steps": steps, "variants": variants, "service": service}
    return _page(request, "service_form.html", context)


@backoffice_view(MANAGE)
def service_new(request):
    return _service_page(request, None)


@backoffice_view(MANAGE)
def service_edit(request, service_id: int):
    return _service_page(request, get_object_or_404(Service, pk=service_id))


# ---------------------------------------------------------------- masters


@backoffice_view(VIEW)
def master_list(request):
    masters = Master.objects.prefetch_related("locations", "services").select_related("user")
    return _page(request, "master_list.html", {"masters": masters})


def _master_initial(master: Master | None) -> tuple[dict, dict[int, dict]]:
    if master is None:
        return {"location_ids": list(Location.objects.all()[:1])}, {}
    initial = {
        name: getattr(master, name)
        for name in ("display_name", "bio", "color", "is_active", "user")
    }
    initial["location_ids"] = list(master.locations.all())
    links = {
        link.service_id: {
            "performs": True,
            "price_amount": link.price_amount,
            "duration_delta_minutes": link.duration_delta_minutes or None,
        }
        for link in MasterService.objects.filter(master=master)
    }
    return initial, links


def _save_master(request, master, form, rows) -> refusals:
    sent = [row for row in rows if row.cleaned_data.get("performs")]
    fields = {**form.master_fields(), "services": [row.spec() for row in sent]}
    with refusals(form, rows={"services": sent}) as refused:
        if master is None:
            catalog_services.master_create(actor=request.user, business=request.business, **fields)
        else:
            catalog_services.master_update(
                actor=request.user, business=request.business, master_id=master.pk, **fields
            )
    return refused


def _master_page(request, master: Master | None):
    data = request.POST if request.method == "POST" else None
    initial, links = _master_initial(master)
    form = cf.MasterForm(data, business=request.business, initial=initial)
    services = Service.objects.select_related("category").order_by(
        "category__position", "position", "name"
    )
    # Rows are keyed by service id, not position: a service added meanwhile
    # cannot shift a price onto the wrong row.
    rows = [
        cf.MasterServiceForm(data, prefix=f"service-{s.pk}", service=s, initial=links.get(s.pk, {}))
        for s in services
    ]
    if data is not None and all_valid([form, *rows]):
        refused = _save_master(request, master, form, rows)
        if not refused:
            messages.success(request, _("Master saved."))
            return _back(request, "master_list")
    return _page(request, "master_form.html", {"form": form, "rows": rows, "master": master})


@backoffice_view(MANAGE)
def master_new(request):
    return _master_page(request, None)


@backoffice_view(MANAGE)
def master_edit(request, master_id: int):
    return _master_page(request, get_object_or_404(Master, pk=master_id))


# ---------------------------------------------------------------- resources


@backoffice_view(VIEW)
def resource_list(request):
    context = {
        "resource_types": ResourceType.objects.order_by("name"),
        "resources": Resource.objects.select_related("location", "resource_type").order_by(
            "location__name", "name"
        ),
        "type_form": cf.ResourceTypeForm(),
    }
    return _page(request, "resource_list.html", context)


def _simple_form_page(
    request, form, save, *, template: str, done: str, context: dict | None = None
):
    """POST → `save(cleaned_data)`; a refusal stays on the form, success goes to `done`."""
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            save(form.cleaned_data)
        if not refused:
            messages.success(request, _("Saved."))
            return _back(request, done)
    return _page(request, template, {"form": form, **(context or {})})


@backoffice_view(MANAGE)
def resource_type_new(request):
    def save(data):
        catalog_services.resource_type_create(
            actor=request.user, business=request.business, name=data["name"]
        )

    form = cf.ResourceTypeForm(request.POST or None)
    return _simple_form_page(
        request, form, save, template="resource_type_form.html", done="resource_list"
    )


@backoffice_view(MANAGE)
def resource_type_edit(request, resource_type_id: int):
    resource_type = get_object_or_404(ResourceType, pk=resource_type_id)

    def save(data):
        catalog_services.resource_type_update(
            actor=request.user,
            business=request.business,
            resource_type_id=resource_type.pk,
            name=data["name"],
        )

    form = cf.ResourceTypeForm(request.POST or None, initial={"name": resource_type.name})
    context = {"resource_type": resource_type}
    return _simple_form_page(
        request,
        form,
        save,
        template="resource_type_form.html",
        done="resource_list",
        context=context,
    )


@backoffice_view(MANAGE)
def resource_new(request):
    def save(data):
        catalog_services.resource_create(
            actor=request.user,
            business=request.business,
            location_id=data["location"].pk,
            resource_type_id=data["resource_type"].pk,
            name=data["name"],
            capacity=data["capacity"],
        )

    form = cf.ResourceForm(request.POST or None, initial={"location": Location.objects.first()})
    return _simple_form_page(
        request, form, save, template="resource_form.html", done="resource_list"
    )


@backoffice_view(MANAGE)
def resource_edit(request, resource_id: int):
    resource = get_object_or_404(
        Resource.objects.select_related("location", "resource_type"), pk=resource_id
    )

    def save(data):
        catalog_services.resource_update(
            actor=request.user, business=request.business, resource_id=resource.pk, **data
        )

    form = cf.ResourceEditForm(
        request.POST or None,
        initial={
            "name": resource.name,
            "capacity": resource.capacity,
            "is_active": resource.is_active,
        },
    )
    context = {"resource": resource}
    return _simple_form_page(
        request, form, save, template="resource_form.html", done="resource_list", context=context
    )


# ---------------------------------------------------------------- weekly schedule


def _first_location_or_list(request, name: str):
    location = Location.objects.order_by("name").first()
    if location is None:
        messages.info(request, _("Add a location first."))
        return _back(request, "location_list")
    return _back(request, name, location_id=location.pk)


@backoffice_view(MANAGE)
def schedule_home(request):
    return _first_location_or_list(request, "schedule")


def _working_periods(shift: WeeklyShift) -> list[cf.Period]:
    """A shift minus its breaks, as the grid shows it: breaks are gaps."""
    periods, cursor = [], shift.start
    for pause in shift.breaks.all():
        if pause.start > cursor:
            periods.append((cursor, pause.start))
        cursor = max(cursor, pause.end)
    if cursor < shift.end:
        periods.append((cursor, shift.end))
    return periods


def _schedule_rows(request, location: Location) -> list[cf.ScheduleRowForm]:
    week: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for shift in WeeklyShift.objects.filter(location=location).prefetch_related("breaks"):
        week[shift.master_id][shift.weekday] += _working_periods(shift)
    data = request.POST if request.method == "POST" else None
    masters = location.masters.order_by("position", "display_name")
    return [
        cf.ScheduleRowForm(
            data, prefix=f"master-{m.pk}", master=m, initial=cf.weekday_initial(week[m.pk])
        )
        for m in masters
    ]


def _save_schedule(
    request, location: Location, rows: list[cf.ScheduleRowForm]
) -> tuple[int, refusals | None]:
    """Every changed row, or none: one refused row rolls the others back
    (and is returned, its refusal on the row)."""
    saved = 0
    with transaction.atomic():
        for row in rows:
            if not row.has_changed():
                continue
            periods = row.periods()
            shifts = [
                {"weekday": day, "start": start, "end": end} for day, _field, start, end in periods
            ]
            targets = [(row, field) for _day, field, _s, _e in periods]
            with refusals(row, rows={"shifts": targets}) as refused:
                catalog_services.weekly_schedule_set(
                    actor=request.user,
                    business=request.business,
                    master_id=row.master.pk,
                    location_id=location.pk,
                    shifts=shifts,
                )
            if refused:
                transaction.set_rollback(True)
                return 0, refused
            saved += 1
    return saved, None


@backoffice_view(MANAGE)
def schedule(request, location_id: int):
    location = get_object_or_404(Location, pk=location_id)
    rows = _schedule_rows(request, location)
    if request.method == "POST" and all_valid(rows):
        saved, refused = _save_schedule(request, location, rows)
        if not refused:
            messages.success(request, _("Schedule saved.") if saved else _("Nothing changed."))
            return _back(request, "schedule", location_id=location.pk)
    context = {
        "location": location,
        "rows": rows,
        "locations": Location.objects.order_by("name"),
        "failed": [row.master for row in rows if row.errors],
        "weekdays": Weekday.choices,
    }
    return _page(request, "schedule.html", context)


# ---------------------------------------------------------------- date overrides and time off


def _master_locations(master: Master):
    locations = master.locations.order_by("name")
    return locations if locations.exists() else Location.objects.order_by("name")


def _chosen_location(request, locations) -> Location:
    chosen = request.POST.get("location") or request.GET.get("location")
    found = locations.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    return found or locations.first()


def _time_off_page(request, master: Master, *, time_off_form=None, override_form=None):
    locations = _master_locations(master)
    location = _chosen_location(request, locations)
    today = to_local(utcnow(), location.time_zone).date()
    context = {
        "master": master,
        "location": location,
        "locations": locations,
        "time_off": TimeOff.objects.filter(master=master, ends_at__gte=utcnow()),
        "overrides": DateOverride.objects.filter(master=master, date__gte=today).select_related(
            "location"
        ),
        "time_off_form": time_off_form
        or cf.TimeOffForm(locations=locations, initial={"location": location}),
        "override_form": override_form
        or cf.DateOverrideForm(locations=locations, initial={"location": location}),
    }
    return _page(request, "time_off.html", context)


def _redirect_to_time_off(request, master: Master, location: Location):
    url = reverse(
        "catalog:master_time_off",
        kwargs={"business_slug": request.business.slug, "master_id": master.pk},
    )
    return redirect(f"{url}?location={location.pk}")


@backoffice_view(MANAGE)
def master_time_off(request, master_id: int):
    """The page; a POST adds a period of time off."""
    master = get_object_or_404(Master, pk=master_id)
    if request.method != "POST":
        return _time_off_page(request, master)
    form = cf.TimeOffForm(request.POST, locations=_master_locations(master))
    if form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            catalog_services.time_off_add(
                actor=request.user,
                business=request.business,
                master_id=master.pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
                note=data["note"],
            )
        if not refused:
            messages.success(request, _("Time off added."))
            return _redirect_to_time_off(request, master, data["location"])
    return _time_off_page(request, master, time_off_form=form)


@backoffice_view(MANAGE)
@require_POST
def master_override(request, master_id: int):
    master = get_object_or_404(Master, pk=master_id)
    form = cf.DateOverrideForm(request.POST, locations=_master_locations(master))
    if form.is_valid():
        data = form.cleaned_data
        periods = [{"start": start, "end": end} for start, end in data["periods"]]
        with refusals(form, rows={"periods": [(form, "periods")] * len(periods)}) as refused:
            catalog_services.date_override_set(
                actor=request.user,
                business=request.business,
                master_id=master.pk,
                location_id=data["location"].pk,
                day=data["day"],
                periods=periods,
            )
        if not refused:
            messages.success(request, _("Day saved."))
            return _redirect_to_time_off(request, master, data["location"])
    return _time_off_page(request, master, override_form=form)


@backoffice_view(MANAGE)
@require_POST
def time_off_remove(request, master_id: int, time_off_id: int):
    master = get_object_or_404(Master, pk=master_id)
    time_off = get_object_or_404(TimeOff, pk=time_off_id, master=master)
    with refusals(request=request) as refused:
        catalog_services.time_off_remove(
            actor=request.user, business=request.business, time_off_id=time_off.pk
        )
    if not refused:
        messages.success(request, _("Time off removed."))
    return _back(request, "master_time_off", master_id=master.pk)


# ---------------------------------------------------------------- opening hours and closures


@backoffice_view(MANAGE)
def hours_home(request):
    return _first_location_or_list(request, "opening_hours")


def _hours_initial(location: Location) -> dict:
    by_day = defaultdict(list)
    for row in OpeningHours.objects.filter(location=location):
        by_day[row.weekday].append((row.opens, row.closes))
    return cf.weekday_initial(by_day)


def _hours_page(request, location: Location, *, hours_form=None, closure_form=None):
    this_year = to_local(utcnow(), location.time_zone).year
    context = {
        "location": location,
        "locations": Location.objects.order_by("name"),
        "hours_form": hours_form or cf.OpeningHoursForm(initial=_hours_initial(location)),
        "closure_form": closure_form or cf.ClosureForm(),
        "year_form": cf.HolidayYearForm(initial={"year": this_year}),
        "closures": LocationClosure.objects.filter(location=location),
    }
    return _page(request, "hours.html", context)


@backoffice_view(MANAGE)
def opening_hours(request, location_id: int):
    """The page; a POST replaces the weekly opening hours."""
    location = get_object_or_404(Location, pk=location_id)
    if request.method != "POST":
        return _hours_page(request, location)
    form = cf.OpeningHoursForm(request.POST, initial=_hours_initial(location))
    if form.is_valid():
        periods = form.periods()
        targets = [(form, field) for _day, field, _s, _e in periods]
        with refusals(form, rows={"periods": targets}) as refused:
            catalog_services.opening_hours_set(
                actor=request.user,
                business=request.business,
                location_id=location.pk,
                periods=[
                    {"weekday": day, "opens": start, "closes": end}
                    for day, _field, start, end in periods
                ],
            )
        if not refused:
            messages.success(request, _("Opening hours saved."))
            return _back(request, "opening_hours", location_id=location.pk)
    return _hours_page(request, location, hours_form=form)


@backoffice_view(MANAGE)
@require_POST
def closure_new(request, location_id: int):
    location = get_object_or_404(Location, pk=location_id)
    form = cf.ClosureForm(request.POST)
    if form.is_valid():
        with refusals(form) as refused:
            catalog_services.closure_add(
                actor=request.user,
                business=request.business,
                location_id=location.pk,
                day=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
            )
        if not refused:
            messages.success(request, _("Closure added."))
            return _back(request, "opening_hours", location_id=location.pk)
    return _hours_page(request, location, closure_form=form)


@backoffice_view(MANAGE)
@require_POST
def closure_delete(request, location_id: int, closure_id: int):
    location = get_object_or_404(Location, pk=location_id)
    closure = get_object_or_404(LocationClosure, pk=closure_id, location=location)
    with refusals(request=request) as refused:
        catalog_services.closure_remove(
            actor=request.user, business=request.business, closure_id=closure.pk
        )
    if not refused:
        messages.success(request, _("Closure removed."))
    return _back(request, "opening_hours", location_id=location.pk)


@backoffice_view(MANAGE)
def holidays(request, location_id: int):
    """GET ?year= proposes the public holidays; POST closes on all of them."""
    location = get_object_or_404(Location, pk=location_id)
    form = cf.HolidayYearForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2000 and 2100."))
        return _back(request, "opening_hours", location_id=location.pk)
    year = form.cleaned_data["year"]
    if request.method == "POST":
        added = catalog_services.holidays_import(
            actor=request.user, business=request.business, location_id=location.pk, year=year
        )
        messages.success(
            request, _("%(count)d public holidays added as closures.") % {"count": len(added)}
        )
        return _back(request, "opening_hours", location_id=location.pk)
    closed = set(
        LocationClosure.objects.filter(location=location, date__year=year).values_list(
            "date", flat=True
        )
    )
    proposals = [
        (day, name, day in closed)
        for day, name in catalog_services.holidays_propose(location=location, year=year)
    ]
    return _page(
        request, "holidays.html", {"location": location, "year": year, "proposals": proposals}
    )
