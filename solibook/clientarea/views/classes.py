"""Group classes: the upcoming sessions of a salon's classes with the seats
left, and booking a seat. A seat is held through the same service as any
wizard booking (`services.booking_hold`, the booking engine's lock-recount-
write), then confirmed on the wizard's confirm step; a full class says so
and offers the waitlist."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from solibook.booking.selectors import ItemSpec, class_sessions_upcoming
from solibook.clientarea import services
from solibook.clientarea.views.public import _business, _first_touch, _int, _remember
from solibook.commissions import services as commissions
from solibook.core.errors import NotFound
from solibook.core.refusals import refusals


def _place(request, slug: str):
    business = _business(slug)
    try:
        location = services.public_location(
            business=business,
            location_id=_int(request.GET.get("location") or request.POST.get("location")),
        )
    except NotFound as exc:
        raise Http404 from exc
    return business, location


def _page(request, business, location, *, error: str = "", code: str = "", status: int = 200):
    return render(
        request,
        "clientarea/classes/list.html",
        {
            "business": business,
            "location": location,
            "locations": services.public_locations(business=business),
            "classes": class_sessions_upcoming(location=location, now=timezone.now()),
            "error": error,
            "error_code": code,
        },
        status=status,
    )


def class_list(request, slug: str):
    business, location = _place(request, slug)
    _first_touch(request, business)
    return _page(request, business, location)


@require_POST
def class_book(request, slug: str, session_id: int):
    business, location = _place(request, slug)
    session = next(
        (
            c
            for c in class_sessions_upcoming(location=location, now=timezone.now())
            if c.session_id == session_id
        ),
        None,
    )
    if session is None:
        raise Http404
    with refusals() as refused:
        draft = services.booking_hold(
            business=business,
            location_id=location.pk,
            specs=[ItemSpec(session.service_id, master_id=session.master_id)],
            start=session.starts_at,
            user=request.user,
        )
    if refused:
        return _page(
            request,
            business,
            location,
            error=refused.message,
            code=refused.code,
            status=refused.status,
        )
    commissions.touch_record(appointment=draft.appointment, session=request.session)
    _remember(request, draft.token)
    target = (
        "clientarea:book_confirm" if request.user.is_authenticated else "clientarea:book_details"
    )
    return redirect(target, token=draft.token)
