"""The forecast, staffing and price advice pages and their API twins: what they
show, bad input, roles and tenant isolation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.forecasting.models import ForecastRun
from solibook.forecasting.tests.stored import store
from solibook.forecasting.tests.synthetic import build
from solibook.marketplace.models import SalonListing, ServiceListing
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, LocationFactory, make_service

pytestmark = pytest.mark.django_db


def _today(location):
    from zoneinfo import ZoneInfo

    return timezone.now().astimezone(ZoneInfo(location.time_zone)).date()


@pytest.fixture
def stored(two_salons):
    a, b, loc_a, loc_b = two_salons
    cut = make_service(a, name="Coupe brushing", category_slug="womens-haircut")
    store(
        loc_a,
        first=_today(loc_a),
        daily={cut.pk: lambda d: 0.0 if d.weekday() == 6 else 4.0},
        hourly={(cut.category_id, h): (lambda d: 1.5) for h in range(9, 18)},
    )
    return a, b, loc_a, loc_b, cut


def page(business, name, lang="en"):
    return f"/{lang}" + reverse(f"forecasting:{name}", args=[business.slug])[3:]


def api(business, name):
    return reverse(f"forecasting_api:{name}", args=[business.pk])


def test_the_forecast_page_and_its_api_show_the_stored_forecast(stored):
    a, _b, loc_a, _loc_b, cut = stored
    owner = pages_as(a)
    response = owner.get(page(a, "forecast"), {"location": loc_a.pk, "days": 7})
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Coupe brushing" in body and 'id="forecast-chart"' in body and 'data-testid="days"' in body
    )
    assert "28.0" in body or "24.0" in body  # 6 or 7 open days × 4 bookings
    data = api_as(a).get(api(a, "forecast"), {"location_id": loc_a.pk, "days": 7}).json()
    assert data["state"] == "ready" and len(data["days"]) == 7
    (service,) = data["services"]
    assert service["service_id"] == cut.pk and service["name"] == "Coupe brushing"
    week = service["next_7_days"]
    assert week["low"] <= week["mean"] <= week["high"]
    assert week["mean"] == sum(d["mean"] for d in service["days"])
    assert len(data["hourly"]) == 7 and data["hours"] == list(range(9, 18))
    for row in data["hourly"]:
        assert row["cells"] == [1.5] * 9
        assert all(
            lo < m < hi for lo, m, hi in zip(row["low"], row["cells"], row["high"], strict=True)
        )


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_the_pages_speak_the_readers_language(stored, lang):
    a, _b, loc_a, _loc_b, _cut = stored
    owner = pages_as(a)
    for name, word in (("forecast", {"fr": "Prévision", "ru": "Прогноз", "ar": "توقع"}),):
        body = owner.get(page(a, name, lang)).content.decode()
        assert word[lang] in body
    for name in ("staffing", "prices"):
        assert owner.get(page(a, name, lang), {"location": loc_a.pk}).status_code == 200
    if lang == "ar":
        assert 'dir="rtl"' in body


@pytest.mark.parametrize(
    "query", [{"days": "0"}, {"days": "29"}, {"days": "many"}, {"location": "999999999"}]
)
def test_nonsense_parameters_are_refused_on_the_page(stored, query):
    a, *_rest = stored
    assert pages_as(a).get(page(a, "forecast"), query).status_code == 400


def test_nonsense_parameters_are_refused_by_the_api(stored):
    a, _b, loc_a, loc_b, _cut = stored
    owner = api_as(a)
    assert owner.get(api(a, "forecast"), {"location_id": loc_a.pk, "days": 99}).status_code == 400
    assert owner.get(api(a, "forecast"), {"location_id": "abc"}).status_code == 400
    assert owner.get(api(a, "forecast"), {}).status_code == 400
    assert owner.get(api(a, "staffing"), {"location_id": loc_a.pk, "days": 15}).status_code == 400


def test_another_salons_location_and_service_are_not_found(stored):
    a, b, loc_a, loc_b, cut = stored
    other_service = make_service(b, name="Their cut")
    owner = api_as(a)
    for name in ("forecast", "staffing", "prices"):
        assert owner.get(api(a, name), {"location_id": loc_b.pk}).status_code == 404
    response = owner.get(
        api(a, "prices"), {"location_id": loc_a.pk, "service_id": other_service.pk}
    )
    assert response.status_code == 404
    # The page offers only the salon's own locations: another's is refused, never shown.
    response = pages_as(a).get(page(a, "forecast"), {"location": loc_b.pk})
    assert response.status_code == 400 and "Coupe brushing" not in response.content.decode()
    # B's owner sees nothing of A's stored forecast.
    data = api_as(b).get(api(b, "forecast"), {"location_id": loc_b.pk}).json()
    assert data["state"] == "none" and data["services"] == [] and data["note"]


def test_a_receptionist_and_a_master_may_not_see_forecasts_or_advice(stored):
    a, _b, loc_a, _loc_b, _cut = stored
    for role in (Role.RECEPTIONIST, Role.MASTER, Role.ACCOUNTANT):
        pages, client = pages_as(a, role), api_as(a, role)
        for name in ("forecast", "staffing", "prices"):
            assert pages.get(page(a, name)).status_code == 403
            assert client.get(api(a, name), {"location_id": loc_a.pk}).status_code == 403


def test_a_new_salon_is_told_there_is_no_forecast_and_can_ask_for_one(
    two_salons, django_capture_on_commit_callbacks
):
    a, _b, loc_a, _loc_b = two_salons
    owner = pages_as(a)
    body = owner.get(page(a, "forecast")).content.decode()
    assert 'data-testid="forecast-state"' in body and "No forecast yet" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(page(a, "forecast"))
    assert response.status_code == 302
    with scopes_disabled():
        run = ForecastRun.objects.get(location=loc_a)
    assert run.state == ForecastRun.State.NO_HISTORY
    body = owner.get(page(a, "forecast")).content.decode()
    assert "Too little history" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(a).post(api(a, "refresh")).status_code == 202
    staffing = api_as(a).get(api(a, "staffing"), {"location_id": loc_a.pk}).json()
    assert staffing["forecast"] is False and staffing["advice"] == []


def _market(category, prices, city="Paris"):
    for i, price in enumerate(prices):
        business = BusinessFactory()
        location = LocationFactory(business=business, city=city)
        service = make_service(business, name=f"Cut {i}", category_slug=category.slug, price=price)
        salon = SalonListing.objects.create(
            location=location,
            business=business,
            name=business.name,
            business_slug=business.slug,
            location_name=location.name,
            city=city,
            city_slug=city.lower(),
            country="FR",
            time_zone=location.time_zone,
            currency="EUR",
        )
        ServiceListing.objects.create(
            salon=salon,
            service=service,
            category=category,
            name=service.name,
            price_amount=price,
            currency="EUR",
            duration_minutes=45,
        )


def test_price_advice_learns_the_elasticity_from_the_price_change_and_falls_back_when_thin():
    salon = build(days=240, now=timezone.now())
    business, location = salon.business, salon.location
    cut, _blow, colour, _highlights = salon.services
    sparse = make_service(business, name="Bridal hair", category_slug="womens-haircut", price=15000)
    rare = make_service(business, name="Henna", category_slug="manicure", price=3000)
    day = _today(location) - timedelta(days=10)
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    with scopes_disabled():
        for _ in range(3):  # a service with three bookings
            starts = datetime.combine(day, time(11), ZoneInfo(location.time_zone))
            appointment = Appointment.objects.create(
                business=business,
                location=location,
                status=Status.COMPLETED,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                price_amount=15000,
                currency="EUR",
            )
            AppointmentItem.objects.create(
                business=business,
                appointment=appointment,
                service=sparse,
                master=salon.masters[0],
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                price_amount=15000,
            )
    _market(cut.category, [3500, 4000, 4500, 5000])
    data = api_as(business).get(api(business, "prices"), {"location_id": location.pk}).json()
    by_name = {s["name"]: s for s in data["services"]}
    learnt = by_name["Colour"]["elasticity"]
    assert learnt["source"] in ("data", "shrunk") and learnt["estimate"] is not None
    assert learnt["low"] < -1.0 < learnt["high"]  # the truth (-1.0) is inside its 95% range
    assert (
        by_name["Colour"]["band"][0]
        <= by_name["Colour"]["recommended"]
        <= by_name["Colour"]["band"][1]
    )
    effect = by_name["Colour"]["effect"]
    assert effect["revenue"][1] <= effect["revenue"][0] <= effect["revenue"][2]
    # Cut never changed price: the prior, said so.
    assert by_name["Cut"]["elasticity"]["source"] == "prior" and by_name["Cut"]["notes"]
    # Three bookings and a market: the market's middle half, with a note.
    bridal = by_name["Bridal hair"]
    assert bridal["bookings"] == 3 and bridal["elasticity"] is None and bridal["effect"] is None
    assert bridal["fallback"] == "market" and bridal["band"] == [3875, 4625]
    assert bridal["market"]["salons"] == 4 and "3 bookings" in bridal["notes"][0]
    # No bookings and no market: no number at all.
    henna = by_name["Henna"]
    assert henna["fallback"] == "none" and henna["band"] is None and henna["recommended"] is None
    assert rare.pk == henna["service_id"] and henna["notes"]
    # Off-peak: Monday is the quietest day of this salon.
    assert any(o["weekday"] == 0 for o in by_name["Colour"]["off_peak"]) or data["occupancy"]
    # The page says the same, with the link to change the price on the service's page.
    body = (
        pages_as(business).get(page(business, "prices"), {"location": location.pk}).content.decode()
    )
    assert (
        "Bridal hair" in body
        and reverse("catalog:service_edit", args=[business.slug, colour.pk])[3:] in body
    )
