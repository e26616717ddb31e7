import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from solibook.accounts.models import User
from solibook.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, lang="en", **overrides):
    data = {
        "full_name": "Chloé Dubois",
        "email": "Chloe.Dubois@Example.test",
        "phone": "+33 6 12 34 56 78",
        "password": "violet-hair-and-tea-2026",
        "language": "fr",
        "time_zone": "Europe/Paris",
        **overrides,
    }
    with translation.override(lang):
        url = reverse("accounts:signup")
    return client.post(url, data)


def test_sign_up_creates_a_client_logs_in_and_sends_a_verification_in_their_language(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "chloe.dubois@example.test"
    assert str(user.phone) == "+33612345678"  # stored in E.164
    assert user.check_password("violet-hair-and-tea-2026")
    assert user.email_verified_at is None
    assert client.get(reverse("accounts:home")).status_code == 200

    [message] = mail.outbox
    assert message.to == ["chloe.dubois@example.test"]
    assert message.subject == "Confirmez votre adresse e-mail"
    link = re.search(r"http://testserver(/\S+/verify/\S+/)", message.body).group(1)
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_weak_password_is_refused_and_nothing_is_written(client):
    response = _signup(client, password="password")
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.exists()


def test_an_address_already_used_is_refused_in_the_users_language(client):
    UserFactory(email="chloe.dubois@example.test")
    response = _signup(client, lang="fr")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Un compte utilise déjà cette adresse e-mail."
    ]
    assert User.objects.count() == 1


def test_a_bad_phone_number_is_a_field_error(client):
    response = _signup(client, phone="12")
    assert "phone" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_forged_verification_link_is_refused(client):
    response = client.get(reverse("accounts:verify_email", kwargs={"token": "not-a-token"}))
    assert response.status_code == 400


def test_login_is_by_email_whatever_its_case(client):
    UserFactory(email="owner@example.test")
    response = client.post(
        reverse("accounts:login"), {"username": "OWNER@example.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_wrong_password_does_not_log_in(client):
    UserFactory(email="owner@example.test")
    response = client.post(
        reverse("accounts:login"), {"username": "owner@example.test", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="forgetful@example.test")
    client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.test"})
    [message] = mail.outbox
    path = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-99", "new_password2": "a-brand-new-secret-99"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-99")


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_changes_are_validated(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "New Name",
            "phone": "+7 495 650-00-15",
            "language": "ru",
            "time_zone": "Europe/Moscow",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, str(user.phone), user.language, user.time_zone) == (
        "New Name",
        "+74956500015",
        "ru",
        "Europe/Moscow",
    )
    response = client.post(
        reverse("accounts:profile"), {"full_name": "X", "language": "ru", "time_zone": "Mars/Base"}
    )
    assert "time_zone" in response.context["form"].errors
