"""Client cards: E.164 phones, the booking service's find-or-create, consents
and channels, merge, erasure, segments."""

from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking import client_visits
from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.clients import selectors, services
from solibook.clients.models import Client, ClientConsent, ClientNote, Segment
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.models import AuditEvent
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, UserFactory, member
from solibook.testing.salon import NOW, paris

pytestmark = pytest.mark.django_db


def card(business, **fields):
    with business_scope(business):
        return services.client_create(business=business, actor=None, data=fields)


def test_phones_are_stored_in_e164_read_in_the_salons_country(salon):
    client = card(salon.business, first_name="Anna", phone="06 12 34 56 78")
    assert str(client.phone) == "+33612345678"
    with pytest.raises(ValidationFailed) as refused, business_scope(salon.business):
        services.client_create(
            business=salon.business, actor=None, data={"first_name": "Bad", "phone": "12"}
        )
    assert "phone" in refused.value.fields
    with scopes_disabled():
        assert Client.objects.count() == 1  # nothing half-written


def test_a_card_needs_a_name_phone_or_email(salon):
    with pytest.raises(ValidationFailed) as refused, business_scope(salon.business):
        services.client_create(business=salon.business, actor=None, data={"notes": "who?"})
    assert "first_name" in refused.value.fields


def test_booking_finds_the_card_by_phone_in_any_format_or_creates_one(salon):
    first = book(salon, hour=10, client_name="Anna Petrova", client_phone="+33 6 12 34 56 78")
    again = book(salon, hour=12, client_name="A. P.", client_phone="0612345678")
    other = book(salon, hour=14, client_name="Marie", client_email="Marie@Example.test")
    with scopes_disabled():
        cards = list(Client.objects.order_by("pk"))
        assert len(cards) == 2
        anna = cards[0]
        assert (anna.first_name, anna.last_name, str(anna.phone)) == (
            "Anna",
            "Petrova",
            "+33612345678",
        )
        assert Appointment.objects.get(pk=first.pk).client_card_id == anna.pk
        assert Appointment.objects.get(pk=again.pk).client_card_id == anna.pk
        assert Appointment.objects.get(pk=other.pk).client_card.email == "marie@example.test"


def test_a_refused_booking_leaves_no_card_behind(salon):
    book(salon, hour=10, client_name="Anna", client_phone="+33612345678")
    with pytest.raises(Exception):  # noqa: B017 - the slot is taken: a Conflict
        book(salon, hour=10, client_name="Zoé", client_phone="+33698765432")
    with scopes_disabled():
        assert list(Client.objects.values_list("first_name", flat=True)) == ["Anna"]


def test_a_users_booking_links_their_card(salon):
    user = UserFactory(full_name="Lou Reed", email="lou@example.test")
    existing = card(salon.business, first_name="Lou", email="LOU@example.test")
    appointment = book(salon, hour=10, account=user)
    with scopes_disabled():
        appointment.refresh_from_db()
        assert appointment.client_card_id == existing.pk
        assert Client.objects.get(pk=existing.pk).user_id == user.pk


def test_consents_are_history_and_channels_follow_the_latest(salon):
    client = card(
        salon.business, first_name="Anna", phone="+33612345678", email="anna@example.test"
    )
    with business_scope(salon.business):
        assert selectors.allowed_channels(business=salon.business, phone="06 12 34 56 78") == {
            "email",
            "sms",
            "push",
        }
        services.client_consent_record(
            business=salon.business, client=client, kind="sms", granted=False, at=timezone.now()
        )
        services.client_consent_record(
            business=salon.business, client=client, kind="whatsapp", granted=True
        )
        assert selectors.allowed_channels(business=salon.business, email="ANNA@example.test") == {
            "email",
            "whatsapp",
            "push",
        }
        services.client_consent_record(
            business=salon.business, client=client, kind="sms", granted=True
        )
        assert "sms" in selectors.allowed_channels(
            business=salon.business, email="anna@example.test"
        )
        assert ClientConsent.objects.filter(client=client, kind="sms").count() == 2
        assert (
            selectors.allowed_channels(business=salon.business, email="nobody@example.test") is None
        )
    other = BusinessFactory()
    with business_scope(other):
        assert (
            selectors.allowed_channels(business=other, email="anna@example.test") is None
        )  # another salon's card


