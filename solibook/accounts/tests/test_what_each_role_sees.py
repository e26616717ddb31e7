"""Roles as docs/roles.md says (issue #15, point 7): a master sees their own
visits without the client's phone, e-mail or prices (calendar, its panel, the
appointments API, the client card); the desk sees them. Opening a card's
sensitive fields goes to the audit log."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Capability, Role, redact, role_can
from solibook.booking.tests.test_calendar import calendar_api
from solibook.clients.models import Client
from solibook.core.models import AuditEvent
from solibook.testing.booking import book
from solibook.testing.factories import member
from solibook.testing.salon import MONDAY

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"
EMAIL = "anna@example.test"


@pytest.fixture
def visits(salon):
    master = member(salon.business, Role.MASTER)
    with scopes_disabled():
        salon.lea.user = master
        salon.lea.save()
    named = book(salon, hour=10, client_name="Anna", client_phone=PHONE, client_email=EMAIL)
    unnamed = book(salon, hour=12, client_phone="+33699887766")
    return master, named, unnamed


def _everything(api, salon, visit) -> str:
    business = salon.business.pk
    return (
        "".join(
            api.get(url, params).content.decode()
            for url, params in (
                (f"/api/v1/businesses/{business}/calendar/appointments/{visit.pk}/", {}),
                (
                    f"/api/v1/businesses/{business}/appointments/",
                    {"from": f"{MONDAY}T00:00:00Z", "to": f"{MONDAY}T23:59:00Z"},
                ),
            )
        )
        + calendar_api(api, salon).content.decode()
    )


def test_a_master_sees_no_phone_email_or_price(api_client, salon, visits):
    master, named, unnamed = visits
    api_client.force_authenticate(master)
    seen = _everything(api_client, salon, named)
    assert "Anna" in seen
    for secret in (PHONE, EMAIL, "+33699887766", "45.00", "45,00", '"price_amount":4500'):
        assert secret not in seen, secret
    panel = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{named.pk}/"
    ).json()
    assert panel["client"]["phone"] == "" and panel["client"]["email"] == ""
    assert panel["price"] is None and panel["items"][0]["price"] is None
    rows = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/appointments/",
        {"from": f"{MONDAY}T00:00:00Z", "to": f"{MONDAY}T23:59:00Z"},
    ).json()["results"]
    assert {r["client_phone"] for r in rows} == {""}
    assert {r["price_amount"] for r in rows} == {None}


def test_the_desk_sees_them(api_client, salon, visits):
    _master, named, _unnamed = visits
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    seen = _everything(api_client, salon, named)
    assert PHONE in seen and EMAIL in seen and "+33699887766" in seen
    panel = api_client.get(
        f"/api/v1/businesses/{salon.business.pk}/calendar/appointments/{named.pk}/"
    ).json()
    assert panel["client"]["phone"] == PHONE and panel["price"]


@pytest.mark.parametrize(
    ("role", "contacts", "prices"),
    [
        (Role.OWNER, True, True),
        (Role.MANAGER, True, True),
        (Role.RECEPTIONIST, True, True),
        (Role.MASTER, False, False),
        (Role.ACCOUNTANT, False, True),
    ],
)
def test_the_rule_per_role(role, contacts, prices):
    assert role_can(role, Capability.VIEW_CLIENT_CONTACTS) is contacts
    assert role_can(role, Capability.VIEW_PRICES) is prices
    shown = redact(
        {"client": {"phone": "1", "email": "e"}, "items": [{"price": "€1"}], "price_amount": 1},
        can=lambda c: role_can(role, c),
    )
    assert (shown["client"]["phone"] == "1") is contacts
    assert (shown["items"][0]["price"] == "€1") is prices


def test_opening_a_card_is_in_the_audit_log(client, api_client, salon, visits):
    master, named, _unnamed = visits
    with scopes_disabled():
        card = Client.objects.get(pk=named.client_card_id)
        Client.objects.filter(pk=card.pk).update(allergies="Latex", notes="Prefers silence")
    client.force_login(master)
    page = client.get(f"/en/office/{salon.business.slug}/clients/{card.pk}/")
    assert page.status_code == 200 and "Latex" in page.content.decode()
    assert PHONE not in page.content.decode()
    desk = member(salon.business, Role.RECEPTIONIST)
    api_client.force_authenticate(desk)
    assert (
        api_client.get(f"/api/v1/businesses/{salon.business.pk}/clients/{card.pk}/").status_code
        == 200
    )
    with scopes_disabled():
        events = list(
            AuditEvent.objects.filter(action="client.viewed", object_id=str(card.pk)).order_by("pk")
        )
    assert [(e.actor, e.data["via"]) for e in events] == [(master, "page"), (desk, "api")]
    assert events[0].data["fields"] == ["allergies", "notes"]
    assert set(events[1].data["fields"]) == {"phone", "email", "allergies", "notes"}
