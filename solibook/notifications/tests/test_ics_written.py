"""The invitation written line by line is the very calendar icalendar writes."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import icalendar
import pytest

from solibook.notifications import ics

NOW = datetime(2030, 5, 28, 7, 41, 13, tzinfo=UTC)


def _appointment(*, zone="Europe/Paris", client_name="Amélie Poulain", salon="Salon Léa", **place):
    location = SimpleNamespace(
        time_zone=zone,
        name=place.get("name", "Léa, rive gauche"),
        address=place.get("address", '12 rue de l\'Odéon; 2e étage "B"'),
        postal_code=place.get("postal_code", "75006"),
        city=place.get("city", "Paris"),
    )
    start = datetime(2030, 6, 3, 8, 30, tzinfo=UTC)
    return SimpleNamespace(
        pk=4711,
        location=location,
        business=SimpleNamespace(name=salon),
        starts_at=start,
        ends_at=start + timedelta(minutes=75),
        client_email="amelie@example.test",
        client_name=client_name,
    )


CASES = [
    {},
    {"client_name": "Client 0", "salon": "Bench Salon"},
    {"client_name": "", "salon": "Plain"},
    {"client_name": 'Jo "the" ^boss^, Esq.: x', "salon": "Cut; Co’s"},
    {"client_name": "عائشة", "salon": "صالون الياسمين", "zone": "Asia/Dubai", "city": "دبي"},
    {"client_name": "Анна", "salon": "Северное сияние", "zone": "Europe/Moscow", "name": "Ж" * 60},
    {"zone": "America/New_York", "address": "1 Main St\\Suite 5\nBack door, ring twice;" * 3},
    {"zone": "Australia/Lord_Howe", "name": "", "address": "", "postal_code": "", "city": ""},
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("method", "sequence"), [("REQUEST", 0), ("REQUEST", 3), ("CANCEL", 4)])
def test_the_written_invitation_is_icalendars_byte_for_byte(case, method, sequence, settings):
    settings.DEFAULT_FROM_EMAIL = "Solibook <no-reply@solibook.test>"
    appointment = _appointment(**case)
    summary = "Coupe, brushing; soin \\ couleur" + " et massage" * (sequence + 1)
    written = ics._invitation_written(
        appointment, summary=summary, description="", method=method, sequence=sequence, stamp=NOW
    )
    library = ics._invitation_with_library(
        appointment, summary=summary, method=method, sequence=sequence, now=NOW
    )
    assert written == library
    assert (
        ics.appointment_invitation(
            appointment, summary=summary, method=method, sequence=sequence, now=NOW
        )
        == written
    )
    [event] = icalendar.Calendar.from_ical(written).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary


def test_a_description_and_folded_lines_too(settings):
    settings.DEFAULT_FROM_EMAIL = "no-reply@solibook.test"
    appointment = _appointment()
    description = "Ligne un, deux; trois\nLigne quatre " + "é" * 100
    written = ics._invitation_written(
        appointment, summary="S", description=description, method="REQUEST", sequence=1, stamp=NOW
    )
    assert written == ics._invitation_with_library(
        appointment, summary="S", description=description, sequence=1, now=NOW
    )
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))


def test_utc_zones_and_other_stamps_are_left_to_icalendar(settings):
    appointment = _appointment(zone="UTC")
    assert (
        ics._invitation_written(
            appointment, summary="S", description="", method="REQUEST", sequence=0, stamp=NOW
        )
        is None
    )
    content = ics.appointment_invitation(appointment, summary="S", now=NOW)
    assert b"DTSTART:20300603T083000Z" in content
