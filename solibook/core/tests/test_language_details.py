"""Language details (issue #14, point 10): Russian dates in the genitive, day first;
phone numbers left to right in Arabic; radio buttons and checkbox lists rendered as
ticks, not as empty text boxes; the search's sort labels translated."""

from datetime import date, datetime

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from solibook.core.forms import StyledFormMixin

DAY = date(2030, 12, 7)


def render(source: str, lang: str, **context) -> str:
    with translation.override(lang):
        return Template("{% load solibook %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ d|day_month_year }}", "7 декабря 2030"),
        ("{{ d|weekday_date }}", "Суббота, 7 декабря 2030"),
        ("{{ d|weekday_day_month }}", "Суббота, 7 декабря"),
        ("{{ d|short_day }}", "Сб, 7 дек"),
        ('{{ d|date:"MONTH_DAY_FORMAT" }}', "7 декабря"),
        ('{{ d|date:"DATE_FORMAT" }}', "7 декабря 2030 г."),
    ],
)
def test_russian_dates_put_the_month_in_the_genitive(source, expected):
    shown = render(source, "ru", d=DAY)
    assert shown == expected
    assert "Декабрь" not in shown


def test_other_languages_keep_their_day_first_dates():
    assert render("{{ d|weekday_date }}", "en", d=DAY) == "Saturday 7 December 2030"
    assert render("{{ d|short_day }}", "en", d=DAY) == "Sat 7 Dec"
    assert render("{{ d|day_month_year }}", "ar", d=DAY) == "7 ديسمبر 2030"
    moment = datetime(2030, 12, 7, 14, 30)  # noqa: DTZ001 - a wall-clock time to format
    assert render('{{ d|date:"DATETIME_FORMAT" }}', "ar", d=moment) == "7 ديسمبر 2030، 14:30"


def test_an_arabic_phone_reads_left_to_right_with_the_plus_first():
    shown = render(
        "{% load i18n %}{% blocktranslate with to=phone|ltr %}We sent a code to {{ to }}."
        "{% endblocktranslate %}",
        "ar",
        phone="+966501234567",
    )
    assert '<bdi dir="ltr">+966501234567</bdi>' in shown
    assert render("{{ p|ltr }}", "ar", p="<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'


class Choices(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label="Send me a code by",
        choices=[("email", "E-mail"), ("sms", "SMS")],
        widget=forms.RadioSelect,
        initial="email",
    )
    channels = forms.MultipleChoiceField(
        label="Channels",
        choices=[("email", "E-mail"), ("push", "Push")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def test_radios_and_checkbox_lists_render_as_ticks_in_a_fieldset():
    html = render_to_string("includes/form.html", {"form": Choices()})
    assert "form-control" not in html
    assert html.count('class="form-check-input"') == 4
    assert html.count("<fieldset") == 2
    assert "<legend" in html and "Send me a code by" in html
    assert '<label class="form-check-label" for="id_channel_1">SMS</label>' in html


@pytest.mark.parametrize(
    ("lang", "relevance", "earliest"),
    [
        ("fr", "Pertinence", "Premier créneau libre"),
        ("ru", "По релевантности", "Ближайшее свободное время"),
        ("ar", "الأكثر صلة", "أقرب وقت متاح"),
    ],
)
def test_the_search_sort_labels_are_translated(lang, relevance, earliest):
    from solibook.marketplace.forms import SORT_CHOICES

    with translation.override(lang):
        labels = {key: str(label) for key, label in SORT_CHOICES}
    assert labels["relevance"] == relevance and labels["earliest"] == earliest
