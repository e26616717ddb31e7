from datetime import UTC, datetime, timedelta

import pytest

from solibook.billing import selectors, services
from solibook.testing.clients import api_as
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, member

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 16, 9, 0, tzinfo=UTC)


def test_api_reads_and_changes_the_plan_and_refuses_a_downgrade_below_usage():
    business = BusinessFactory()
    location = LocationFactory(business=business)
    services.subscription_start(business=business, plan_code="pro")
    make_master(business, locations=[location], name="A")
    make_master(business, locations=[location], name="B")
    api = api_as(business)
    url = f"/api/v1/businesses/{business.pk}/billing/"
    answer = api.get(url)
    assert answer.status_code == 200 and answer.json()["plan"]["code"] == "pro"
    assert answer.json()["masters"] == 2
    refused = api.post(f"{url}plan/", {"plan": "free"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "over_plan_limits"
    assert selectors.plan_of(business).code == "pro"
    french = api.post(f"{url}plan/", {"plan": "free"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Votre établissement utilise plus" in french.json()["error"]["message"]
    assert api.post(f"{url}plan/", {"plan": "starter"}, format="json").status_code == 200
    assert selectors.plan_of(business).code == "starter"


def test_api_of_another_business_is_not_found():
    business, other = BusinessFactory(), BusinessFactory()
    api = api_as(business)
    assert api.get(f"/api/v1/businesses/{other.pk}/billing/").status_code == 404


def test_reminders_when_due_after_grace_and_when_read_only_once_each(
    mailoutbox, django_capture_on_commit_callbacks
):
    business = BusinessFactory()
    member(business, language="ru", email="owner@example.test")
    services.charge_record(
        business=business,
        kind="sms",
        amount=500,
        currency="EUR",
        description="SMS",
        source="sms:1",
        now=NOW,
    )
    invoice = services.invoice_issue(business=business, now=NOW)
    assert invoice.language == "ru"
    moments = [
        invoice.due_at - timedelta(days=1),
        invoice.due_at + timedelta(hours=1),
        invoice.due_at + timedelta(hours=2),
        invoice.due_at + timedelta(days=selectors.grace_days() + 1),
        invoice.due_at + timedelta(days=selectors.read_only_after_days() + 1),
    ]
    for moment in moments:
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_send(now=moment)
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 3, subjects
    assert subjects[0] == f"Счёт {invoice.number} к оплате"
    assert invoice.number in subjects[2] and "только для чтения" in subjects[2]
    assert mailoutbox[0].to == ["owner@example.test"]
