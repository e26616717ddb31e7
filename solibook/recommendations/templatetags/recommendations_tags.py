"""Recommendations shown inside other areas' pages, one tag each, so their templates only
include a line:

- `{% booked_together_box business location service_ids %}`: the booking wizard's service
  step, "often booked together" with the services chosen, each with a link that adds it;
- `{% for_you user %}`: the client's account, services and home-care products suggested
  at each salon where the person has a client card.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from solibook.recommendations.selectors import booked_together_for, suggestions_for_account

register = template.Library()


@register.inclusion_tag("recommendations/public/together.html")
def booked_together_box(business, location, service_ids):
    chosen = [int(s) for s in service_ids or []]
    found = booked_together_for(business=business, service_ids=chosen, now=timezone.now())
    base = reverse("clientarea:book", args=[business.slug])
    rows = []
    for suggestion in found:
        params = [("location", location.pk), *[("service", s) for s in chosen]]
        params.append(("service", suggestion.item.pk))
        rows.append((suggestion, f"{base}?{urlencode(params)}"))
    return {"rows": rows, "chosen": chosen}


@register.inclusion_tag("recommendations/client/for_you.html")
def for_you(user):
    return {"salons": suggestions_for_account(user=user, now=timezone.now())}
