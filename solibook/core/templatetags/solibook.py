from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from solibook.core.money import format_money
from solibook.core.text import sanitize_html

register = template.Library()


@register.simple_tag
def money(amount: int, currency: str) -> str:
    """{% money price currency %} in the page's language: 1 500,00 € / ١٥٫٠٠ ر.س."""
    if amount is None:
        return ""
    return format_money(amount, currency, get_language() or "en")


@register.filter(is_safe=True)
def rich_text(value) -> str:
    """{{ text|rich_text }}: user HTML through nh3's allow-list (core.text)."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above


# Dates with a weekday, which Django names no format for, per language: the month in
# the genitive in Russian (`E`: "суббота, 7 декабря"), day first.
_DAY_MONTH_YEAR = {"ru": "j E Y"}
_DAY_MONTH = {"ru": "j E"}
_WEEKDAY_DATE = {"ru": "l, j E Y"}
_WEEKDAY_DAY_MONTH = {"ru": "l, j E"}
_SHORT_DAY = {"ru": "D, j b", "fr": "D j b"}


def _format_for(table: dict[str, str], default: str) -> str:
    return table.get((get_language() or "en")[:2], default)


@register.filter(expects_localtime=True)
def day_month_year(value) -> str:
    """{{ day|day_month_year }}: "7 December 2030", "7 декабря 2030"."""
    return date_filter(value, _format_for(_DAY_MONTH_YEAR, "j F Y"))


@register.filter(expects_localtime=True)
def weekday_date(value) -> str:
    """{{ day|weekday_date }}: "Saturday 7 December 2030", "суббота, 7 декабря 2030"."""
    return date_filter(value, _format_for(_WEEKDAY_DATE, "l j F Y"))


@register.filter(expects_localtime=True)
def weekday_day_month(value) -> str:
    """{{ day|weekday_day_month }}: "Saturday 7 December", "суббота, 7 декабря"."""
    return date_filter(value, _format_for(_WEEKDAY_DAY_MONTH, "l j F"))


@register.filter(expects_localtime=True)
def short_day(value) -> str:
    """{{ day|short_day }}: "Sat 7 Dec", "Сб, 7 дек", "sam 7 déc"."""
    return date_filter(value, _format_for(_SHORT_DAY, "D j M"))


# Between a date and its time: Arabic writes its own comma ("7 ديسمبر 2030، 10:00").
_TIME_SEPARATOR = {"ar": "، "}


def _with_time(day: str, value) -> str:
    return f"{day}{_format_for(_TIME_SEPARATOR, ', ')}{date_filter(value, 'H:i')}"


@register.filter(expects_localtime=True)
def day_month_year_time(value) -> str:
    """{{ moment|day_month_year_time }}: "7 December 2030, 10:00", "7 декабря 2030, 10:00"."""
    return _with_time(day_month_year(value), value)


@register.filter(expects_localtime=True)
def day_month_time(value) -> str:
    """{{ moment|day_month_time }}: "7 December, 10:00", "7 декабря, 10:00"."""
    return _with_time(date_filter(value, _format_for(_DAY_MONTH, "j F")), value)


@register.filter(expects_localtime=True)
def weekday_day_month_time(value) -> str:
    """{{ moment|weekday_day_month_time }}: "Saturday 7 December, 10:00"."""
    return _with_time(weekday_day_month(value), value)


@register.filter(expects_localtime=True)
def short_day_time(value) -> str:
    """{{ moment|short_day_time }}: "Sat 7 Dec, 10:00", "Сб, 7 дек, 10:00"."""
    return _with_time(short_day(value), value)


@register.filter(expects_localtime=True)
def weekday_date_time(value) -> str:
    """{{ moment|weekday_date_time }}: "Saturday 7 December 2030, 10:00",
    "Суббота, 7 декабря 2030, 10:00", "السبت 7 ديسمبر 2030، 10:00"."""
    return _with_time(weekday_date(value), value)


@register.filter
def ltr(value) -> str:
    """{{ phone|ltr }}: a phone number (or an address) isolated and read left to right
    inside Arabic text, the plus sign first: "+966 50 123 4567", never "966 50…+"."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def language_name(code) -> str:
    """{{ client.language|language_name }}: a language code ("ru", "pt-br") named in the
    reader's language ("Russian", "русский" → "Русский"), never shown raw; "" when empty."""
    if not code:
        return ""
    code = str(code).lower().replace("_", "-")
    ours = dict(settings.LANGUAGES)
    name = ours.get(code) or ours.get(code.split("-")[0])
    if name is not None:
        return str(name)
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        try:
            return translation.get_language_info(code.split("-")[0])["name_translated"]
        except KeyError:
            return code  # a code Django does not know at all: the code is all we have
