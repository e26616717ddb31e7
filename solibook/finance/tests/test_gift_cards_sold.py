"""Gift cards as salons sell them (issue #15, point 4): the code shown once,
its PDF and message, masked elsewhere, lookup and redemption at the till,
the holder's balance page, reissue; bad input and concurrency."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.core.errors import DomainError
from solibook.core.models import AuditEvent
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import Checkout, GiftCard, GiftCardMovement
from solibook.finance.services import LineIn, TenderIn
from solibook.finance.services.giftcards import (
    ALPHABET,
    code_digest,
    gift_card_reissue,
    issued_codes,
)
from solibook.finance.tests.helpers import bal
from solibook.testing.factories import BusinessFactory, LocationFactory, member
from solibook.testing.races import outcome, race
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


def sell(salon, amount=5000, **more):
    with business_scope(salon.business):
        sale = services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            lines=[LineIn("gift_card", amount=amount, recipient_name="Zoé")],
            shown_total=amount,
            currency="EUR",
            tenders=[TenderIn("card", amount)],
            now=NOW,
            **more,
        )
    [(card_id, code)] = issued_codes(sale)
    with scopes_disabled():
        return GiftCard.objects.get(pk=card_id), code


def spend(salon, code, amount, price=None):
    with business_scope(salon.business):
        return services.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            lines=[LineIn("gift_card", amount=price or amount)],
            shown_total=price or amount,
            currency="EUR",
            tenders=[TenderIn("gift_card", amount, {"code": code})],
            now=NOW,
        )


def test_the_code_resists_guessing_and_is_not_stored(salon):
    card, code = sell(salon)
    raw = code.replace("-", "")
    assert CODE.fullmatch(code) and len(raw) == 16 and set(raw) <= set(ALPHABET)
    assert card.code_digest == code_digest(code) and card.code_last4 == raw[-4:]
    with scopes_disabled():
        stored = GiftCard.objects.filter(pk=card.pk).values().get()
    assert not any(raw in str(value) for value in stored.values())
    assert card.masked.endswith(raw[-4:]) and raw[:12] not in card.masked


def test_redeeming_more_than_the_balance_is_refused_and_nothing_is_written(salon):
    card, code = sell(salon, 5000)
    with scopes_disabled():
        before = (Checkout.objects.count(), bal(salon.business, "gift_cards_outstanding"))
    with pytest.raises(DomainError) as refused:
        spend(salon, code.lower().replace("-", " "), 6000)
    assert refused.value.code == "gift_card_insufficient"
    assert "€50.00" in refused.value.message
    card.refresh_from_db()
    assert card.balance == 5000
    with scopes_disabled():
        assert (Checkout.objects.count(), bal(salon.business, "gift_cards_outstanding")) == before
        assert GiftCardMovement.objects.filter(card=card).count() == 1  # the sale only


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_of_one_code_at_once_one_wins(salon):
    card, code = sell(salon, 5000)

    def attempt(i):
        with transaction.atomic():
            return spend(salon, code, 4000).pk

    results = [outcome(r) for r in race(2, attempt)]
    assert sorted(isinstance(r, int) for r in results) == [False, True]
    assert "gift_card_insufficient" in results
    card.refresh_from_db()
    assert card.balance == 1000
    with scopes_disabled():
        assert GiftCardMovement.objects.filter(card=card, kind="redeemed").count() == 1


def test_reissue_voids_the_old_code_and_moves_the_balance(salon):
    card, code = sell(salon, 5000)
    spend(salon, code, 1500)
    owner = member(salon.business, Role.OWNER)
    with business_scope(salon.business):
        new = gift_card_reissue(business=salon.business, card_id=card.pk, actor=owner)
    card.refresh_from_db()
    assert card.voided_at and card.balance == 0 and card.replaced_by_id == new.pk
    assert new.balance == 3500 and new.code != code
    with pytest.raises(DomainError) as refused:
        spend(salon, code, 100)
    assert refused.value.code == "gift_card_voided"
    spend(salon, new.code, 3500)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="finance.gift_card_reissued").exists()
    new.refresh_from_db()
    assert new.balance == 0


def test_sale_page_shows_the_code_once_then_masked_pdf_and_e_mail(salon, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    base = f"/en/office/{salon.business.slug}/finance/"
    done = client.post(
        f"{base}checkout/",
        {
            "location": salon.location.pk,
            "gift_card_amount": "50",
            "gift_card_recipient": "Zoé",
            "pay_card": "50",
            "action": "complete",
            "shown_total": "5000",
        },
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    page = client.get(done["Location"]).content.decode()
    assert page.count("Paid: receipt") == 1  # the message once, not again under the tabs
    [code] = set(CODE.findall(page))
    with scopes_disabled():
        card = GiftCard.objects.get()
    assert card.code_digest == code_digest(code)
    pdf = client.get(f"{base}gift-cards/{card.pk}/card.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.post(
        f"{base}gift-cards/{card.pk}/send/",
        {f"g{card.pk}-channel": "email", f"g{card.pk}-to": "nope", f"g{card.pk}-language": "fr"},
        follow=True,
    )
    assert "Enter a valid e-mail address." in bad.content.decode() and not mail.outbox
    sent = client.post(
        f"{base}gift-cards/{card.pk}/send/",
        {
            f"g{card.pk}-channel": "email",
            f"g{card.pk}-to": "zoe@example.test",
            f"g{card.pk}-language": "fr",
        },
    )
    assert sent.status_code == 302
    [message] = mail.outbox
    assert code in message.body and "Zoé" not in message.subject
    assert message.subject.startswith("Une carte cadeau")
    assert message.attachments[0][2] == "application/pdf"
    # Elsewhere masked: the list, the lookup, the API; another session never sees it.
    listing = client.get(f"{base}gift-cards/").content.decode()
    assert code not in listing and f"…{card.code_last4}" in listing
    looked = client.post(f"{base}gift-cards/", {"code": code.lower()}).content.decode()
    assert code not in looked and "€50.00" in looked
    other = client.__class__()
    other.force_login(member(salon.business, Role.OWNER))
    assert code not in other.get(done["Location"]).content.decode()
    assert other.get(f"{base}gift-cards/{card.pk}/card.pdf").status_code == 302


def test_api_gives_the_code_in_the_sale_answer_only(salon, api_client):
    api_client.force_authenticate(member(salon.business, Role.RECEPTIONIST))
    api = f"/api/v1/businesses/{salon.business.pk}/finance/"
    sale = api_client.post(
        f"{api}checkouts/",
        {
            "location_id": salon.location.pk,
            "lines": [{"kind": "gift_card", "amount": 3000}],
            "shown_total": 3000,
            "currency": "EUR",
            "tenders": [{"kind": "cash", "amount": 3000}],
        },
        format="json",
    )
    assert sale.status_code == 201, sale.json()
    [issued] = sale.json()["gift_cards_issued"]
    assert CODE.fullmatch(issued["code"])
    listed = api_client.get(f"{api}gift-cards/").json()
    assert issued["code"] not in str(listed) and "code" not in listed["results"][0]
    lookup = api_client.post(f"{api}gift-cards/lookup/", {"code": issued["code"]}, format="json")
    assert lookup.json()["balance"] == 3000 and "code" not in lookup.json()
    # A receptionist cannot reissue; an owner can, and gets the new code once.
    assert api_client.post(f"{api}gift-cards/{issued['id']}/reissue/").status_code == 403
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    new = api_client.post(f"{api}gift-cards/{issued['id']}/reissue/").json()
    assert CODE.fullmatch(new["code"]) and new["balance"] == 3000


def test_another_salons_card_is_unknown_at_the_till(salon, client):
    card, code = sell(salon)
    other = BusinessFactory()
    LocationFactory(business=other)
    client.force_login(member(other, Role.OWNER))
    page = client.post(f"/en/office/{other.slug}/finance/gift-cards/", {"code": code})
    assert "No gift card with this code." in page.content.decode()
    assert (
        client.post(f"/en/office/{other.slug}/finance/gift-cards/{card.pk}/reissue/").status_code
        == 404
    )


def test_the_holder_checks_the_balance_and_guessing_is_rate_limited(salon, client, settings):
    cache.clear()
    settings.GIFT_CARD_BALANCE_RATE_PER_IP = 3
    card, code = sell(salon, 4200)
    page = client.post("/ru/gift-card/", {"code": code.lower()})
    assert page.status_code == 200 and "42,00" in page.content.decode()
    wrong = client.post("/ru/gift-card/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "Нет подарочной карты с таким кодом." in wrong.content.decode()
    client.post("/en/gift-card/", {"code": "AAAA-BBBB-CCCC-DDDE"})
    assert client.post("/en/gift-card/", {"code": code}).status_code == 429
    cache.clear()


def test_a_gift_card_sent_by_sms_counts_against_the_salons_sms_credits(salon, settings):
    """The card's SMS goes out by the salon's hand, not through the dispatcher, and
    is counted all the same: one charge per message sent, none for a refused number."""
    from solibook.billing import selectors as billing
    from solibook.billing.models import Charge
    from solibook.billing.services import subscription_start
    from solibook.finance.services.giftcards import gift_card_send

    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "sms": "solibook.demo.inbox.InboxSmsProvider",
    }
    subscription_start(business=salon.business, plan_code="starter", now=NOW)
    card, code = sell(salon)

    def send(to):
        with business_scope(salon.business):
            gift_card_send(
                business=salon.business,
                card_id=card.pk,
                code=code,
                channel="sms",
                to=to,
                language="fr",
            )

    with pytest.raises(DomainError):
        send("not a phone")
    with scopes_disabled():
        assert not Charge.objects.filter(business=salon.business, kind="sms").exists()
    send("+33612345678")
    send("+33612345678")
    with scopes_disabled():
        assert Charge.objects.filter(business=salon.business, kind="sms").count() == 2
    assert billing.sms_usage(salon.business).sent == 2
