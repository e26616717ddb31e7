from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.errors import ValidationFailed
from solibook.offers.models import PromoCode, Redemption
from solibook.offers.services import (
    client_key_for,
    promo_code_create,
    promo_quote,
    promo_redeem,
    redemptions_release,
)
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import UserFactory
from solibook.testing.races import race
from solibook.testing.salon import NOW

RACERS = 24


def code(salon, **fields):
    with scopes_disabled():
        return promo_code_create(
            business=salon.business, **{"code": "spring-10", "discount_percent": 10, **fields}
        )


@pytest.mark.django_db
def test_a_code_is_normalised_and_unique_per_salon(salon):
    promo = code(salon)
    assert promo.code == "SPRING-10" and promo.currency == "EUR"
    with pytest.raises(ValidationFailed) as error:
        code(salon, code=" Spring-10 ")
    assert error.value.code == "duplicate"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "a"}, "code"),
        ({"code": "<script>"}, "code"),
        ({"discount_percent": None}, "discount_percent"),
        ({"discount_amount": 500}, "discount_percent"),
        ({"discount_percent": 0}, "discount_percent"),
        ({"discount_percent": 101}, "discount_percent"),
        ({"max_redemptions": 0}, "max_redemptions"),
        ({"valid_from": NOW, "valid_until": NOW}, "valid_until"),
    ],
)
def test_bad_codes_are_refused_with_the_field_named(salon, fields, field):
    with pytest.raises(ValidationFailed) as error:
        code(salon, **fields)
    assert field in error.value.fields
    with scopes_disabled():
        assert not PromoCode.objects.exists()


@pytest.mark.django_db
def test_quote_checks_expiry_start_minimum_and_computes_in_minor_units(salon):
    code(
        salon,
        code="TEN",
        discount_percent=10,
        valid_from=NOW,
        valid_until=NOW + timedelta(days=1),
        min_price_amount=3000,
    )
    code(salon, code="FIVER", discount_percent=None, discount_amount=500)

    def quote(c, price=4599, now=NOW + timedelta(hours=1)):
        return promo_quote(
            business_id=salon.business.pk, code=c, price_amount=price, currency="EUR", now=now
        )

    assert quote("ten").discount_amount == 459  # floor of 10 % of 45.99
    assert quote("FIVER", price=300).discount_amount == 300  # never more than the price
    for args, expected in (
        (("TEN",), None),
        (("TEN", 2999), "promo_minimum"),
        (("TEN", 4599, NOW - timedelta(seconds=1)), "promo_not_yet"),
        (("TEN", 4599, NOW + timedelta(days=1)), "promo_expired"),
        (("NOPE",), "promo_unknown"),
        (("' OR 1=1 --",), "promo_unknown"),
    ):
        if expected is None:
            continue
        with pytest.raises(ValidationFailed) as error:
            quote(*args)
        assert error.value.code == expected
    with pytest.raises(ValidationFailed) as error:
        promo_quote(
            business_id=salon.business.pk,
            code="TEN",
            price_amount=4599,
            currency="RUB",
            now=NOW + timedelta(hours=1),
        )
    assert error.value.code == "promo_currency"


@pytest.mark.django_db
def test_once_per_client_and_release_on_cancel(salon):
    code(salon, code="ONCE", discount_amount=1000, discount_percent=None)
    client = UserFactory()
    key = client_key_for(account=client)
    first = visit(salon, client, hour=9, completed=False)
    second = visit(salon, client, hour=12, completed=False)
    with scopes_disabled():
        promo_redeem(
            appointment=first,
            code="ONCE",
            price_amount=4500,
            account=client,
            client_key=key,
            now=NOW,
        )
        with pytest.raises(ValidationFailed) as error:
            promo_redeem(
                appointment=second,
                code="ONCE",
                price_amount=4500,
                account=client,
                client_key=key,
                now=NOW,
            )
        assert error.value.code == "promo_already_used"
        assert redemptions_release(appointment=first) == 1
        assert PromoCode.objects.get().redeemed_count == 0
        promo_redeem(
            appointment=second,
            code="ONCE",
            price_amount=4500,
            account=client,
            client_key=key,
            now=NOW,
        )
        assert PromoCode.objects.get().redeemed_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_clients_never_overspend_the_total_limit(salon):
    limit = 5
    promo = code(
        salon, code="LAST5", max_redemptions=limit, valid_until=datetime(2031, 1, 1, tzinfo=UTC)
    )
    clients = [UserFactory() for _ in range(RACERS)]
    visits = [
        visit(salon, c, hour=9 + i // 2, master=(salon.lea, salon.marc)[i % 2], completed=False)
        if i < 16
        else None
        for i, c in enumerate(clients)
    ]
    # More racers than the salon has slots: the rest reuse a visit of their own.
    visits = [v or visits[i % 16] for i, v in enumerate(visits)]

    def attempt(i):
        with scopes_disabled(), transaction.atomic():
            return promo_redeem(
                appointment=visits[i],
                code="LAST5",
                price_amount=4500,
                account=clients[i],
                client_key=f"user:{clients[i].pk}#{i}",
                now=NOW,
            )

    try:
        results = race(RACERS, attempt)
        wins = [r for r in results if isinstance(r, Redemption)]
        refused = [r for r in results if isinstance(r, ValidationFailed)]
        unexpected = [r for r in results if not isinstance(r, Redemption | ValidationFailed)]
        assert not unexpected, unexpected
        assert len(wins) <= limit and len(wins) + len(refused) == RACERS
        with scopes_disabled():
            promo.refresh_from_db()
            assert (
                promo.redeemed_count
                == Redemption.objects.filter(promo=promo, is_active=True).count()
                == len(wins)
            )
            assert promo.redeemed_count == limit
    finally:
        load_into(Category)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_client_racing_itself_uses_a_code_once(salon):
    code(salon, code="ONLY1")
    client = UserFactory()
    visits = [visit(salon, client, hour=9 + i, completed=False) for i in range(8)]

    def attempt(i):
        with scopes_disabled(), transaction.atomic():
            return promo_redeem(
                appointment=visits[i],
                code="ONLY1",
                price_amount=4500,
                account=client,
                client_key=client_key_for(account=client),
                now=NOW,
            )

    try:
        results = race(len(visits), attempt)
        assert sum(isinstance(r, Redemption) for r in results) == 1, results
        assert all(
            isinstance(r, Redemption)
            or (isinstance(r, ValidationFailed) and r.code == "promo_already_used")
            for r in results
        ), results
        with scopes_disabled():
            assert PromoCode.objects.get().redeemed_count == 1
    finally:
        load_into(Category)
