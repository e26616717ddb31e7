"""Writes for working time: weekly shifts with breaks, date overrides, time off.

Shifts are local wall-clock times at a location. A master cannot be in two
places at once, so overlap checks span all of the master's locations.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import (
    Business,
    DateOverride,
    Location,
    Master,
    ShiftBreak,
    TimeOff,
    WeeklyShift,
)
from solibook.catalog.services._common import given, overlapping
from solibook.catalog.versioning import catalog_changed
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, clean_or_refuse, get_or_404


def _master_at(business: Business, master_id: int, location_id: int) -> tuple[Master, Location]:
    master = get_or_404(Master.objects.filter(business=business), master_id, _("No such master."))
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    if not master.locations.filter(pk=location.pk).exists():
        raise ValidationFailed(
            _("%(master)s does not work at %(location)s.")
            % {"master": master, "location": location.name},
            fields={
                "location_id": [
                    _("%(master)s does not work at %(location)s.")
                    % {"master": master, "location": location.name}
                ]
            },
        )
    return master, location


def _ends_before_start(start, end) -> bool:
    return start is not None and end is not None and end <= start


def _refuse_overlap(field: str) -> None:
    raise ValidationFailed(
        _("Working periods overlap."), fields={field: [_("Working periods overlap.")]}
    )


def weekly_schedule_set(
    *, actor, business: Business, master_id: int, location_id: int, shifts: list[dict]
) -> list[WeeklyShift]:
    """Replace a master's weekly shifts at one location.

    `shifts`: [{weekday, start, end, breaks: [{start, end}]}], several per day
    allowed (split shifts), none overlapping, breaks inside their shift.
    """
    master, location = _master_at(business, master_id, location_id)
    built: list[tuple[WeeklyShift, list[ShiftBreak]]] = []
    for i, spec in enumerate(shifts):
        shift = WeeklyShift(
            business=business,
            master=master,
            location=location,
            weekday=given(spec, "weekday"),
            start=given(spec, "start"),
            end=given(spec, "end"),
        )
        # Checked before the model validation, whose check constraint would
        # only say "constraint violated" without naming the field.
        if _ends_before_start(shift.start, shift.end):
            raise ValidationFailed(
                _("The end must be after the start."),
                fields={f"shifts.{i}.end": [_("The end must be after the start.")]},
            )
        clean_or_refuse(shift, exclude=["business", "master", "location"], prefix=f"shifts.{i}.")
        breaks = []
        for j, spec_break in enumerate(spec.get("breaks") or []):
            pause = ShiftBreak(
                business=business,
                shift=shift,
                start=spec_break.get("start"),
                end=spec_break.get("end"),
            )
            if (
                pause.start is not None
                and pause.end is not None
                and not (shift.start <= pause.start < pause.end <= shift.end)
            ):
                raise ValidationFailed(
                    _("A break must lie inside its shift."),
                    fields={f"shifts.{i}.breaks.{j}": [_("A break must lie inside its shift.")]},
                )
            clean_or_refuse(pause, exclude=["business", "shift"], prefix=f"shifts.{i}.breaks.{j}.")
            breaks.append(pause)
        if overlapping([(b.start, b.end) for b in breaks]):
            raise ValidationFailed(
                _("Breaks overlap."), fields={f"shifts.{i}.breaks": [_("Breaks overlap.")]}
            )
        built.append((shift, breaks))

    elsewhere = WeeklyShift.objects.filter(business=business, master=master).exclude(
        location=location
    )
    for weekday in {s.weekday for s, _b in built}:
        periods = [(s.start, s.end) for s, _b in built if s.weekday == weekday]
        periods += [(s.start, s.end) for s in elsewhere if s.weekday == weekday]
        if overlapping(periods):
            _refuse_overlap("shifts")

    with transaction.atomic():
        WeeklyShift.objects.filter(master=master, location=location).delete()
        for shift, breaks in built:
            shift.save()
            for pause in breaks:
                pause.shift = shift
            ShiftBreak.objects.bulk_create(breaks)
        audit_log(
            action="schedule.weekly_set",
            actor=actor,
            business=business,
            obj=master,
            data={"location": location.pk, "shifts": len(built)},
        )
    return [s for s, _b in built]


def date_override_set(
    *, actor, business: Business, master_id: int, location_id: int, day: date, periods: list[dict]
) -> list[DateOverride]:
    """Replace the master's weekly shifts on `day` at this location: `periods`
    [{start, end}] for a different day, an empty list for a day off."""
    master, location = _master_at(business, master_id, location_id)
    rows = []
    for i, spec in enumerate(periods):
        row = DateOverride(
            business=business,
            master=master,
            location=location,
            date=day,
            start=spec.get("start"),
            end=spec.get("end"),
        )
        if row.start is None or row.end is None or row.end <= row.start:
            raise ValidationFailed(
                _("The end must be after the start."),
                fields={f"periods.{i}.end": [_("The end must be after the start.")]},
            )
        clean_or_refuse(row, exclude=["business", "master", "location"], prefix=f"periods.{i}.")
        rows.append(row)
    others = DateOverride.objects.filter(
        business=business, master=master, date=day, start__isnull=False
    ).exclude(location=location)
    if overlapping([(r.start, r.end) for r in rows] + [(o.start, o.end) for o in others]):
        _refuse_overlap("periods")
    if not rows:
        rows = [
            DateOverride(business=business, master=master, location=location, date=day)
        ]  # day off
    with transaction.atomic():
        DateOverride.objects.filter(master=master, location=location, date=day).delete()
        DateOverride.objects.bulk_create(rows)
        catalog_changed(business.pk)
        audit_log(
            action="schedule.date_override",
            actor=actor,
            business=business,
            obj=master,
            data={"date": day.isoformat(), "periods": len(periods)},
        )
    return rows


def time_off_add(
    *,
    actor,
    business: Business,
    master_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = TimeOff.Reason.VACATION,
    note: str = "",
) -> TimeOff:
    master = get_or_404(Master.objects.filter(business=business), master_id, _("No such master."))
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationFailed(
            _("Times need a time zone."), fields={"starts_at": [_("Times need a time zone.")]}
        )
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("The end must be after the start."),
            fields={"ends_at": [_("The end must be after the start.")]},
        )
    time_off = TimeOff(
        business=business,
        master=master,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        note=note,
    )
    clean_or_refuse(time_off, exclude=["business", "master"])
    with transaction.atomic():
        time_off.save()
        audit_log(
            action="schedule.time_off_add",
            actor=actor,
            business=business,
            obj=time_off,
            data={"master": master.pk},
        )
    return time_off


def time_off_remove(*, actor, business: Business, time_off_id: int) -> None:
    time_off = get_or_404(
        TimeOff.objects.filter(business=business), time_off_id, _("No such time off.")
    )
    if time_off.external_ref:
        raise ValidationFailed(
            _("This busy time comes from the master's own calendar: change it there.")
        )
    with transaction.atomic():
        audit_log(action="schedule.time_off_remove", actor=actor, business=business, obj=time_off)
        time_off.delete()
