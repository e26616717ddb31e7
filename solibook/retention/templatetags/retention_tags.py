"""`{% churn_line client %}`: the card's churn risk, its reasons and RFM segment, one line
on the client card (the clients area's template includes it; nothing else to wire)."""

from django import template
from django.utils import timezone

from solibook.retention.selectors import client_retention

register = template.Library()


@register.inclusion_tag("retention/includes/churn_line.html", takes_context=True)
def churn_line(context, client):
    request = context.get("request")
    business = getattr(request, "business", None) or client.business
    risk, score = client_retention(business=business, client=client, now=timezone.now())
    return {"risk": risk, "rfm": score, "business": business}