def test_merge_moves_visits_notes_consents_and_fills_gaps(salon):
    owner = member(salon.business, Role.OWNER)
    a = card(salon.business, first_name="Anna", phone="+33612345678")
    b = card(salon.business, first_name="Anna P", email="anna@example.test", allergies="latex")
    appointment = book(salon, hour=10, client_card=b, client_name="Anna P")
    with business_scope(salon.business):
        services.client_note_add(business=salon.business, client=b, actor=owner, text="likes tea")
        services.client_consent_record(
            business=salon.business, client=b, kind="marketing", granted=True
        )
        merged = services.client_merge(business=salon.business, target=a, duplicate=b, actor=owner)
        assert (merged.email, merged.allergies, merged.first_name) == (
            "anna@example.test",
            "latex",
            "Anna",
        )
        assert not Client.objects.filter(pk=b.pk).exists()
        assert Appointment.objects.get(pk=appointment.pk).client_card_id == a.pk
        assert ClientNote.objects.get().client_id == a.pk
        assert selectors.consent_state(client=merged)["marketing"].granted is True
        with pytest.raises(ValidationFailed):
            services.client_merge(business=salon.business, target=a, duplicate=a, actor=owner)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="client.merge", business=salon.business).exists()


def test_erasure_anonymises_but_keeps_visits_and_money(salon):
    owner = member(salon.business, Role.OWNER)
    anna = card(
        salon.business,
        first_name="Anna",
        last_name="P",
        phone="+33612345678",
        email="a@example.test",
        birthday="1990-05-01",
    )
    appointment = book(
        salon, hour=10, client_card=anna, client_name="Anna P", client_phone="+33612345678"
    )
    with business_scope(salon.business):
        services.client_note_add(business=salon.business, client=anna, actor=owner, text="secret")
        services.client_erase(business=salon.business, client=anna, actor=owner)
        anna.refresh_from_db()
        assert anna.erased_at is not None
        assert (anna.first_name, anna.email, str(anna.phone or ""), anna.birthday) == (
            "",
            "",
            "",
            None,
        )
        kept = Appointment.objects.get(pk=appointment.pk)
        assert (kept.client_name, kept.client_phone, kept.price_amount) == (
            "",
            "",
            appointment.price_amount,
        )
        assert not ClientNote.objects.exists()
        assert selectors.find_card(business=salon.business, phone="+33612345678") is None
        with pytest.raises(ValidationFailed):
            services.client_note_add(
                business=salon.business, client=anna, actor=owner, text="again"
            )
        other = BusinessFactory()
        with pytest.raises(NotFound):
            services.client_erase(business=other, client=anna, actor=owner)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="client.erase", object_id=str(anna.pk)).exists()


