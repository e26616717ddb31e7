"""Journey: a client cancels a visit while the salon's desk holds it (issue #17, point 4).

On her phone, in French, through pages only: she signs in, opens her visits, asks to
cancel one. The desk is changing that very visit at the same moment (its row is held by
another connection), so her cancellation must not hang: within seconds the page says,
in her language, that the calendar is busy and to try again; nothing changed.
She tries again once the desk is done, and the visit is cancelled.
"""

import time

import pytest
from django.db import connections
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from e2e.conftest import screenshot
from solibook.booking.models import Appointment, Status
from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.testing.booking import client_books
from solibook.testing.factories import TEST_PASSWORD, UserFactory
from solibook.testing.races import held_lock
from solibook.testing.salon import salon as salon_fixture  # noqa: F401 - the fixture, under this name

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def booked(transactional_db, settings, request):
    """Camille's confirmed visit at the test salon; lock waits bounded at 1 s."""
    settings.DB_LOCK_TIMEOUT = 1.0
    connections.close_all()  # new connections take the shorter timeout
    load_into(Category)  # an earlier transactional test's flush may have removed them
    salon = request.getfixturevalue("salon_fixture")
    camille = UserFactory(email="camille@example.test", full_name="Camille Client", language="fr")
    visit = client_books(salon, camille)
    yield visit
    connections.close_all()
    load_into(Category)


def test_a_busy_visit_is_explained_and_the_retry_cancels_it(phone_page, live_server, booked):
    page = phone_page
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("camille@example.test")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/fr/me/")
    page.get_by_role("link", name="Annuler", exact=True).first.click()
    page.wait_for_load_state()
    page.get_by_label("Motif (facultatif)").fill("Empêchement")

    with scopes_disabled():
        row = Appointment.objects.filter(pk=booked.pk)
    with held_lock(row):  # the desk is changing this visit right now
        started = time.monotonic()
        page.get_by_role("button", name="Annuler la visite").click()
        expect(page.get_by_text("Veuillez réessayer", exact=False)).to_be_visible()
        waited = time.monotonic() - started
    assert waited < 5, f"the page waited {waited:.1f} s for the desk"
    screenshot(page, "journey-cancel-busy-fr")
    with scopes_disabled():
        assert row.get().status == Status.CONFIRMED  # nothing half-done

    # The desk is done: the same button now cancels.
    page.get_by_role("button", name="Annuler la visite").click()
    expect(page.get_by_text("Votre visite est annulée.")).to_be_visible()
    with scopes_disabled():
        assert row.get().status == Status.CANCELLED
