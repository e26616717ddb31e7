"""The dashboards (issue #20, point 1) on a week small enough to count by hand,
the period before it, tenant isolation, bad periods, exports, pages and API."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.services import appointment_cancel
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance.models import FinanceSettings
from solibook.finance.services.checkout import LineIn, TenderIn, checkout_complete, checkout_quote
from solibook.finance.services.plans import product_create
from solibook.insights.dashboards import Period, dashboard, figures, period_check
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, member
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db

WEEK = Period(MONDAY, MONDAY + timedelta(days=6))  # Monday 3 to Sunday 9 June 2030
BEFORE_NOW = datetime(2030, 5, 20, 8, 0).astimezone()


def _status(visit, status, **fields):
    with scopes_disabled():
        Appointment.objects.filter(pk=visit.pk).update(status=status, **fields)


def _checkout(salon, visit, *, product=None):
    lines = [LineIn("service", appointment_item_id=item.pk) for item in visit.items.all()]
    if product is not None:
        lines.append(LineIn("product", product_id=product.pk))
    at = visit.ends_at
    with business_scope(salon.business):
        quote = checkout_quote(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            lines=lines,
            now=at,
        )
        return checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            appointment_id=visit.pk,
            shown_total=quote.total,
            currency="EUR",
            lines=lines,
            tenders=[TenderIn("card", quote.to_pay)],
            now=at,
        )


@pytest.fixture
def week(salon):
    """Prices without VAT (net = price). A cut is €45 and 60 minutes; Léa and
    Marc work 9-18 every day.
    This week: Anna Mon 10:00 (checked out with a €20 shampoo), Boris Mon 12:00
    with Marc from the marketplace (completed, not checked out), Anna Tue 10:00
    (checked out), Chloé Wed 10:00 (no-show), Denis Thu 10:00 (cancelled late).
    The week before: Boris Fri 31 May 10:00 (completed, not checked out)."""
    with scopes_disabled():
        FinanceSettings.objects.filter(business=salon.business).update(vat_registered=False)
    with business_scope(salon.business):
        shampoo = product_create(
            business=salon.business, name="Shampoo", price_amount=2000, currency="EUR"
        )
    anna, boris = "+33611000001", "+33611000002"
    earlier = book(
        salon, paris(10, day=MONDAY - timedelta(days=3)), client_name="Boris B",
        client_phone=boris, now=BEFORE_NOW,
    )  # fmt: skip
    _status(earlier, Status.COMPLETED)
    first = book(salon, paris(10), client_name="Anna A", client_phone=anna, now=BEFORE_NOW)
    _checkout(salon, first, product=shampoo)
    marketplace = book(
        salon, paris(12), client_name="Boris B", client_phone=boris, master=salon.marc,
        source=Source.MARKETPLACE, now=BEFORE_NOW,
    )  # fmt: skip
    _status(marketplace, Status.COMPLETED)
    second = book(salon, paris(10, day=MONDAY + timedelta(days=1)), client_name="Anna A",
                  client_phone=anna, now=BEFORE_NOW)  # fmt: skip
    _checkout(salon, second)
    missed = book(salon, paris(10, day=MONDAY + timedelta(days=2)), client_name="Chloé C",
                  client_phone="+33611000003", now=BEFORE_NOW)  # fmt: skip
    _status(missed, Status.NO_SHOW)
    with business_scope(salon.business):
        gone = book(salon, paris(10, day=MONDAY + timedelta(days=3)), client_name="Denis D",
                    client_phone="+33611000004", now=BEFORE_NOW)  # fmt: skip
        appointment_cancel(
            business=salon.business, appointment_id=gone.pk, by_client=True, now=BEFORE_NOW
        )
    _status(gone, Status.CANCELLED, late_cancellation=True)
    return salon


def _dashboard(salon, period=WEEK):
    with business_scope(salon.business):
        return dashboard(business=salon.business, location=salon.location, period=period)


def test_the_figures_of_a_week_counted_by_hand(week):
    d = _dashboard(week)
    c = d.current
    assert (c.bookings, c.completed, c.no_shows, c.cancellations, c.late_cancellations) == (
        4, 3, 1, 1, 1,
    )  # fmt: skip
    # Checked out: 45 + 20 (Monday) and 45 (Tuesday); Boris's visit at its price.
    assert (c.checked_out_revenue, c.revenue_not_checked_out, c.revenue) == (11000, 4500, 15500)
    assert (c.service_revenue, c.retail_revenue) == (13500, 2000)
    assert (c.checkouts, c.average_ticket) == (2, 5500)
    assert c.no_show_rate == 25.0  # 1 of 3 completed + 1 no-show
    assert c.cancellation_rate == 20.0  # 1 of 4 bookings + 1 cancellation
    # Anna's first visit is this week; Boris came the week before.
    assert (c.new_clients, c.returning_clients) == (1, 1)
    # 2 masters x 9 h x 7 days; busy: the three completed hours.
    assert (c.worked_minutes, c.busy_minutes) == (7560, 180)
    assert c.occupancy == round(100 * 180 / 7560, 1)
    masters = {m.name: (m.worked_minutes, m.busy_minutes) for m in d.masters}
    assert masters == {"Léa": (3780, 120), "Marc": (3780, 60)}


def test_the_hour_of_the_week_grid_in_local_time(week):
    d = _dashboard(week)
    assert d.hours == list(range(9, 18))
    column = d.hours.index(10)
    monday, tuesday, wednesday = d.heatmap[0], d.heatmap[1], d.heatmap[2]
    assert monday[column] == 50.0  # Léa busy, Marc free, 10:00-11:00 Paris
    assert monday[d.hours.index(12)] == 50.0  # Marc busy
    assert tuesday[column] == 50.0
    assert wednesday[column] == 0.0  # a no-show is not work
    assert monday[d.hours.index(9)] == 0.0


def test_sources_products_clients_and_cohorts(week):
    d = _dashboard(week)
    sources = {s.source: (s.bookings, s.share) for s in d.sources}
    assert sources == {"back_office": (3, 75.0), "marketplace": (1, 25.0)}
    assert [(p.name, p.units, p.revenue) for p in d.products] == [("Shampoo", 1, 2000)]
    # Anna: 45 + 20 + 45 checked out; Boris nothing checked out; two visits each to date.
    assert (d.lifetime.clients, d.lifetime.average, d.lifetime.median, d.lifetime.visits) == (
        2, 5500, 5500, 2.0,
    )  # fmt: skip
    cohorts = {c.month.isoformat(): (c.clients, c.retained[:2]) for c in d.cohorts}
    assert cohorts == {"2030-05-01": (1, [100.0, None]), "2030-06-01": (1, [None, None])}
    assert d.grain == "day" and len(d.series) == 7
    assert [p.bookings for p in d.series] == [2, 1, 1, 0, 0, 0, 0]
    assert d.series[0].revenue == 6500 + 4500 and d.series[1].revenue == 4500


def test_the_period_before_is_the_same_length_just_before(week):
    d = _dashboard(week)
    assert d.previous_period == Period(MONDAY - timedelta(days=7), MONDAY - timedelta(days=1))
    p = d.previous
    assert (p.bookings, p.completed, p.revenue, p.new_clients) == (1, 1, 4500, 1)
    assert d.change("revenue") == round(100 * (15500 - 4500) / 4500, 1)
    assert d.change("average_ticket") is None  # nothing checked out before: nothing to compare


def test_a_new_salon_says_it_has_no_history(salon):
    d = _dashboard(salon)
    assert d.is_empty and d.current.average_ticket is None and d.current.no_show_rate is None
    assert d.cohorts == [] and d.lifetime.clients == 0 and d.products == []


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (MONDAY, MONDAY - timedelta(days=1)),
        (MONDAY, MONDAY + timedelta(days=366)),
        (None, MONDAY),
        (MONDAY.replace(year=1999), MONDAY.replace(year=1999)),
    ],
)
def test_bad_periods_are_refused(start, end):
    with pytest.raises(ValidationFailed):
        period_check(start, end)


def test_another_salon_sees_nothing_of_this_one(week):
    other = BusinessFactory(name="Other")
    location = LocationFactory(business=other)
    with business_scope(other):
        mine = figures(business=other, location=location, period=WEEK)
    assert mine.is_empty
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(member(other, Role.OWNER))
    url = f"/en/office/{other.slug}/insights/dashboards/?location={week.location.pk}"
    assert client.get(url).status_code == 400  # not one of this salon's locations
    client.force_login(member(week.business, Role.OWNER))
    assert client.get(f"/en/office/{other.slug}/insights/dashboards/").status_code == 404


def _query(salon, **extra):
    params = {"location": salon.location.pk, "start": WEEK.start, "end": WEEK.end, **extra}
    return "&".join(f"{k}={v}" for k, v in params.items())


def test_the_page_in_three_languages_and_who_may_see_it(client, week):
    client.force_login(member(week.business, Role.OWNER))
    for lang in ("en", "ar", "ru"):
        response = client.get(
            f"/{lang}/office/{week.business.slug}/insights/dashboards/?{_query(week)}"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="dash-data"' in html and 'data-testid="heatmap"' in html
        assert 'data-testid="figure-revenue"' in html
    assert (
        'dir="rtl"'
        in client.get(f"/ar/office/{week.business.slug}/insights/dashboards/").content.decode()
    )
    bad = client.get(
        f"/en/office/{week.business.slug}/insights/dashboards/?start=2030-06-09&end=2030-06-01"
    )
    assert bad.status_code == 400 and "Choose a period" in bad.content.decode()
    garbage = client.get(f"/en/office/{week.business.slug}/insights/dashboards/?start=soon")
    assert garbage.status_code == 400
    client.force_login(member(week.business, Role.MASTER))
    assert client.get(f"/en/office/{week.business.slug}/insights/dashboards/").status_code == 403
    client.force_login(member(week.business, Role.RECEPTIONIST))
    assert client.get(f"/en/office/{week.business.slug}/insights/dashboards/").status_code == 403


def test_a_new_salon_page_says_so(client, salon):
    client.force_login(member(salon.business, Role.OWNER))
    html = client.get(f"/en/office/{salon.business.slug}/insights/dashboards/").content.decode()
    assert 'data-testid="no-history"' in html and "dash-data" not in html


def test_exports_carry_the_same_figures(client, week):
    client.force_login(member(week.business, Role.OWNER))
    base = f"/en/office/{week.business.slug}/insights/dashboards/export"
    response = client.get(f"{base}.csv?{_query(week)}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    summary = {row[0]: row[1:] for row in rows if len(row) == 3}
    assert summary["Revenue"] == ["155.0", "45.0"]
    assert summary["Bookings"] == ["4", "1"]
    response = client.get(f"{base}.xlsx?{_query(week)}")
    assert response.status_code == 200
    book_ = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book_.sheetnames[0] == "Summary" and "Hours of the week" in book_.sheetnames
    first = list(book_["Summary"].iter_rows(values_only=True))
    assert first[1] == ("Revenue", 155.0, 45.0)
    assert client.get(f"{base}.pdf?{_query(week)}").status_code == 404
    # A refused period goes back to the page, which says why.
    back = client.get(f"{base}.xlsx?start=2030-06-09&end=2030-06-01")
    assert back.status_code == 302


def test_the_api_twin(api_client, week):
    api_client.force_authenticate(member(week.business, Role.OWNER))
    url = f"/api/v1/businesses/{week.business.pk}/insights/dashboard/"
    params = {"location_id": week.location.pk, "start": WEEK.start, "end": WEEK.end}
    body = api_client.get(url, params).json()
    assert body["current"]["revenue"] == 15500 and body["previous"]["revenue"] == 4500
    assert body["current"]["average_ticket"] == 5500 and body["grain"] == "day"
    assert body["heatmap"][0][body["hours"].index(10)] == 50.0
    assert api_client.get(url, {**params, "file_format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    bad = api_client.get(url, {**params, "end": "2030-05-01"})
    assert bad.status_code == 400 and "end" in bad.json()["error"]["fields"]
    other = BusinessFactory(name="Elsewhere")
    api_client.force_authenticate(member(other, Role.OWNER))
    assert api_client.get(url, params).status_code == 404
    own = f"/api/v1/businesses/{other.pk}/insights/dashboard/"
    assert api_client.get(own, params).status_code == 404  # another salon's location
    api_client.force_authenticate(member(week.business, Role.MASTER))
    assert api_client.get(url, params).status_code == 403