def test_segments_combine_visit_spend_tag_service_and_birthday(salon):
    anna = card(salon.business, first_name="Anna", phone="+33612345678", birthday="1990-05-01")
    bob = card(salon.business, first_name="Bob", phone="+33698765432", birthday="1985-07-02")
    card(salon.business, first_name="Never", email="never@example.test")
    visit = book(salon, hour=10, client_card=anna)
    book(salon, hour=12, client_card=bob)
    with business_scope(salon.business):
        Appointment.objects.filter(pk=visit.pk).update(status=Status.COMPLETED)
        services.client_tags_set(business=salon.business, client=bob, names=["VIP"])

        def ids(**f):
            found = client_visits.segment_clients(business=salon.business, **f)
            return {c.first_name for c in found}

        assert ids(spend_above=1000) == {"Anna"}
        assert ids(spend_above=4500) == set()
        assert ids(last_visit_before=date(2030, 6, 4)) == {"Anna"}
        assert ids(last_visit_before=date(2030, 6, 3)) == set()
        assert ids(service_id=salon.cut.pk) == {"Anna"}
        assert ids(birthday_month=7) == {"Bob"}
        assert ids(tag_id=bob.tags.get().pk) == {"Bob"}
        saved = services.segment_save(
            business=salon.business,
            actor=None,
            name="Big spenders",
            filters={"spend_above": "1000"},
        )
        assert Segment.objects.get(pk=saved.pk).spend_above == 1000
        assert [
            c.first_name
            for c in client_visits.segment_clients(business=salon.business, segment=saved)
        ] == ["Anna"]
        with pytest.raises(ValidationFailed):
            services.segment_save(
                business=salon.business, actor=None, name="x", filters={"birthday_month": "13"}
            )


def test_search_finds_names_phone_digits_and_email(salon):
    card(salon.business, first_name="Anna", last_name="Petrova", phone="+33612345678")
    card(salon.business, first_name="Bob", email="bob@example.test")
    with business_scope(salon.business):

        def names(q):
            return [c.first_name for c in selectors.client_search(business=salon.business, q=q)]

        assert names("anna petr") == ["Anna"]
        assert names("0612 34") == ["Anna"]
        assert names("34 56 78") == ["Anna"]
        assert names("bob@") == ["Bob"]
        assert names("a") == []


def test_custom_fields_are_checked_against_their_definitions(salon):
    with business_scope(salon.business):
        services.custom_field_save(
            business=salon.business, actor=None, key="", label="Colour formula", kind="text"
        )
        services.custom_field_save(
            business=salon.business, actor=None, key="visits_goal", label="Goal", kind="number"
        )
        services.custom_field_save(
            business=salon.business,
            actor=None,
            key="hair",
            label="Hair length",
            kind="choice",
            choices=["short", "long"],
        )
        client = services.client_create(
            business=salon.business,
            actor=None,
            data={
                "first_name": "A",
                "custom_values": {
                    "colour_formula": "7.1 + 20vol",
                    "visits_goal": "4",
                    "hair": "long",
                },
            },
        )
        assert client.custom_values == {
            "colour_formula": "7.1 + 20vol",
            "visits_goal": 4.0,
            "hair": "long",
        }
        with pytest.raises(ValidationFailed) as refused:
            services.client_update(
                business=salon.business,
                client=client,
                actor=None,
                data={"custom_values": {"hair": "purple", "nope": "x"}},
            )
        assert set(refused.value.fields) == {"custom_values.hair", "custom_values.nope"}


def test_a_patch_test_recorded_on_the_card_lets_the_front_desk_book_the_service(salon):
    from solibook.catalog.models import Service

    with scopes_disabled():
        Service.objects.filter(pk=salon.colour.pk).update(requires_patch_test=True)
    from solibook.catalog.versioning import catalog_changed

    catalog_changed(salon.business.pk)
    walk_in = card(salon.business, first_name="Anna", phone="+33612345678")

    def colour():
        with business_scope(salon.business):
            return booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(service_id=salon.colour.pk, master_id=salon.lea.pk)],
                start=paris(10),
                source=Source.BACK_OFFICE,
                now=NOW,
                client_name="Anna",
                client_phone="0612345678",
            )

    with pytest.raises(ValidationFailed) as refused:
        colour()
    assert refused.value.code == "patch_test_required"
    with business_scope(salon.business):
        services.client_patch_test_add(
            business=salon.business,
            client=walk_in,
            actor=None,
            service_id=salon.colour.pk,
            taken_at=date(2030, 5, 20),
            valid_until=date(2030, 11, 20),
        )
    assert colour().client_card_id == walk_in.pk
