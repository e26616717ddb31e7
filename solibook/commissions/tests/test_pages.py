"""The pages as a salon, an operator and anyone use them (in English and Russian)."""

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.commissions.models import CommissionLine, Dispute, LineStatus
from solibook.commissions.tests.test_commission import pay, visit
from solibook.marketplace.models import Promotion
from solibook.testing.clients import pages_as
from solibook.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_salon_sees_its_line_with_evidence_and_disputes_it(
    salon, django_capture_on_commit_callbacks
):
    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    with scopes_disabled():
        line = CommissionLine.objects.get(appointment=appointment)
    pages = pages_as(salon.business)
    slug = salon.business.slug
    page = pages.get(f"/ru/office/{slug}/commissions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Поиск на маркетплейсе" in text  # the first touch, in Russian
    empty = pages.post(f"/en/office/{slug}/commissions/{line.pk}/dispute/", {"reason": ""})
    assert empty.status_code == 302
    with scopes_disabled():
        assert not Dispute.objects.exists()
    sent = pages.post(
        f"/en/office/{slug}/commissions/{line.pk}/dispute/", {"reason": "She is our client"}
    )
    assert sent.status_code == 302
    with scopes_disabled():
        line.refresh_from_db()
        dispute = Dispute.objects.get()
    assert line.status == LineStatus.DISPUTED

    operator = UserFactory(is_staff=True)
    console = PageClient()
    console.force_login(operator)
    queue = console.get("/en/platform/commissions/disputes/")
    assert queue.status_code == 200 and "She is our client" in queue.content.decode()
    no_reason = console.post(
        f"/en/platform/commissions/disputes/{dispute.pk}/decide/", {"decision": "accept"}
    )
    assert no_reason.status_code == 302
    with scopes_disabled():
        assert Dispute.objects.get().status == Dispute.Status.OPEN
    console.post(
        f"/en/platform/commissions/disputes/{dispute.pk}/decide/",
        {"decision": "accept", "reason": "Earlier visits on her card"},
    )
    with scopes_disabled():
        line.refresh_from_db()
    assert line.status == LineStatus.WAIVED and line.net_amount == 0
    assert PageClient().get("/en/platform/commissions/disputes/").status_code == 302


def test_the_salon_buys_a_boost_from_its_page_and_bad_input_is_refused(salon):
    pages = pages_as(salon.business)
    slug = salon.business.slug
    today = timezone.now().date()
    bad = pages.post(
        f"/fr/office/{slug}/boost/",
        {
            "mode": "daily_budget",
            "price": "5",
            "daily_budget": "1",
            "starts_on": today,
            "ends_on": today + timedelta(days=7),
        },
    )
    assert bad.status_code == 400
    assert not Promotion.objects.exists()
    good = pages.post(
        f"/en/office/{slug}/boost/",
        {
            "mode": "daily_budget",
            "price": "5",
            "daily_budget": "20",
            "city": "",
            "starts_on": today,
            "ends_on": today + timedelta(days=7),
        },
    )
    assert good.status_code == 302
    boost = Promotion.objects.get()
    assert (boost.price_amount, boost.daily_budget, boost.currency) == (500, 2000, "EUR")
    assert "Impressions" in pages.get(f"/en/office/{slug}/boost/").content.decode()


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_the_rules_and_ranking_pages_state_the_rules(lang, client):
    rules = client.get(f"/{lang}/commission-rules/")
    assert rules.status_code == 200
    ranking = client.get(f"/{lang}/how-ranking-works/")
    assert ranking.status_code == 200
    assert "/commission-rules/" in ranking.content.decode()


def test_only_platform_finance_decides_disputes_pages_and_api(
    salon, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    from solibook.accounts.models import PlatformRoleGrant

    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    with scopes_disabled():
        line = CommissionLine.objects.get(appointment=appointment)
    pages_as(salon.business).post(
        f"/en/office/{salon.business.slug}/commissions/{line.pk}/dispute/", {"reason": "ours"}
    )
    with scopes_disabled():
        dispute = Dispute.objects.get()
    moderator = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=moderator, role="moderator")
    console = PageClient()
    console.force_login(moderator)
    assert console.get("/en/platform/commissions/disputes/").status_code == 403
    api = APIClient()
    api.force_authenticate(moderator)
    decision = f"/api/v1/platform/commission-disputes/{dispute.pk}/decision/"
    assert api.post(decision, {"accept": True, "reason": "x"}, format="json").status_code == 403
    finance = UserFactory(is_staff=True)
    PlatformRoleGrant.objects.create(user=finance, role="finance")
    api.force_authenticate(finance)
    empty = api.post(decision, {"accept": True, "reason": ""}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()["error"]["fields"]
    listed = api.get("/api/v1/platform/commission-disputes/")
    assert [d["id"] for d in listed.json()] == [dispute.pk]
    assert (
        api.post(decision, {"accept": False, "reason": "First visit"}, format="json").status_code
        == 200
    )
    with scopes_disabled():
        assert Dispute.objects.get().status == Dispute.Status.REJECTED
