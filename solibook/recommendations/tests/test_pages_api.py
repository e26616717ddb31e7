"""Where the recommendations show: the wizard's service step ("often booked together",
also swapped in by htmx), the client's account, the master's view of a visit (its page,
loaded into the calendar's panel), and their API twins; who may read them and that
another salon's ids are 404."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.roles import Role
from solibook.booking.models import Appointment, AppointmentItem
from solibook.catalog.models import Master, Service
from solibook.clients.models import Client
from solibook.recommendations.tests.synthetic import busy_salon
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache():
    cache.clear()


@pytest.fixture
def salon():
    return busy_salon(now=timezone.now() - timedelta(hours=1), days=200, clients=260)


def _pair(salon):
    """The colouring service and what it is most often booked with."""
    with scopes_disabled():
        colour = Service.objects.get(business=salon.business, name="Colour")
    return colour


def test_the_wizard_shows_what_is_often_booked_together_with_a_link_that_adds_it(salon):
    colour = _pair(salon)
    url = reverse("clientarea:book", args=[salon.business.slug])
    page = Browser().get(url, {"location": salon.location.pk, "service": colour.pk})
    text = page.content.decode()
    assert 'data-testid="booked-together"' in text and "Often booked together" in text
    assert f"service={colour.pk}&amp;service=" in text
    assert 'hx-get="' in text and "/together/" in text
    fragment = Browser().get(
        reverse("recommendations:together", args=[salon.business.slug]),
        {"location": salon.location.pk, "service": colour.pk},
    )
    assert fragment.status_code == 200 and "Often booked together" in fragment.content.decode()
    nothing = Browser().get(url, {"location": salon.location.pk})
    assert 'data-testid="booked-together"' not in nothing.content.decode()
    api = APIClient().get(
        f"/api/v1/locations/{salon.location.pk}/booked-together/", {"service": [colour.pk]}
    )
    assert api.status_code == 200 and api.json()["services"]
    assert all(s["service_id"] != colour.pk for s in api.json()["services"])


def test_the_client_account_suggests_services_to_book_and_home_care(salon):
    user = UserFactory()
    with scopes_disabled():
        card = (
            Client.objects.filter(business=salon.business, appointments__status="completed")
            .distinct()
            .first()
        )
        card.user = user
        card.save(update_fields=["user"])
    browser = Browser()
    browser.force_login(user)
    text = browser.get(reverse("clientarea:visits")).content.decode()
    assert 'data-testid="for-you"' in text and salon.business.name in text
    assert reverse("clientarea:book", args=[salon.business.slug]) + "?location=" in text
    api = APIClient()
    api.force_authenticate(user)
    mine = api.get("/api/v1/me/recommendations/").json()
    assert [row["business_id"] for row in mine] == [salon.business.pk]
    assert mine[0]["services"] and all(s["reasons"] for s in mine[0]["services"])
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.get("/api/v1/me/recommendations/").json() == []
    assert APIClient().get("/api/v1/me/recommendations/").status_code in (401, 403)


def _visit_of_master(salon):
    with scopes_disabled():
        item = (
            AppointmentItem.objects.filter(business=salon.business, appointment__status="completed")
            .select_related("master")
            .last()
        )
        return item.appointment_id, item.master


def test_a_master_sees_suggestions_for_their_own_visit_only(salon):
    appointment_id, master = _visit_of_master(salon)
    user = member(salon.business, Role.MASTER)
    with scopes_disabled():
        Master.objects.filter(pk=master.pk).update(user=user)
        other = (
            Appointment.objects.filter(business=salon.business)
            .exclude(items__master=master)
            .first()
        )
    pages = Browser()
    pages.force_login(user)
    slug = salon.business.slug
    url = reverse("recommendations:appointment", args=[slug, appointment_id])
    page = pages.get(url)
    assert page.status_code == 200
    assert "Services to suggest" in page.content.decode()
    fragment = pages.get(url, HTTP_X_REQUESTED_WITH="fetch").content.decode()
    assert fragment.startswith('<div data-testid="visit-suggestions">')
    assert (
        pages.get(reverse("recommendations:appointment", args=[slug, other.pk])).status_code == 404
    )
    calendar = pages.get(reverse("booking:calendar", args=[slug])).content.decode()
    assert 'id="appointment-suggestions"' in calendar and "recommendations/panel.js" in calendar
    api = APIClient()
    api.force_authenticate(user)
    base = f"/api/v1/businesses/{salon.business.pk}/recommendations/appointments/"
    assert api.get(f"{base}{appointment_id}/").json()["services"]
    assert api.get(f"{base}{other.pk}/").status_code == 404


def test_the_desk_reads_a_cards_and_a_services_suggestions(salon):
    colour = _pair(salon)
    with scopes_disabled():
        card = Client.objects.filter(business=salon.business, appointments__isnull=False).first()
    api = api_as(salon.business, Role.RECEPTIONIST)
    base = f"/api/v1/businesses/{salon.business.pk}/recommendations/"
    found = api.get(f"{base}clients/{card.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert len(found["services"]) == 5 and found["products"]
    together = api.get(f"{base}services/{colour.pk}/together/").json()
    assert together["services"] and together["products"]
    assert "%" in together["products"][0]["reasons"][0]
    master = api_as(salon.business, Role.MASTER)
    assert master.get(f"{base}clients/{card.pk}/").status_code == 403


def test_another_salons_ids_are_404(salon):
    colour = _pair(salon)
    appointment_id, _master = _visit_of_master(salon)
    with scopes_disabled():
        card = Client.objects.filter(business=salon.business).first()
    other = BusinessFactory()
    api = api_as(other)
    base = f"/api/v1/businesses/{other.pk}/recommendations/"
    assert api.get(f"{base}clients/{card.pk}/").status_code == 404
    assert api.get(f"{base}appointments/{appointment_id}/").status_code == 404
    assert api.get(f"{base}services/{colour.pk}/together/").status_code == 404
    pages = pages_as(other)
    url = reverse("recommendations:appointment", args=[other.slug, appointment_id])
    assert pages.get(url).status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "Souvent réservés ensemble"), ("ru", "Часто бронируют вместе"), ("ar", "يُحجز معًا")],
)
def test_the_wizard_box_is_translated(salon, lang, words):
    colour = _pair(salon)
    url = reverse("clientarea:book", args=[salon.business.slug]).replace("/en/", f"/{lang}/")
    page = Browser().get(url, {"location": salon.location.pk, "service": colour.pk})
    assert words in page.content.decode()
