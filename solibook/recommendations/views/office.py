"""Back-office page of recommendations: what to suggest at a visit (services often booked
with it or suited to the client, home-care products), for the master of the visit and
the front desk. Opened from the calendar's appointment panel, where it is also loaded."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking.models import Appointment
from solibook.recommendations import selectors


def visit_of(request, appointment_id: int) -> Appointment:
    """The visit, when the member may see it: the desk any, a master their own."""
    found = Appointment.objects.filter(pk=appointment_id).select_related("location", "client_card")
    if not request.access.can(Capability.MANAGE_BOOKINGS):
        found = found.filter(Q(items__master__user=request.user)).distinct()
    appointment = found.first()
    if appointment is None:
        raise Http404
    return appointment


@backoffice_view(Capability.VIEW_OWN_CALENDAR)
def appointment_suggestions(request, appointment_id: int):
    appointment = visit_of(request, appointment_id)
    services, products = selectors.for_visit(
        business=request.business, appointment=appointment, now=timezone.now()
    )
    context = {"appointment": appointment, "services": services, "products": products}
    if request.headers.get("X-Requested-With") == "fetch" or request.htmx:
        return render(request, "recommendations/includes/panel.html", context)
    return render(request, "recommendations/office/appointment.html", context)
