"""`{% manage_url appointment_id %}`: the signed manage link of a visit, in the
active language (`booking.manage_link`), for confirmation pages and lists."""

from django import template

from solibook.booking.manage_link import manage_path

register = template.Library()


@register.simple_tag(takes_context=True)
def manage_url(context, appointment_id: int, absolute: bool = False) -> str:
    path = manage_path(appointment_id)
    request = context.get("request")
    return request.build_absolute_uri(path) if absolute and request is not None else path
