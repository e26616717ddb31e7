"""No-show by the salon's rules (issue #15, point 5): not before the start plus
the grace period; confirmed on a page; undone within the window; the message
and the fee only once the window has closed (a task scheduled for then)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import default_task_backend

from solibook.accounts.roles import Role
from solibook.booking.models import AppointmentEvent, Status
from solibook.booking.services.no_show import no_show_finalise, no_show_mark, no_show_undo
from solibook.core.errors import DomainError
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, member
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def day_at(days: int):
    """10:00 in Paris, `days` from today (the pages use the real clock)."""
    return paris(10, day=timezone.localdate() + timedelta(days=days))


def status_events(visit):
    with scopes_disabled():
        return list(
            AppointmentEvent.objects.filter(appointment=visit, kind="status").values_list(
                "data", flat=True
            )
        )


def test_refused_before_the_start_plus_the_grace_period(salon):
    visit = book(salon, paris(10))
    with business_scope(salon.business), pytest.raises(DomainError) as refused:
        no_show_mark(business=salon.business, appointment_id=visit.pk, now=paris(10, 14))
    assert refused.value.code == "no_show_too_early"
    assert "10:15" in refused.value.message
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    with scopes_disabled():
        assert not AppointmentEvent.objects.filter(appointment=visit, kind__startswith="no_show")


@override_settings(TASKS=DUMMY)
def test_marked_after_grace_then_message_and_fee_only_after_the_undo_window(
    salon, django_capture_on_commit_callbacks
):
    default_task_backend.clear()
    visit = book(salon, paris(10))
    with business_scope(salon.business), django_capture_on_commit_callbacks(execute=True):
        no_show_mark(business=salon.business, appointment_id=visit.pk, now=paris(10, 20))
    visit.refresh_from_db()
    assert visit.status == Status.NO_SHOW
    [task] = default_task_backend.results
    assert task.task.name == "finalise_no_show" and task.task.run_after == paris(10, 30)
    # Nothing has left: no status change for notifications and finance to follow.
    assert status_events(visit) == []
    with scopes_disabled():
        assert not OutboxEvent.objects.filter(topic="appointment.status").exists()
    with business_scope(salon.business):
        assert not no_show_finalise(
            business=salon.business, appointment_id=visit.pk, now=paris(10, 29)
        )
        assert no_show_finalise(
            business=salon.business,
            appointment_id=visit.pk,
            undo_until=task.kwargs["undo_until"],
            now=paris(10, 30),
        )
        assert not no_show_finalise(  # once
            business=salon.business, appointment_id=visit.pk, now=paris(10, 40)
        )
    assert status_events(visit) == [{"from": Status.CONFIRMED, "to": Status.NO_SHOW}]
    with scopes_disabled():
        assert OutboxEvent.objects.filter(topic="appointment.status").count() == 1
    with business_scope(salon.business), pytest.raises(DomainError) as closed:
        no_show_undo(business=salon.business, appointment_id=visit.pk, now=paris(10, 41))
    assert closed.value.code == "no_show_undo_closed"


def test_undo_within_the_window_cancels_what_would_follow(salon):
    visit = book(salon, paris(10))
    with business_scope(salon.business):
        no_show_mark(business=salon.business, appointment_id=visit.pk, now=paris(10, 20))
        no_show_undo(business=salon.business, appointment_id=visit.pk, now=paris(10, 25))
        visit.refresh_from_db()
        assert visit.status == Status.CONFIRMED
        assert not no_show_finalise(
            business=salon.business, appointment_id=visit.pk, now=paris(10, 31)
        )
        # Marked again later: only the new window counts.
        no_show_mark(business=salon.business, appointment_id=visit.pk, now=paris(10, 40))
        assert not no_show_finalise(
            business=salon.business, appointment_id=visit.pk, now=paris(10, 45)
        )
        assert no_show_finalise(business=salon.business, appointment_id=visit.pk, now=paris(10, 50))
    assert len(status_events(visit)) == 1


def test_the_api_status_route_follows_the_same_rules(salon, api_client):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    visit = book(salon, day_at(+2), now=timezone.now())
    answer = api_client.post(
        f"/api/v1/businesses/{salon.business.pk}/appointments/{visit.pk}/status/",
        {"status": "no_show"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "no_show_too_early"
    assert "Слишком рано" in answer.json()["error"]["message"]
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_page_confirms_then_undoes_and_another_salon_gets_404(salon, client):
    visit = book(salon, day_at(-1), now=timezone.now() - timedelta(days=3))
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    page_url = f"/en/office/{salon.business.slug}/calendar/appointments/{visit.pk}/no-show/"
    page = client.get(page_url).content.decode()
    assert "Confirm the no-show" in page
    confirmed = client.post(page_url, follow=True).content.decode()
    assert "Undo the no-show" in confirmed
    visit.refresh_from_db()
    assert visit.status == Status.NO_SHOW
    undone = client.post(f"{page_url}undo/", follow=True).content.decode()
    assert "nothing was sent or charged" in undone
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    other = BusinessFactory()
    client.force_login(member(other, Role.OWNER))
    foreign = f"/en/office/{other.slug}/calendar/appointments/{visit.pk}/no-show/"
    assert client.get(foreign).status_code == 404
    assert client.post(foreign).status_code == 404
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_page_refuses_a_no_show_before_the_start(salon, client):
    visit = book(salon, day_at(+2), now=timezone.now())
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    page_url = f"/ru/office/{salon.business.slug}/calendar/appointments/{visit.pk}/no-show/"
    refused = client.post(page_url, follow=True).content.decode()
    assert "Слишком рано" in refused
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
