"""The booking wizard's "often booked together" box, swapped in by htmx as the client ticks
services on the service step (the step itself renders it too, without JavaScript)."""

from django.http import Http404
from django.shortcuts import render

from solibook.clientarea import services as clientarea
from solibook.core.errors import NotFound
from solibook.core.ids import as_db_id
from solibook.recommendations.templatetags.recommendations_tags import booked_together_box


def _id(value) -> int | None:
    try:
        return as_db_id(int(value))
    except (TypeError, ValueError):
        return None


def together(request, slug: str):
    try:
        business = clientarea.public_business(slug)
        location = clientarea.public_location(
            business=business, location_id=_id(request.GET.get("location"))
        )
    except NotFound as exc:
        raise Http404 from exc
    ids = [i for i in (_id(v) for v in request.GET.getlist("service")[:20]) if i]
    context = booked_together_box(business, location, ids)
    return render(request, "recommendations/public/together.html", context)
