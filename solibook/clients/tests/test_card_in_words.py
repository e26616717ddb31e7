"""The client card names things in the reader's language (issue #14, point 10): the
consents, the client's language and where a consent came from, never their codes."""

import re

import pytest

from solibook.accounts.roles import Role
from solibook.clients import services
from solibook.clients.forms import MONTHS
from solibook.core.tenancy import business_scope
from solibook.testing.clients import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Marketing", "SMS messages", "Russian", "recorded by the salon"]),
        ("ru", ["Маркетинг", "SMS-сообщения", "Русский", "записано салоном"]),
        ("ar", ["التسويق", "الروسيّة", "سجّله الصالون"]),
        ("fr", ["Marketing", "Russe", "choisi par le client"]),
    ],
)
def test_the_card_shows_consents_and_language_in_words(client, salon, lang, words):
    owner = sign_in(client, salon.business, Role.OWNER)
    with business_scope(salon.business):
        anna = services.client_create(
            business=salon.business, actor=None, data={"first_name": "Anna", "language": "ru"}
        )
        services.client_consent_record(
            business=salon.business, client=anna, kind="marketing", granted=True, actor=owner
        )
        services.client_consent_record(
            business=salon.business, client=anna, kind="sms", granted=False, source="client"
        )
    page = client.get(f"/{lang}/office/{salon.business.slug}/clients/{anna.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for word in words:
        assert word in html, word
    # What people read: the consents section's text, without the form's option values.
    consents = re.sub(r'value="[^"]*"', "", html[html.index('id="consents"') :])
    for code in ("data_processing", "back_office", ">marketing<", ">sms<", "(client"):
        assert code not in consents, code
    assert '<dd class="col-7">ru</dd>' not in html


def test_an_integrations_own_source_word_is_shown_as_sent(salon):
    with business_scope(salon.business):
        anna = services.client_create(business=salon.business, actor=None, data={"first_name": "A"})
        consent = services.client_consent_record(
            business=salon.business, client=anna, kind="email", granted=True, source="Kiosk 2"
        )
    assert consent.source_label == "Kiosk 2"


def test_birthday_months_stay_capitalised_on_their_own():
    from django.utils import translation

    for lang, december in (("en", "December"), ("fr", "Décembre"), ("ru", "Декабрь")):
        with translation.override(lang):
            assert str(dict(MONTHS)["12"]) == december
