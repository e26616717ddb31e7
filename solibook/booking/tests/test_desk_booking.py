"""The front desk books client cards of its own business, never platform accounts
(issue #17, point 1).

The Paris salon could book the Moscow client and the platform admin by user id,
read their name, e-mail and phone in the reply and send them a confirmation.
Now: a client card of the business (`client_card_id`), or a new client's name
with a phone/e-mail found or created as a card in this business. No user is
looked up, so the reply is the same whether or not an account exists.
"""

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.clients.models import Client
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def api(salon, path):
    return f"/api/v1/businesses/{salon.business.pk}/{path}"


def body(salon, hour=10, **client):
    return {
        "location_id": salon.location.pk,
        "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
        "start": paris(hour).isoformat(),
        **client,
    }


@pytest.fixture
def moscow_client():
    """Someone who signed up on the platform and never came near the salon."""
    return UserFactory(
        full_name="Ivan Moskvin", email="ivan@example.test", phone="+79161234567", language="ru"
    )


def test_a_platform_user_id_is_refused_and_nothing_of_the_account_is_sent(
    desk_api, salon, moscow_client
):
    admin = UserFactory(full_name="Platform Admin", email="admin@example.test", is_staff=True)
    for user, key in ((moscow_client, "account_id"), (admin, "account_id"), (admin, "client_id")):
        response = desk_api.post(
            api(salon, "appointments/"), body(salon, **{key: user.pk}), format="json"
        )
        assert response.status_code == 400, response.content
        assert key in response.json()["error"]["fields"]
        text = response.content.decode()
        assert user.email not in text and user.full_name not in text
    series = desk_api.post(
        api(salon, "appointments/series/"),
        body(salon, account_id=moscow_client.pk, interval_weeks=1, occurrences=2),
        format="json",
    )
    assert series.status_code == 400, series.content
    with scopes_disabled():
        assert not Appointment.objects.exists()
        assert not Client.objects.exists()
    assert mail.outbox == []


def _shape(response) -> dict:
    data = response.json()
    for key in ("id", "client_card_id"):
        data.pop(key)
    return data


def test_a_new_clients_contacts_reveal_nothing_about_a_platform_account(
    desk_api, salon, moscow_client
):
    with_account = desk_api.post(
        api(salon, "appointments/"),
        body(salon, 10, client_name="Anna", client_phone="+7 916 123-45-67"),
        format="json",
    )
    assert with_account.status_code == 201, with_account.content
    reply = with_account.json()
    assert "account_id" not in reply and "client_id" not in reply
    assert (reply["client_name"], reply["client_phone"], reply["client_email"]) == (
        "Anna",
        "+79161234567",
        "",
    )
    text = with_account.content.decode()
    assert moscow_client.full_name not in text and moscow_client.email not in text
    with scopes_disabled():
        appointment = Appointment.objects.get()
        card = Client.objects.get()
    assert appointment.account_id is None  # the account is not linked to the visit
    assert card.user_id is None and card.pk == reply["client_card_id"]


def test_the_reply_is_the_same_whether_or_not_an_account_has_the_email(desk_api, salon):
    UserFactory(full_name="Someone Else", email="known@example.test")
    known = desk_api.post(
        api(salon, "appointments/"),
        body(salon, 10, client_name="Anna", client_email="known@example.test"),
        format="json",
    )
    unknown = desk_api.post(
        api(salon, "appointments/"),
        body(salon, 12, client_name="Anna", client_email="unknown@example.test"),
        format="json",
    )
    assert known.status_code == unknown.status_code == 201
    a, b = _shape(known), _shape(unknown)
    assert set(a) == set(b)
    for key in ("starts_at", "ends_at", "client_email", "items", "cancellation_policy"):
        a.pop(key), b.pop(key)
    assert a == b
    with scopes_disabled():
        assert list(Client.objects.values_list("user_id", flat=True)) == [None, None]
        assert set(Appointment.objects.values_list("account_id", flat=True)) == {None}


def test_a_card_of_the_business_is_booked_with_the_cards_data(desk_api, salon):
    with scopes_disabled():
        card = Client.objects.create(
            business=salon.business, first_name="Zoé", last_name="Dupont", phone="+33612345678"
        )
    response = desk_api.post(
        api(salon, "appointments/"),
        body(salon, client_card_id=card.pk, client_name="Someone else"),
        format="json",
    )
    assert response.status_code == 201, response.content
    reply = response.json()
    assert (reply["client_card_id"], reply["client_name"], reply["client_phone"]) == (
        card.pk,
        "Zoé Dupont",
        "+33612345678",
    )
    listed = desk_api.get(api(salon, "appointments/")).json()["results"]
    assert [row["client_card_id"] for row in listed] == [card.pk]
    assert "account_id" not in listed[0] and "client_id" not in listed[0]


def test_a_card_of_another_business_is_answered_like_no_card(desk_api, salon):
    with scopes_disabled():
        theirs = Client.objects.create(
            business=BusinessFactory(), first_name="Olga", phone="+79161234567"
        )
        missing = Client.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    other = desk_api.post(
        api(salon, "appointments/"), body(salon, client_card_id=theirs.pk), format="json"
    )
    absent = desk_api.post(
        api(salon, "appointments/"), body(salon, client_card_id=missing), format="json"
    )
    assert other.status_code == absent.status_code == 404
    assert other.json() == absent.json()
    assert "Olga" not in other.content.decode()
    with scopes_disabled():
        assert not Appointment.objects.exists()


def test_the_same_new_client_twice_is_one_card(desk_api, salon):
    for hour, phone in ((10, "06 11 22 33 44"), (12, "+33611223344")):
        response = desk_api.post(
            api(salon, "appointments/"),
            body(salon, hour, client_name="Nina Simone", client_phone=phone),
            format="json",
        )
        assert response.status_code == 201, response.content
    with scopes_disabled():
        assert Client.objects.count() == 1


@pytest.mark.parametrize("name", ["\u202eAnna", "\u200b\u200b", "   "])
def test_a_walk_in_name_of_invisible_characters_is_refused(desk_api, salon, name):
    response = desk_api.post(
        api(salon, "appointments/"),
        body(salon, client_name=name, client_phone="0611223344"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400, response.content
    assert "client_name" in response.json()["error"]["fields"]
    with scopes_disabled():
        assert not Client.objects.exists() and not Appointment.objects.exists()


def test_a_refused_booking_leaves_no_new_card(desk_api, salon):
    first = desk_api.post(
        api(salon, "appointments/"), body(salon, client_name="Anna"), format="json"
    )
    assert first.status_code == 201
    taken = desk_api.post(
        api(salon, "appointments/"),
        body(salon, client_name="Bob", client_phone="0611223344"),
        format="json",
    )
    assert taken.status_code == 409
    with scopes_disabled():
        assert list(Client.objects.values_list("first_name", flat=True)) == ["Anna"]


def test_the_front_desk_search_shows_cards_not_accounts(desk_api, salon, moscow_client):
    with scopes_disabled():
        Client.objects.create(business=salon.business, first_name="Ivan", user=moscow_client)
    results = desk_api.get(api(salon, "clients/search/"), {"q": "ivan"}).json()["results"]
    assert len(results) == 1 and "account_id" not in results[0]
