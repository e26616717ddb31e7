"""Language details (issue #14, point 10): French month names in lower case inside a
date ("7 décembre", as Django's French catalogue writes them: no catalogue of ours
overrides them), and language codes named in the reader's language."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

DAY = date(2030, 12, 7)


def render(source: str, lang: str, **context) -> str:
    with translation.override(lang):
        return Template("{% load solibook %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ d|date:"j F Y" }}', "7 décembre 2030"),
        ('{{ d|date:"DATE_FORMAT" }}', "7 décembre 2030"),
        ('{{ d|date:"MONTH_DAY_FORMAT" }}', "7 décembre"),
        ("{{ d|day_month_year }}", "7 décembre 2030"),
        ("{{ d|weekday_day_month }}", "Samedi 7 décembre"),
        ("{{ d|short_day }}", "sam 7 déc"),
    ],
)
def test_french_months_are_lower_case_inside_a_date(source, expected):
    assert render(source, "fr", d=DAY) == expected


def test_every_french_month_is_lower_case_in_a_datetime():
    for month in range(1, 13):
        shown = render('{{ d|date:"j F Y, H:i" }}', "fr", d=datetime(2030, month, 7, 9, 30))  # noqa: DTZ001
        name = shown.split(" ")[1]
        assert name == name.lower(), shown


@pytest.mark.parametrize(
    ("lang", "code", "expected"),
    [
        ("en", "ru", "Russian"),
        ("fr", "ru", "Russe"),
        ("ru", "ar", "Арабский"),
        ("ar", "fr", "الفرنسيّة"),
        ("ru", "fr-ca", "Французский"),  # a regional code: its language
        ("fr", "de", "Allemand"),  # a language the site is not in: Django's name for it
        ("en", "", ""),
        ("en", "zz", "zz"),  # no language at all: the code is all there is
    ],
)
def test_a_language_code_is_named_in_the_readers_language(lang, code, expected):
    assert render("{{ code|language_name }}", lang, code=code) == expected


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
@pytest.mark.parametrize(
    "message",
    [
        "The Idempotency-Key header must use printable ASCII characters only.",
        "No response body",
    ],
)
def test_the_api_shells_messages_are_translated(lang, message):
    with translation.override(lang):
        assert translation.gettext(message) != message


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Saturday 7 December 2030, 10:00"),
        ("fr", "Samedi 7 décembre 2030, 10:00"),
        ("ru", "Суббота, 7 декабря 2030, 10:00"),
        ("ar", "السبت 7 ديسمبر 2030، 10:00"),
    ],
)
def test_a_moment_is_its_date_then_its_time_with_the_languages_comma(lang, expected):
    moment = datetime(2030, 12, 7, 10, 0)  # noqa: DTZ001 - a wall-clock time to format
    assert render("{{ m|weekday_date_time }}", lang, m=moment) == expected
    assert render("{{ m|day_month_year_time }}", lang, m=moment) == expected.split(" ", 1)[1]


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("ru", "{{ m|day_month_time }}", "7 декабря, 10:00"),
        ("fr", "{{ m|day_month_time }}", "7 décembre, 10:00"),
        ("ar", "{{ m|day_month_time }}", "7 ديسمبر، 10:00"),
        ("ru", "{{ m|weekday_day_month_time }}", "Суббота, 7 декабря, 10:00"),
        ("ru", "{{ m|short_day_time }}", "Сб, 7 дек, 10:00"),
        ("en", "{{ m|short_day_time }}", "Sat 7 Dec, 10:00"),
    ],
)
def test_day_and_time_filters(lang, source, expected):
    moment = datetime(2030, 12, 7, 10, 0)  # noqa: DTZ001 - a wall-clock time to format
    assert render(source, lang, m=moment) == expected


def test_no_client_page_writes_a_month_with_django_f_or_e_next_to_a_day():
    """`F` is nominative in Russian ("7 Декабрь") and `E` capitalised in French
    ("7 Décembre"): the client's pages go through the filters above."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "clientarea" / "templates"
    found = [
        f"{path.relative_to(root)}: {match}"
        for path in root.rglob("*.html")
        for match in re.findall(r'date:"[^"]*j [^"]*[FEM][^"]*"', path.read_text())
    ]
    assert found == []
