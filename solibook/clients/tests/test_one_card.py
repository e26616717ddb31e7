"""One client card per person per business (issue #17, points 6 and 7).

- The database refuses a second card of one business for the same user, E.164
  phone or e-mail (case-insensitive); the booking service's get-or-create
  survives concurrent first bookings of one new client.
- The migration folds the duplicates a database already holds into one card.
- Person names on cards (API and pages) follow `core.validators.validate_name`.
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.clients import services
from solibook.clients.models import Client, ClientNote
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.testing.factories import BusinessFactory, UserFactory, member
from solibook.testing.races import race
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db

RACERS = 8


def api(business, path):
    return f"/api/v1/businesses/{business.pk}/{path}"


# --- the race -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "contacts",
    [
        {"client_name": "Nina Simone", "client_phone": "06 11 22 33 44"},
        {"client_name": "Nina Simone", "client_email": "Nina@Example.test"},
    ],
    ids=["phone", "email"],
)
def test_eight_concurrent_first_bookings_of_one_new_client_leave_one_card(salon, contacts):
    masters = [salon.lea, salon.marc]

    def attempt(i):
        # Eight visits that do not compete for time: each thread's card is the
        # only thing they share.
        with business_scope(salon.business), transaction.atomic():
            return booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=masters[i % 2].pk)],
                start=paris(9 + i // 2),
                source=Source.BACK_OFFICE,
                now=NOW,
                **contacts,
            )

    results = race(RACERS, attempt)
    assert all(isinstance(r, Appointment) for r in results), results
    with scopes_disabled():
        cards = list(Client.objects.filter(business=salon.business))
        assert len(cards) == 1, cards
        assert set(Appointment.objects.values_list("client_card_id", flat=True)) == {cards[0].pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_first_bookings_of_one_user_leave_one_card(salon):
    user = UserFactory(full_name="Ivan Petrov")
    masters = [salon.lea, salon.marc]

    def attempt(i):
        with business_scope(salon.business), transaction.atomic():
            return booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=masters[i % 2].pk)],
                start=paris(9 + i // 2),
                source=Source.MARKETPLACE,
                now=NOW,
                account=user,
            )

    results = race(RACERS, attempt)
    assert all(isinstance(r, Appointment) for r in results), results
    with scopes_disabled():
        assert Client.objects.filter(business=salon.business).count() == 1
        assert Client.objects.get(business=salon.business).user_id == user.pk


# --- the database rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"phone": "+33612345678"}, {"phone": "+33612345678"}),
        ({"email": "anna@example.test"}, {"email": "ANNA@example.test"}),
        ("user", "user"),
    ],
    ids=["phone", "email-any-case", "user"],
)
def test_the_database_refuses_a_second_card_for_one_person(salon, first, second):
    if first == "user":
        user = UserFactory()
        first = second = {"user": user}
    with scopes_disabled():
        Client.objects.create(business=salon.business, first_name="A", **first)
        with pytest.raises(IntegrityError), transaction.atomic():
            Client.objects.create(business=salon.business, first_name="B", **second)
        # Another business may hold a card for the same person; blanks never clash.
        Client.objects.create(business=BusinessFactory(), first_name="C", **second)
        Client.objects.create(business=salon.business, first_name="D")
        Client.objects.create(business=salon.business, first_name="E")


def test_a_card_cannot_take_another_cards_phone_or_email(salon):
    with business_scope(salon.business):
        anna = services.client_create(
            business=salon.business,
            actor=None,
            data={"first_name": "Anna", "phone": "0612345678", "email": "a@example.test"},
        )
        with pytest.raises(ValidationFailed) as refused:
            services.client_create(
                business=salon.business, actor=None, data={"phone": "+33 6 12 34 56 78"}
            )
        assert "phone" in refused.value.fields
        bob = services.client_create(
            business=salon.business, actor=None, data={"first_name": "Bob"}
        )
        with pytest.raises(ValidationFailed) as refused:
            services.client_update(
                business=salon.business, client=bob, actor=None, data={"email": "A@example.test"}
            )
        assert "email" in refused.value.fields
        # Its own values are not "another card's".
        services.client_update(
            business=salon.business, client=anna, actor=None, data={"phone": "06 12 34 56 78"}
        )


def test_the_api_answers_a_taken_phone_with_400_naming_the_field(api_client, salon):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    first = api_client.post(
        api(salon.business, "clients/"), {"first_name": "Anna", "phone": "0612345678"}
    )
    assert first.status_code == 201, first.content
    again = api_client.post(
        api(salon.business, "clients/"), {"first_name": "Anna bis", "phone": "06 12 34 56 78"}
    )
    assert again.status_code == 400
    assert "phone" in again.json()["error"]["fields"]


# --- the migration's data step ---------------------------------------------------------


@pytest.mark.postgres
def test_the_migration_merges_duplicates_a_database_already_holds(salon):
    """Duplicates made before the rule existed are folded into the oldest card."""
    from importlib import import_module

    step = import_module("solibook.clients.migrations.0002_one_card_per_person")
    user = UserFactory()
    constraints = list(Client._meta.constraints)
    with connection.schema_editor() as editor:
        for constraint in constraints:
            editor.remove_constraint(Client, constraint)
    with scopes_disabled():
        b = salon.business
        oldest = Client.objects.create(business=b, first_name="Anna", phone="+33612345678")
        Client.objects.create(
            business=b, last_name="Petrova", phone="+33612345678", email="anna@example.test"
        )
        by_email = Client.objects.create(business=b, email="ANNA@example.test", user=user)
        by_user = Client.objects.create(business=b, user=user, allergies="latex")
        alone = Client.objects.create(business=b, first_name="Bob", phone="+33611111111")
        elsewhere = Client.objects.create(
            business=BusinessFactory(), first_name="Anna", phone="+33612345678"
        )
        visit = Appointment.objects.create(
            business=b,
            location=salon.location,
            client_card=by_user,
            starts_at=paris(10),
            ends_at=paris(11),
            price_amount=1,
            currency="EUR",
        )
        ClientNote.objects.create(business=b, client=by_email, text="likes tea")

        step.merge_duplicates(apps, None)

        assert set(Client.objects.values_list("pk", flat=True)) == {
            oldest.pk,
            alone.pk,
            elsewhere.pk,
        }
        oldest.refresh_from_db()
        assert (oldest.first_name, oldest.last_name, oldest.email) == (
            "Anna",
            "Petrova",
            "anna@example.test",
        )
        assert (oldest.user_id, oldest.allergies) == (user.pk, "latex")
        assert Appointment.objects.get(pk=visit.pk).client_card_id == oldest.pk
        assert ClientNote.objects.get().client_id == oldest.pk
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # let the index build run
    with connection.schema_editor() as editor:
        for constraint in constraints:
            editor.add_constraint(Client, constraint)  # the rule holds on what is left


# --- names --------------------------------------------------------------------------------

BAD_NAMES = [
    "\u200b\u200b",  # zero-width spaces only
    "\u200d\u200c",  # zero-width joiner and non-joiner only
    "\ufeff",  # a byte-order mark
    "\u202eanna",  # a right-to-left override
    "   ",  # spaces only
    "\u3164",  # the Hangul filler, an invisible "letter"
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_card_api_refuses_invisible_or_blank_names(api_client, salon, name):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    created = api_client.post(
        api(salon.business, "clients/"),
        {"first_name": name, "phone": "0612345678"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert created.status_code == 400, created.content
    message = created.json()["error"]["fields"]["first_name"][0]
    assert "nom" in message.lower()  # translated
    with scopes_disabled():
        assert not Client.objects.exists()
        card = Client.objects.create(business=salon.business, first_name="Anna")
    patched = api_client.patch(
        api(salon.business, f"clients/{card.pk}/"), {"last_name": name}, format="json"
    )
    assert patched.status_code == 400
    assert "last_name" in patched.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["\u200b", "\u202eAnna", "  "])
def test_the_card_pages_refuse_invisible_or_blank_names(client, salon, name):
    client.force_login(member(salon.business, Role.OWNER))
    response = client.post(
        f"/en/office/{salon.business.slug}/clients/new/",
        {"first_name": name, "last_name": "", "phone": "0612345678"},
    )
    assert response.status_code in (200, 400)
    with scopes_disabled():
        assert not Client.objects.exists()


def test_real_names_in_any_script_are_kept_normalised(salon):
    with business_scope(salon.business):
        card = services.client_create(
            business=salon.business,
            actor=None,
            data={"first_name": "  می\u200cخواهم ", "last_name": "Zoe\u0308"},
        )
    assert (card.first_name, card.last_name) == ("می\u200cخواهم", "Zoë")


def test_a_booking_refuses_an_invisible_guest_name(salon):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(10),
            source=Source.MARKETPLACE,
            now=NOW,
            client_name="\u202e\u200b",
            client_phone="0612345678",
        )
    assert "client_name" in refused.value.fields
    with scopes_disabled():
        assert not Client.objects.exists() and not Appointment.objects.exists()
