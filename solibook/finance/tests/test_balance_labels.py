"""The payments page names the ledger's accounts as people read them, never by code."""

import re

import pytest

from solibook.accounts.roles import Role
from solibook.finance import accounts
from solibook.finance.selectors import account_labels
from solibook.testing.booking import book
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_every_fixed_account_has_a_label_in_each_language():
    from django.utils import translation

    codes = [*accounts.BUSINESS_ACCOUNTS, *accounts.PLATFORM_ACCOUNTS]
    for lang in ("fr", "ru", "ar"):
        with translation.override(lang):
            labels = account_labels(codes)
        assert all(labels[code] != code for code in codes), lang
        if lang != "fr":  # French spells some of them as English does ("Promotion")
            with translation.override("en"):
                english = account_labels(codes)
            assert all(labels[code] != english[code] for code in codes), lang


def test_the_balances_after_a_checkout_read_as_words(salon, client):
    owner = member(salon.business, Role.OWNER)
    client.force_login(owner)
    appointment = book(salon)
    base = f"/ru/office/{salon.business.slug}/finance/"
    form = {
        "appointment": appointment.pk,
        "location": salon.location.pk,
        "pay_cash": "20",
        "pay_card": "25",
    }
    done = client.post(f"{base}checkout/", {**form, "action": "complete", "shown_total": "4500"})
    assert done.status_code == 302, done.content.decode()[:2000]

    page = client.get(base).content.decode()
    balances = page.split('id="balances"', 1)[1].split("</table>", 1)[0]
    assert "Наличные" in balances  # cash, in Russian
    assert "Услуги:" in balances  # the service's revenue, by its category
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|revenue:", balances)
