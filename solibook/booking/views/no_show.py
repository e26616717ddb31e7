"""The no-show page of a visit (issue #15, point 5): what the rule allows and
what it will cost (the policy the client accepted), a confirmation step, and
an undo button while the undo window is open. The calendar's panel and the
arrivals list link here; the service (`services.no_show`) decides."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking.models import Appointment, Status
from solibook.booking.services import no_show
from solibook.core.refusals import refusals


def _visit(appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.select_related("location", "business").filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise Http404
    return appointment


def _fee(appointment: Appointment) -> int:
    """The no-show fee under the policy the client accepted when booking
    (the salon's current rule for a visit booked before policies were kept)."""
    percent = (appointment.policy or {}).get("no_show_fee_percent")
    if percent is None:
        percent = appointment.business.cancellation_fee_percent
    return appointment.price_amount * int(percent) // 100


@backoffice_view(Capability.MANAGE_BOOKINGS)
def no_show_page(request, appointment_id: int):
    appointment = _visit(appointment_id)
    if request.method == "POST":
        with refusals(request=request) as refused:
            no_show.no_show_mark(
                business=request.business, appointment_id=appointment.pk, actor=request.user
            )
        if not refused:
            messages.success(
                request,
                _("Marked no-show. You can undo it until the message and the fee go out."),
            )
        return redirect("booking:no_show", request.business.slug, appointment.pk)
    zone = ZoneInfo(appointment.location.time_zone)
    now = timezone.now()
    allowed_from = no_show.no_show_from(appointment)
    until = no_show.undo_until(appointment) if appointment.status == Status.NO_SHOW else None
    items = list(appointment.items.select_related("service", "master").order_by("position"))
    return render(
        request,
        "booking/office/no_show.html",
        {
            "visit": appointment,
            "items": items,
            "starts_at": timezone.localtime(appointment.starts_at, zone),
            "allowed_from": timezone.localtime(allowed_from, zone),
            "too_early": now < allowed_from,
            "markable": appointment.status in no_show.MARKABLE,
            "undo_until": timezone.localtime(until, zone) if until and until > now else None,
            "fee": _fee(appointment),
            "grace": appointment.business.no_show_grace_minutes,
            "undo_minutes": appointment.business.no_show_undo_minutes,
        },
    )


@require_POST
@backoffice_view(Capability.MANAGE_BOOKINGS)
def no_show_undo(request, appointment_id: int):
    appointment = _visit(appointment_id)
    with refusals(request=request) as refused:
        no_show.no_show_undo(
            business=request.business, appointment_id=appointment.pk, actor=request.user
        )
    if not refused:
        messages.success(request, _("No-show undone: nothing was sent or charged."))
    return redirect("booking:no_show", request.business.slug, appointment.pk)
