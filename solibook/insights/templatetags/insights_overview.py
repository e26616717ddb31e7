"""`{% owner_overview %}`: the overview's figures on the back office's home
page (catalog's dashboard), for the roles that may see them."""

from django import template
from django.utils import timezone

from solibook.accounts.roles import Capability
from solibook.catalog.models import Location
from solibook.core.ids import is_db_id
from solibook.insights.overview import owner_overview

register = template.Library()


@register.inclusion_tag("insights/office/_overview.html", takes_context=True)
def overview(context):
    request = context["request"]
    access = request.access
    figures = access.can(Capability.MANAGE_BOOKINGS) or access.can(Capability.VIEW_FINANCE)
    out = {
        "request": request,
        "figures": figures,
        "money": access.can(Capability.VIEW_FINANCE),
        "performance": access.can(Capability.VIEW_STAFF_PERFORMANCE),
        "calendar": access.can(Capability.VIEW_OWN_CALENDAR),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
    if not figures:
        return out
    locations = list(Location.objects.order_by("name", "pk"))
    if not locations:
        return out
    wanted = request.GET.get("location", "")
    location = next(
        (loc for loc in locations if is_db_id(wanted) and loc.pk == int(wanted)), locations[0]
    )
    data = owner_overview(business=request.business, location=location, now=timezone.now())
    out.update(
        {
            "locations": locations,
            "overview": data,
            "chart": data.chart(),
        }
    )
    return out
