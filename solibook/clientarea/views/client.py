"""The client's account pages: visits (reschedule, cancel, book again,
review), favourites, profile and language, data export."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts import services as accounts
from solibook.booking.policies import cancellation_policy
from solibook.booking.selectors import ItemSpec
from solibook.clientarea import services
from solibook.clientarea.forms import CancelForm, ProfileForm, ReviewForm
from solibook.clientarea.selectors import client_favourites, client_visits, visit_payment_state
from solibook.core.errors import NotFound
from solibook.core.ids import as_db_id
from solibook.core.refusals import refusals
from solibook.reviews.models import ASPECTS
from solibook.reviews.services import review_create


def _visit(request, appointment_id: int):
    try:
        appointment = services._own_appointment(request.user, appointment_id)
    except NotFound as exc:
        raise Http404 from exc
    with scopes_disabled():
        appointment.item_list = list(
            appointment.items.select_related("service", "master").order_by("position")
        )
        appointment.location_obj = appointment.location
    appointment.zone = ZoneInfo(appointment.location_obj.time_zone)
    return appointment


def book_again_url(appointment) -> str:
    with scopes_disabled():
        service_ids = list(
            appointment.items.order_by("position").values_list("service_id", flat=True)
        )
    params = [
        ("location", appointment.location_id),
        *[("service", i) for i in service_ids],
        ("master", "any"),
    ]
    return (
        f"{reverse('clientarea:book_time', args=[appointment.business.slug])}?{urlencode(params)}"
    )


@login_required
def visits(request):
    upcoming, past = client_visits(request.user)
    for visit in upcoming:
        state = visit_payment_state(visit)
        visit.paid_online = state.paid_amount
        visit.pay_due = state.due.purpose if state.due.online and state.due.amount else ""
    for visit in (*upcoming, *past):
        visit.again_url = book_again_url(visit)
        visit.local_start = visit.starts_at.astimezone(ZoneInfo(visit.location.time_zone))
    return render(
        request,
        "clientarea/account/visits.html",
        {"upcoming": upcoming, "past": past, "tab": "visits"},
    )


@login_required
def visit_cancel(request, appointment_id: int):
    appointment = _visit(request, appointment_id)
    policy = cancellation_policy(business=appointment.business, starts_at=appointment.starts_at)
    now = timezone.now()
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.visit_cancel(
                user=request.user, appointment_id=appointment.pk, reason=form.cleaned_data["reason"]
            )
        if not refused:
            messages.success(request, _("Your visit is cancelled."))
            return redirect("clientarea:visits")
        status = refused.status
    return render(
        request,
        "clientarea/account/cancel.html",
        {
            "visit": appointment,
            "form": form,
            "late": policy.is_late(now),
            "fee": policy.fee(price_amount=appointment.price_amount, at=now),
            "free_until": policy.free_until.astimezone(appointment.zone),
            "policy": policy,
            "tab": "visits",
        },
        status=status,
    )


def reschedule_day(request, visit, today: date) -> date:
    """The day a reschedule page shows: the one asked for, else the visit's own,
    never before today."""
    try:
        return max(date.fromisoformat(request.GET.get("date", "")), today)
    except ValueError:
        return max(visit.starts_at.astimezone(visit.zone).date(), today)


def posted_start(request) -> datetime | None:
    """The start a reschedule form posted, or None when it is not a time we offered."""
    try:
        start = datetime.fromisoformat(request.POST.get("start", ""))
    except ValueError:
        return None
    return start if start.tzinfo is not None else None


def visit_specs(visit) -> list[ItemSpec]:
    """The visit's services, variants and masters, as the slot search takes them."""
    return [
        ItemSpec(service_id=i.service_id, variant_id=i.variant_id, master_id=i.master_id)
        for i in visit.item_list
    ]


@login_required
def visit_reschedule(request, appointment_id: int):
    appointment = _visit(request, appointment_id)
    location = appointment.location_obj
    today = timezone.now().astimezone(appointment.zone).date()
    day = reschedule_day(request, appointment, today)
    error, status = "", 200
    if request.method == "POST":
        start = posted_start(request)
        if start is None:
            error, status = _("Choose a time from the list."), 400
        else:
            with refusals() as refused:
                services.visit_reschedule(
                    user=request.user, appointment_id=appointment.pk, start=start
                )
            if refused:
                error, status = refused.message, refused.status
            else:
                messages.success(request, _("Your visit is moved."))
                return redirect("clientarea:visits")
    specs = visit_specs(appointment)
    with refusals() as refused:
        by_day = services.wizard_slots(
            business=appointment.business, location=location, specs=specs, day=day
        )
    if refused:
        by_day, error = {}, refused.message
    return render(
        request,
        "clientarea/account/reschedule.html",
        {
            "visit": appointment,
            "by_day": by_day,
            "day": day,
            "slots": by_day.get(day, []),
            "error": error,
            "tab": "visits",
        },
        status=status,
    )


@login_required
def visit_review(request, appointment_id: int):
    appointment = _visit(request, appointment_id)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            review_create(
                user=request.user,
                appointment_id=appointment.pk,
                rating=data["rating"],
                aspects={a: data[a] or None for a in ASPECTS},
                text=data["text"],
            )
        if not refused:
            messages.success(request, _("Thank you for your review."))
            return redirect("clientarea:visits")
        status = refused.status
    return render(
        request,
        "clientarea/account/review.html",
        {"visit": appointment, "form": form, "tab": "visits"},
        status=status,
    )


@login_required
def favourites(request):
    return render(
        request,
        "clientarea/account/favourites.html",
        {"favourites": client_favourites(request.user), "tab": "favourites"},
    )


def _int(value):
    try:
        return as_db_id(int(value))
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def favourite_toggle(request):
    business_id, master_id, favourite_id = (
        _int(request.POST.get(k)) for k in ("business_id", "master_id", "favourite_id")
    )
    with refusals(request=request):
        if favourite_id:
            services.favourite_remove(user=request.user, favourite_id=favourite_id)
            messages.success(request, _("Removed from your favourites."))
        else:
            services.favourite_add(user=request.user, business_id=business_id, master_id=master_id)
            messages.success(request, _("Added to your favourites."))
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("clientarea:favourites")
    return redirect(back)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.fields}
            with refusals(form) as refused:
                user = accounts.user_update_profile(user=request.user, **changes)
            if not refused:
                messages.success(request, _("Your profile is saved."))
                with translation.override(user.language):  # the page follows the chosen language
                    return redirect(reverse("clientarea:profile"))
            status = refused.status
        else:
            status = 400
    return render(
        request, "clientarea/account/profile.html", {"form": form, "tab": "profile"}, status=status
    )
