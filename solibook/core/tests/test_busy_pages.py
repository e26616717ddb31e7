"""Pages whose write waited too long for a lock (issue #17, point 4):
`BusyMiddleware` answers a 409 page with a translated message (never a 500),
and an htmx request gets the message alone, aimed at the page's `#messages`
area, which `static/js/core/htmx-errors.js` swaps in (htmx swaps no 4xx)."""

from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django_scopes import scopes_disabled

from config import urls as config_urls
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.locking import Busy
from solibook.core.middleware import BusyMiddleware
from solibook.testing.booking import client_books
from solibook.testing.factories import UserFactory
from solibook.testing.races import held_lock, stopwatch

HTMX = {"HTTP_HX_REQUEST": "true"}
STATIC = Path(settings.BASE_DIR) / "solibook" / "static"
TEMPLATES = Path(settings.BASE_DIR) / "solibook" / "templates"


def answer(exception, **headers):
    request = RequestFactory().post("/fr/me/visits/1/cancel/?x=1", **headers)
    return BusyMiddleware(lambda r: None).process_exception(request, exception)


def lock_timeout_error() -> OperationalError:
    """What Django raises when PostgreSQL ends a lock wait (55P03)."""
    cause = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = cause
    return error


def test_an_htmx_request_gets_the_message_aimed_at_the_messages_area():
    with translation.override("fr"):
        response = answer(Busy(), **HTMX)
    body = response.content.decode()
    assert response.status_code == 409
    assert response["Retry-After"] and int(response["Retry-After"]) >= 1
    assert response["HX-Retarget"] == "#messages" and response["HX-Reswap"] == "innerHTML"
    assert "réessayer" in body and 'role="alert"' in body
    assert "<html" not in body  # a fragment, not a page inside the page
    assert 'href="/fr/me/visits/1/cancel/?x=1"' in body


def test_a_lock_timeout_not_yet_turned_into_busy_is_answered_the_same(db):
    response = answer(lock_timeout_error(), **HTMX)
    assert response.status_code == 409 and "try again" in response.content.decode()


def test_other_database_errors_are_left_alone():
    assert answer(OperationalError("disk full")) is None
    assert answer(ValueError("no")) is None


def test_the_shared_page_shell_has_the_messages_area_and_the_htmx_handler():
    shell = (TEMPLATES / "base.html").read_text()
    assert '<div id="messages" aria-live="polite">' in shell
    assert "{% static 'js/core/htmx-errors.js' %}" in shell
    handler = (STATIC / "js" / "core" / "htmx-errors.js").read_text()
    for needed in ("htmx:beforeSwap", "409", "HX-Retarget", "shouldSwap = true"):
        assert needed in handler


@pytest.fixture
def locked_visit(settings, salon):
    """A client's visit (`.pk`, `.user`, `.row`: the queryset to hold); 1 s lock timeout."""
    settings.DB_LOCK_TIMEOUT = 1.0
    connections.close_all()
    load_into(Category)
    user = UserFactory()
    visit = client_books(salon, user)
    with scopes_disabled():
        visit.row = Appointment.objects.filter(pk=visit.pk)
    visit.user = user
    yield visit
    connections.close_all()
    load_into(Category)


def lock_the_visit(request, appointment_id: int):
    """A page whose write needs a row another connection holds (not caught)."""
    from django.db import transaction
    from django.http import HttpResponse

    with scopes_disabled(), transaction.atomic():
        Appointment.objects.select_for_update().get(pk=appointment_id)
    return HttpResponse("done")


urlpatterns = [
    path("lock-the-visit/<int:appointment_id>/", lock_the_visit),
    *config_urls.urlpatterns,
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_uncaught_lock_wait_on_a_page_is_a_409_in_french(client, salon, locked_visit, htmx):
    url = f"/lock-the-visit/{locked_visit.pk}/"
    with held_lock(locked_visit.row), stopwatch() as took:
        page = client.post(url, HTTP_ACCEPT_LANGUAGE="fr", **(HTMX if htmx else {}))
        seconds = took()
    print(f"uncaught ({'htmx' if htmx else 'page'}): 409 after {seconds:.2f} s")  # noqa: T201
    body = page.content.decode()
    assert page.status_code == 409 and seconds < 5
    assert page["Retry-After"] == "1"
    assert "réessayer" in body
    if htmx:
        assert "<html" not in body and page["HX-Retarget"] == "#messages"
    else:
        assert "<html" in body and "Veuillez réessayer" in body  # the page's title
    assert client.post(url).content == b"done"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_page_that_shows_refusals_on_its_form_shows_busy_there(client, locked_visit):
    client.force_login(locked_visit.user)
    with translation.override("fr"):
        url = reverse("clientarea:visit_cancel", args=[locked_visit.pk])
    with held_lock(locked_visit.row), stopwatch() as took:
        page = client.post(url, {"reason": "ill"})
        seconds = took()
    print(f"cancel page: 409 after {seconds:.2f} s")  # noqa: T201
    assert page.status_code == 409 and seconds < 5
    assert "réessayer" in page.content.decode()
    with scopes_disabled():
        assert locked_visit.row.get().status == Status.CONFIRMED
    assert client.post(url, {"reason": "ill"}).status_code in (200, 302)
    with scopes_disabled():
        assert locked_visit.row.get().status != Status.CONFIRMED
