"""Automatic journeys: each on per salon, each client at most once per period
(the database refuses a second row), a hold-out of their own, and the messages
through the same channel layer as campaigns."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from solibook.core.tenancy import business_scope
from solibook.marketing import journeys, selectors, services
from solibook.marketing.models import JourneyKind, Recipient
from solibook.marketing.tests.conftest import make_world
from solibook.notifications.models import Notification
from solibook.testing.booking import book, complete
from solibook.testing.salon import NOW, paris


def switch_on(salon, kind, **values):
    with business_scope(salon.business):
        return services.journey_update(
            business=salon.business,
            actor=None,
            kind=kind,
            enabled=True,
            channels=["email", "sms"],
            holdout_percent=values.pop("holdout_percent", 0),
            **values,
        )


def visit(salon, card, start, service=None):
    appointment = book(
        salon, start=start, client_card=card, service=service, now=start - timedelta(days=1)
    )
    complete(salon, appointment)
    return appointment


def rows(kind):
    with scopes_disabled():
        return list(Recipient.objects.filter(journey=kind).order_by("client_id"))


def test_roots_every_five_weeks_bring_a_rebooking_reminder_once(salon):
    world = make_world(salon)
    card = world.consenting[0]
    first = paris(10)
    visit(salon, card, first, salon.colour)
    visit(salon, card, first + timedelta(weeks=5), salon.colour)
    switch_on(salon, JourneyKind.REBOOK)
    now = first + timedelta(weeks=10) - timedelta(days=3)  # due within the week
    journeys.journeys_run(now=now)
    (row,) = rows(JourneyKind.REBOOK)
    assert row.client_id == card.pk and row.group == "sent"
    assert row.period == f"{salon.colour.pk}:{(first + timedelta(weeks=5)).date().isoformat()}"
    with scopes_disabled():
        message = Notification.objects.get(pk=row.notification_id)
    # In the card's language (French): the built-in words, translated.
    assert message.channel == "email" and message.language == "fr"
    assert "visite habituelle" in message.context["prepared"]["text"]
    # Run again (the next hour, a second runner): nothing more for this period.
    journeys.journeys_run(now=now + timedelta(hours=1))
    assert len(rows(JourneyKind.REBOOK)) == 1
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(
            business=salon.business,
            journey=JourneyKind.REBOOK,
            period=row.period,
            client=card,
            group="sent",
            base_at=now,
        )


def test_a_journey_that_is_off_writes_to_no_one(salon):
    world = make_world(salon)
    with scopes_disabled():
        for card in world.consenting:
            card.birthday = date(1990, NOW.month, NOW.day)
            card.save(update_fields=["birthday"])
    journeys.journeys_run(now=NOW)
    assert rows(JourneyKind.BIRTHDAY) == []


def test_birthdays_keep_their_own_hold_out(salon):
    world = make_world(salon, n_consenting=40)
    with scopes_disabled():
        for card in world.cards:
            card.birthday = date(1990, NOW.month, NOW.day)
            card.save(update_fields=["birthday"])
    switch_on(salon, JourneyKind.BIRTHDAY, holdout_percent=50, discount_percent=10)
    journeys.journeys_run(now=NOW)
    found = rows(JourneyKind.BIRTHDAY)
    assert len(found) == 42  # every card with a birthday today; consent is asked when queued
    groups = {r.group for r in found}
    assert groups == {"sent", "holdout"}
    held = [r for r in found if r.group == "holdout"]
    assert all(r.notification_id is None for r in held)
    sent = [r for r in found if r.group == "sent" and r.notification_id]
    consenting = {c.pk for c in world.consenting}
    assert {r.client_id for r in sent} <= consenting
    assert all(r.promo_id for r in sent)  # a birthday gift code each
    with scopes_disabled():
        report = selectors.journey_report(
            business=salon.business, kind=JourneyKind.BIRTHDAY, window_days=14, now=NOW
        )
    assert report.holdout.size == len(held)


def test_thank_you_welcome_and_win_back(salon):
    world = make_world(salon)
    newcomer, regular = world.consenting[0], world.consenting[1]
    day = paris(10)
    visit(salon, newcomer, day)
    visit(salon, regular, day - timedelta(days=200))
    visit(salon, regular, day - timedelta(days=170))  # every 30 days, then silence
    for kind in (JourneyKind.THANK_YOU, JourneyKind.WELCOME, JourneyKind.WINBACK):
        switch_on(salon, kind)
    journeys.journeys_run(now=day + timedelta(hours=5))
    assert [r.client_id for r in rows(JourneyKind.THANK_YOU)] == [newcomer.pk]
    assert [r.client_id for r in rows(JourneyKind.WELCOME)] == [newcomer.pk]
    # 170 days since the last visit: past twice the client's own rhythm (60 days)
    # but over 60 days beyond it: too long ago to win back; 100 days is in the window.
    assert rows(JourneyKind.WINBACK) == []
    journeys.journeys_run(now=day - timedelta(days=70))
    assert [r.client_id for r in rows(JourneyKind.WINBACK)] == [regular.pk]


def test_churn_risk_offers_a_code_to_clients_at_high_risk(salon, monkeypatch):
    world = make_world(salon)
    risky = world.consenting[3]

    def churn_risk(*, business, now, clients=None):
        return {
            risky.pk: journeys.retention.ChurnRisk(0.9, "high", ["Overdue"]),
            world.consenting[4].pk: journeys.retention.ChurnRisk(0.2, "low", []),
        }

    monkeypatch.setattr(journeys.retention, "churn_risk", churn_risk)
    switch_on(salon, JourneyKind.CHURN_RISK, discount_percent=20)
    journeys.journeys_run(now=NOW)
    (row,) = rows(JourneyKind.CHURN_RISK)
    assert row.client_id == risky.pk and row.period == f"{NOW:%Y-%m}"
    with scopes_disabled():
        assert row.promo.discount_percent == 20
        text = Notification.objects.get(pk=row.notification_id).context["prepared"]["text"]
    assert row.promo.code in text and "20 %" in text
