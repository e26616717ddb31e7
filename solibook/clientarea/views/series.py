"""Recurring series from the wizard: the client picks the first time on the
chosen day, "every N weeks" and how many visits; the report lists the visits
placed and the dates that could not be placed, with the reason, in the
client's language."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from solibook.clientarea import series, services
from solibook.clientarea.forms import SeriesForm
from solibook.clientarea.views.public import _first_touch, _setup
from solibook.commissions import services as commissions
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.refusals import refusals
from solibook.core.time import engine_date_ok

SESSION_KEY = "series_reports"


def _start(value: str) -> datetime | None:
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        return None
    return start if start.tzinfo is not None and engine_date_ok(start) else None


@login_required
def series_book(request, slug: str):
    business, location, _menu, _masters, choice = _setup(request, slug)
    _first_touch(request, business)
    if not choice.service_ids:
        return redirect(
            f"{reverse('clientarea:book', args=[slug])}?{urlencode({'location': location.pk, 'error': 'services'})}"
        )
    form = SeriesForm(request.POST or None)
    failed: list[dict] = []
    status = 200
    if request.method == "POST":
        start = _start(request.POST.get("start", ""))
        if start is None or not form.is_valid():
            if start is None:
                form.add_error(None, _("Choose the time of the first visit."))
            status = 400
        else:
            with refusals(form) as refused:
                report = series.series_book(
                    user=request.user,
                    business=business,
                    location_id=location.pk,
                    specs=choice.specs,
                    first_start=start,
                    interval_weeks=form.cleaned_data["interval_weeks"],
                    occurrences=form.cleaned_data["occurrences"],
                )
                for appointment in report.placed:  # each visit carries the first touch
                    commissions.touch_record(appointment=appointment, session=request.session)
                reports = request.session.get(SESSION_KEY, {})
                reports = dict(list(reports.items())[-9:])
                reports[str(report.series.pk)] = report.failed
                request.session[SESSION_KEY] = reports
                return redirect("clientarea:series", series_id=report.series.pk)
            status = refused.status
            failed = refused.error.extra.get("failed", []) if refused.error else []
    try:
        by_day = services.wizard_slots(
            business=business, location=location, specs=choice.specs, day=choice.day, days=1
        )
    except ValidationFailed:
        by_day = {}
    return render(
        request,
        "clientarea/series/book.html",
        {
            "business": business,
            "location": location,
            "choice": choice,
            "slots": by_day.get(choice.day, []),
            "form": form,
            "start_missing": request.method == "POST"
            and _start(request.POST.get("start", "")) is None,
            "failed": series.failed_local(failed, location),
        },
        status=status,
    )


@login_required
def series_report(request, series_id: int):
    failed = request.session.get(SESSION_KEY, {}).get(str(series_id), [])
    try:
        page = series.series_for(request.user, series_id, failed=failed)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "clientarea/series/report.html", {"page": page})
