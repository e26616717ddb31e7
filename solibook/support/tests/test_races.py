"""Two support staff assign the same ticket at once: one wins, the other is
told who has it; and a rating sent twice at once counts once (PostgreSQL)."""

import pytest

from solibook.support import services
from solibook.support.models import Status, Ticket
from solibook.support.tests.helpers import open_ticket
from solibook.testing.races import outcome, race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_two_staff_take_the_same_ticket_at_once(agent, agent2):
    ticket = open_ticket()
    people = [agent, agent2]
    results = race(
        2,
        lambda i: (
            services.ticket_assign(
                ticket_id=ticket.pk,
                assignee_id=people[i].pk,
                expected_assignee_id=None,
                actor=people[i],
            ).assignee_id
        ),
    )
    outcomes = sorted(map(str, map(outcome, results)))
    assert "assigned_meanwhile" in outcomes, results
    winner = Ticket.objects.get(pk=ticket.pk).assignee_id
    assert winner in (agent.pk, agent2.pk) and str(winner) in outcomes


def test_rating_sent_twice_at_once_counts_once(agent):
    ticket = open_ticket()
    services.ticket_set_status(ticket_id=ticket.pk, status=Status.RESOLVED, actor=agent)
    results = race(4, lambda i: services.ticket_rate(ticket_id=ticket.pk, rating=i + 1).rating)
    assert sorted(map(str, map(outcome, results))).count("rated") == 3
    assert Ticket.objects.get(pk=ticket.pk).rating in (1, 2, 3, 4)
