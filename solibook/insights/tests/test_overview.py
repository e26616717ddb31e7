"""The owner's overview (issue #15, point 9): today's bookings, arrivals,
no-shows, occupancy and revenue at a location, and the last 30 days, counted
by the location's local days; the page shows them to those who may see them."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from solibook.accounting.tests.test_staff_pay import checkout
from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Service
from solibook.core.tenancy import business_scope
from solibook.finance.services.checkout import LineIn
from solibook.insights.overview import owner_overview
from solibook.testing.booking import book
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db

DAY = date(2030, 6, 12)  # a Wednesday


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Paris"))


def _status(visit, status):
    with scopes_disabled():
        Appointment.objects.filter(pk=visit.pk).update(status=status)


@pytest.fixture
def day(salon):
    """Léa and Marc work 9-18 (Paris). On DAY: four visits of 60 min, one
    arrived and checked out, one completed and not checked out, one no-show,
    one cancelled; and one visit two days before."""
    now = at(8)
    with scopes_disabled():
        Service.objects.filter(pk=salon.cut.pk).update(price_amount=6000)
    paid = book(salon, at(9), client_name="A", now=now)
    done = book(salon, at(11), client_name="B", now=now)
    gone = book(salon, at(13), client_name="C", master=salon.marc, now=now)
    off = book(salon, at(15), client_name="D", master=salon.marc, now=now)
    _status(paid, Status.ARRIVED)
    _status(done, Status.COMPLETED)
    _status(gone, Status.NO_SHOW)
    _status(off, Status.CANCELLED)
    checkout(
        salon,
        at=at(10).astimezone(UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
    )
    # Two days earlier: one visit (the 30-day chart).
    book(salon, at(10, day=DAY - timedelta(days=2)), client_name="E", now=now - timedelta(days=3))
    return salon


def test_the_numbers_of_a_constructed_day(day):
    salon = day
    with business_scope(salon.business):
        overview = owner_overview(
            business=salon.business, location=salon.location, now=at(17).astimezone(UTC)
        )
    today = overview.today
    assert today.day == DAY
    assert (today.bookings, today.arrived, today.no_shows) == (3, 2, 1)
    # Revenue: the checked-out cut (€60 with 20 % VAT: €50 net) and the
    # completed visit not checked out (same base); nothing for the no-show.
    assert today.revenue == 5000 + 5000
    assert today.revenue_not_checked_out == 5000
    # Occupancy: 2 masters × 9 h = 1080 min; busy 60 (arrived) + 60 (completed)
    # min (a no-show's or a cancelled visit's time is not work).
    assert (today.worked_minutes, today.busy_minutes) == (1080, 120)
    assert today.occupancy == round(100 * 120 / 1080, 1)
    assert len(overview.days) == 30 and overview.days[-1] is today
    two_days_ago = overview.days[-3]
    assert (two_days_ago.day, two_days_ago.bookings) == (DAY - timedelta(days=2), 1)
    assert overview.period_bookings == 4
    assert overview.chart()["bookings"][-3:] == [1, 0, 3]


def test_days_are_the_locations_days(salon):
    """At 00:30 Paris on DAY+1 it is still DAY in UTC: the overview's today is DAY+1."""
    book(salon, at(9, day=DAY + timedelta(days=1)), client_name="Early", now=at(8))
    with business_scope(salon.business):
        late = owner_overview(
            business=salon.business,
            location=salon.location,
            now=at(0, 30, day=DAY + timedelta(days=1)).astimezone(UTC),
        )
    assert late.today.day == DAY + timedelta(days=1)
    assert late.today.bookings == 1


def test_the_page_shows_the_figures_to_the_owner_and_not_to_a_master(client, salon):
    client.force_login(member(salon.business, Role.OWNER))
    html = client.get(f"/en/office/{salon.business.slug}/").content.decode()
    assert 'data-testid="today-bookings"' in html and 'id="overview-data"' in html
    assert 'data-testid="today-revenue"' in html
    assert f"/en/office/{salon.business.slug}/staff/performance/" in html

    client.force_login(member(salon.business, Role.MASTER))
    html = client.get(f"/ru/office/{salon.business.slug}/").content.decode()
    assert 'data-testid="today-bookings"' not in html and "today-revenue" not in html
    assert f"/ru/office/{salon.business.slug}/me/" in html

    client.force_login(member(salon.business, Role.RECEPTIONIST))
    html = client.get(f"/en/office/{salon.business.slug}/").content.decode()
    assert 'data-testid="today-bookings"' in html and "today-revenue" not in html
