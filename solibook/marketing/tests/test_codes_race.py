"""A recipient's own code spent twice at once (two visits, two connections, on
PostgreSQL): one spend wins, the other is refused, the code counts one use."""

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from solibook.core.tenancy import business_scope
from solibook.offers.models import PromoCode, Redemption
from solibook.offers.services import promo_codes_issue, promo_redeem
from solibook.testing.booking import book
from solibook.testing.races import outcome, race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_a_single_use_code_spent_twice_at_once_is_spent_once(salon):
    with business_scope(salon.business):
        (code,) = promo_codes_issue(
            business=salon.business,
            count=1,
            prefix="Spring",
            issued_by="campaign:1",
            discount_percent=20,
        )
    first = book(salon, hour=10, client_name="Ada", client_phone="+33612340001")
    second = book(salon, hour=14, client_name="Bea", client_phone="+33612340002")
    visits = [first, second]

    def spend(i):
        with scopes_disabled(), transaction.atomic():
            return promo_redeem(
                appointment=visits[i],
                code=code.code.lower(),  # as a client types it
                price_amount=4500,
                client_key=f"phone:+3361234000{i + 1}",
            ).discount_amount

    results = sorted(map(str, (outcome(r) for r in race(2, spend))))
    assert results == ["900", "promo_used_up"]
    with scopes_disabled():
        assert PromoCode.objects.get(pk=code.pk).redeemed_count == 1
        assert Redemption.objects.filter(promo=code).count() == 1


@pytest.mark.django_db
def test_issued_codes_are_unique_and_off_the_salons_list(salon, owner_api):
    with business_scope(salon.business):
        codes = promo_codes_issue(
            business=salon.business,
            count=300,
            prefix="winter sale!",
            issued_by="campaign:2",
            discount_percent=10,
        )
    assert len({c.code for c in codes}) == 300
    assert all(c.code.startswith("WINTERSALE-") and len(c.code) == 17 for c in codes)
    answer = owner_api.get(f"/api/v1/businesses/{salon.business.pk}/promo-codes/")
    assert answer.status_code == 200
    assert not [row for row in answer.json() if row["code"].startswith("WINTERSALE-")]
