"""Tags of the dashboards page: a key figure with its comparison, hours, the heat map's shade."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from solibook.core.templatetags.solibook import money

register = template.Library()


@register.filter
def money_tag(amount, currency: str) -> str:
    """`{{ amount|money_tag:currency }}`, for use inside blocktranslate."""
    return "—" if amount is None else money(amount, currency)


def _show(value, kind: str, currency: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return money(value, currency)
    if kind == "percent":
        return f"{number_format(value, 1)} %"
    return number_format(value)


@register.inclusion_tag("insights/office/_figure.html")
def figure(label, d, name: str, kind: str = "count"):
    now, before = getattr(d.current, name), getattr(d.previous, name)
    change = d.change(name)
    if kind == "percent" and now is not None and before is not None:
        # Points, not percent of a percent.
        change = round(now - before, 1)
    return {
        "label": label,
        "name": name,
        "value": _show(now, kind, d.currency),
        "before": _show(before, kind, d.currency),
        "change": change,
        "points": kind == "percent",
        "change_text": (
            ""
            if change is None
            else (_("%(sign)s%(n)s points") if kind == "percent" else _("%(sign)s%(n)s %%"))
            % {"sign": "+" if change > 0 else "", "n": number_format(change, 1)}
        ),
    }


@register.simple_tag
def hours(minutes: int) -> str:
    return number_format(round(minutes / 60, 1), 1)


@register.simple_tag
def heat_style(percent: float) -> str:
    """A shade of the brand's plum for 0-100 % over white. The darkest shade
    stops at 60 % opacity, where the body's text still reads at 4.7:1 (WCAG AA)."""
    alpha = 0.05 + 0.55 * max(0.0, min(100.0, percent)) / 100
    return f"background-color: rgba(122, 46, 90, {alpha:.2f}); color: #212529"
