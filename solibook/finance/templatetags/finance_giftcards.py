"""`{% gift_codes_shown checkout as shown %}`: the cards a sale issued whose
full code the seller's session may still show (views.giftcards)."""

from django import template

from solibook.finance.views.giftcards import codes_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def gift_codes_shown(context, checkout) -> list[dict]:
    request = context.get("request")
    if request is None or checkout is None:
        return []
    return codes_shown(request, checkout.gift_cards_sold.order_by("id"))
