"""GDPR: export (one function, page and API), erasure (accounting rows stay,
personal data goes), the retention job, consents with their dates."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.models import User
from solibook.accounts.roles import Role
from solibook.booking.models import Appointment
from solibook.clients.models import Client, ClientConsent, ClientNote
from solibook.core.models import AuditEvent
from solibook.privacy import services
from solibook.testing.factories import TEST_PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db

VISIT = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def client_with_history(salon):
    """A client with a card at the salon (consents, a note) and a paid visit."""
    user = UserFactory(
        full_name="Camille Durand", email="camille@example.test", phone="+33612345678"
    )
    business = salon.business
    with scopes_disabled():
        card = Client.objects.create(
            business=business,
            user=user,
            first_name="Camille",
            last_name="Durand",
            email="camille@example.test",
            allergies="latex",
            notes="likes tea",
        )
        ClientConsent.objects.create(
            business=business,
            client=card,
            kind="marketing",
            granted=True,
            recorded_at=datetime(2029, 5, 1, 10, 0, tzinfo=UTC),
            source="booking form",
        )
        ClientNote.objects.create(business=business, client=card, text="prefers mornings")
        visit = Appointment.objects.create(
            business=business,
            location=salon.location,
            account=user,
            client_card=card,
            client_name="Camille Durand",
            client_email="camille@example.test",
            client_phone="+33612345678",
            notes="door code 1234",
            starts_at=VISIT,
            ends_at=VISIT + timedelta(hours=1),
            price_amount=4500,
            currency="EUR",
            status="completed",
        )
    return user, card, visit


def test_export_holds_account_visits_card_and_dated_consents_but_no_secrets(
    client, client_with_history
):
    user, card, visit = client_with_history
    client.force_login(user)
    response = client.post("/en/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "camille@example.test"
    assert data["account"]["phone"] == "+33612345678"
    [appointment] = data["visits"]  # the readable part
    assert appointment["id"] == visit.pk and appointment["price_amount"] == 4500
    [exported_card] = data["salon_cards"]
    assert exported_card["allergies"] == "latex"
    [consent] = exported_card["related"]["clients.clientconsent"]
    assert consent["kind"] == "marketing" and consent["granted"] is True
    assert consent["recorded_at"].startswith("2029-05-01T10:00:00")
    text = response.content.decode()
    assert user.password not in text and '"password"' not in text
    assert AuditEvent.objects.filter(action="privacy.export", actor=user).exists()


def test_export_needs_a_post_and_a_login(client, client_with_history):
    assert client.post("/en/privacy/export/").status_code == 302
    client.force_login(client_with_history[0])
    assert client.get("/en/privacy/export/").status_code == 405


def test_the_api_exports_the_same_data(api_client, client_with_history):
    user, _card, _visit = client_with_history
    api_client.force_authenticate(user)
    response = api_client.get("/api/v1/me/data/")
    assert response.status_code == 200
    api = response.json()
    direct = json.loads(json.dumps(services.user_data_export(user=user), default=str))
    assert set(api["records"]) == set(direct["records"])
    assert api["account"] == direct["account"] and api["visits"] == direct["visits"]
    assert api["salon_cards"][0]["related"]["clients.clientconsent"]


def test_another_clients_data_never_leaks_into_an_export(api_client, client_with_history):
    other = UserFactory()
    api_client.force_authenticate(other)
    data = api_client.get("/api/v1/me/data/").json()
    assert "camille" not in json.dumps(data).lower()


def test_erasure_anonymises_but_keeps_the_books(client, client_with_history):
    user, card, visit = client_with_history
    client.force_login(user)
    refused = client.post("/en/privacy/erase/", {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.erased_at is None

    response = client.post("/en/privacy/erase/", {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.erased_at is not None and not user.is_active and not user.has_usable_password()
    assert user.full_name == "" and "camille" not in user.email and str(user.phone) == ""
    with scopes_disabled():
        visit.refresh_from_db()
        card.refresh_from_db()
        assert ClientNote.objects.filter(client=card).count() == 0
        assert ClientConsent.objects.filter(
            client=card
        ).exists()  # the dated decisions stay, anonymous
    assert (visit.price_amount, visit.currency, visit.status) == (4500, "EUR", "completed")
    assert visit.client_name == visit.client_email == visit.client_phone == visit.notes == ""
    assert card.erased_at is not None and card.first_name == "" and card.allergies == ""
    assert client.get("/en/accounts/").status_code == 302  # logged out
    assert AuditEvent.objects.filter(action="privacy.erase").exists()


def test_erasure_through_the_api_is_confirmed_and_checked(api_client, client_with_history):
    user, _card, _visit = client_with_history
    api_client.force_authenticate(user)
    assert (
        api_client.post(
            "/api/v1/me/erase/", {"password": TEST_PASSWORD, "confirm": False}
        ).status_code
        == 400
    )
    assert (
        api_client.post("/api/v1/me/erase/", {"password": "nope", "confirm": True}).status_code
        == 400
    )
    assert (
        api_client.post("/api/v1/me/erase/", "{bad", content_type="application/json").status_code
        == 400
    )
    user.refresh_from_db()
    assert user.erased_at is None
    assert (
        api_client.post(
            "/api/v1/me/erase/", {"password": TEST_PASSWORD, "confirm": True}
        ).status_code
        == 204
    )
    user.refresh_from_db()
    assert user.erased_at is not None


def test_an_owner_cannot_erase_themselves_while_owning_a_business(api_client, salon):
    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    response = api_client.post("/api/v1/me/erase/", {"password": TEST_PASSWORD, "confirm": True})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "owns_business"
    owner.refresh_from_db()
    assert owner.erased_at is None and owner.is_active


def test_erasing_twice_is_harmless(client_with_history):
    user = client_with_history[0]
    services.user_erase(user=user)
    services.user_erase(user=user)
    assert User.objects.filter(erased_at__isnull=False).count() == 1


# --- retention ------------------------------------------------------------------------
def _age(obj, when):
    type(obj)._base_manager.filter(pk=obj.pk).update(
        **{f: when for f in ("created_at", "updated_at") if hasattr(obj, f)}
    )


def test_retention_anonymises_inactive_clients_only(salon, settings):
    settings.PRIVACY_CLIENT_RETENTION_DAYS = 3 * 365
    now = timezone.now()
    long_ago = now - timedelta(days=4 * 365)
    with scopes_disabled():
        sleeping = Client.objects.create(
            business=salon.business, first_name="Old", phone="+33600000001"
        )
        active = Client.objects.create(
            business=salon.business, first_name="Recent", phone="+33600000002"
        )
        new_card = Client.objects.create(business=salon.business, first_name="New")
        for card in (sleeping, active):
            _age(card, long_ago)
        Appointment.objects.create(
            business=salon.business,
            location=salon.location,
            client_card=active,
            starts_at=now - timedelta(days=30),
            ends_at=now - timedelta(days=30) + timedelta(hours=1),
            price_amount=1000,
            currency="EUR",
        )
    dormant_user = UserFactory(email="dormant@example.test")
    User.objects.filter(pk=dormant_user.pk).update(date_joined=long_ago, last_login=long_ago)
    staff_member = member(salon.business, Role.MASTER)
    User.objects.filter(pk=staff_member.pk).update(date_joined=long_ago, last_login=long_ago)

    assert services.retention_run(dry_run=True) == {"client_cards": 1, "users": 1}
    assert services.retention_run() == {"client_cards": 1, "users": 1}
    with scopes_disabled():
        assert Client.objects.get(pk=sleeping.pk).erased_at is not None
        assert Client.objects.get(pk=active.pk).erased_at is None
        assert Client.objects.get(pk=new_card.pk).erased_at is None
    assert User.objects.get(pk=dormant_user.pk).erased_at is not None
    assert User.objects.get(pk=staff_member.pk).erased_at is None  # team members are not clients
    assert services.retention_run() == {"client_cards": 0, "users": 0}


def test_retention_period_is_configurable_and_the_command_runs(salon, settings, capsys):
    with scopes_disabled():
        card = Client.objects.create(business=salon.business, first_name="Year-old")
        _age(card, timezone.now() - timedelta(days=400))
    settings.PRIVACY_CLIENT_RETENTION_DAYS = 3 * 365
    call_command("privacy_retention", "--dry-run")
    assert "would anonymise: 0 client cards" in capsys.readouterr().out
    call_command("privacy_retention", "--days", "365")
    assert "anonymised: 1 client cards" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("privacy_retention", "--days", "1")


def test_retention_task_runs_through_the_tasks_api(salon):
    from solibook.privacy.tasks import retention_task

    result = retention_task.enqueue()
    assert result.return_value == {"client_cards": 0, "users": 0}


def test_security_page_links_export_and_erasure(client):
    client.force_login(UserFactory())
    page = client.get("/en/accounts/security/")
    assert page.status_code == 200
    assert b"/en/privacy/export/" in page.content and b"/en/privacy/erase/" in page.content
