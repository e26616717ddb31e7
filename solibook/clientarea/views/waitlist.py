"""The waitlist through pages: join for a service on a day between two times
(when no time suits, or a class is full), see one's entries in the account,
and accept an offer with its Confirm button (the offer's message links
there). Every write is the booking service the API calls."""

from contextlib import suppress
from datetime import date, time
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.clientarea import waitlist
from solibook.clientarea.forms import WaitlistForm
from solibook.clientarea.selectors import bookable_menu
from solibook.clientarea.views.classes import _place
from solibook.clientarea.views.public import _first_touch
from solibook.commissions import services as commissions
from solibook.core.errors import NotFound
from solibook.core.ids import as_db_id
from solibook.core.refusals import refusals


def _initial(request, location) -> dict:
    today = timezone.now().astimezone(ZoneInfo(location.time_zone)).date()
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = today
    initial = {"date": max(day, today), "time_from": time(9), "time_to": time(20)}
    for key, field in (("from", "time_from"), ("to", "time_to")):
        with suppress(ValueError):
            initial[field] = time.fromisoformat(request.GET.get(key, ""))
    service = as_db_id(request.GET.get("service", ""))
    if service:
        initial["service"] = service
    master = as_db_id(request.GET.get("master", ""))
    if master:
        initial["master"] = str(master)
    return initial


@login_required
def waitlist_join(request, slug: str):
    business, location = _place(request, slug)
    _first_touch(request, business)
    menu, masters = bookable_menu(business=business, location=location)
    form = WaitlistForm(
        request.POST or None, menu=menu, masters=masters, initial=_initial(request, location)
    )
    status = 200
    if request.method == "POST":
        with refusals(
            form, fields={"date": "date", "time_to": "time_to", "master_id": "master"}
        ) as refused:
            if form.is_valid():
                data = form.cleaned_data
                entry = waitlist.waitlist_join(
                    user=request.user,
                    business=business,
                    location_id=location.pk,
                    service_id=data["service"],
                    master_id=as_db_id(data["master"] or ""),
                    day=data["date"],
                    time_from=data["time_from"],
                    time_to=data["time_to"],
                )
                # Kept with the entry: the offer is made later, without this session.
                commissions.touch_record_waitlist(entry=entry, session=request.session)
                messages.success(
                    request,
                    _("You are on the waitlist. We will write to you as soon as a time frees up."),
                )
                return redirect("clientarea:waitlist")
            status = 400
        if refused:
            status = refused.status
    return render(
        request,
        "clientarea/waitlist/join.html",
        {"business": business, "location": location, "form": form},
        status=status,
    )


@login_required
def my_waitlist(request):
    return render(
        request,
        "clientarea/account/waitlist.html",
        {"entries": waitlist.client_waitlist(request.user), "tab": "waitlist"},
    )


@login_required
@require_POST
def waitlist_leave(request, entry_id: int):
    with refusals(request=request, not_found_404=True):
        waitlist.waitlist_leave(user=request.user, entry_id=entry_id)
        messages.success(request, _("You have left the waitlist."))
    return redirect("clientarea:waitlist")


@login_required
def waitlist_offer(request, entry_id: int):
    try:
        offer = waitlist.offer_for(request.user, entry_id)
    except NotFound as exc:
        raise Http404 from exc
    error, status = "", 200
    if request.method == "POST" and offer.state == "open" and offer.awaits_deposit:
        # A deposit salon holds the offered time for its deposit: paying it
        # confirms the visit (and books the entry), as in the wizard.
        return redirect("clientarea:visit_pay", appointment_id=offer.appointment.pk)
    if request.method == "POST":
        with refusals(not_found_404=True) as refused:
            waitlist.offer_accept(user=request.user, entry_id=entry_id)
            messages.success(request, _("Booked! The time is yours."))
            return redirect("clientarea:waitlist_offer", entry_id=entry_id)
        error, status = refused.message, refused.status
        offer = waitlist.offer_for(request.user, entry_id)
    return render(
        request,
        "clientarea/waitlist/offer.html",
        {"offer": offer, "entry": offer.entry, "error": error},
        status=status,
    )
