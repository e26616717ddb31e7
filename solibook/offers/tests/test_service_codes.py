"""A promo code tied to one service: it discounts that service's part of the
visit only, a visit without the service is refused with nothing spent, and a
salon can only tie its codes to its own services."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.core.errors import ValidationFailed
from solibook.offers.models import PromoCode, Redemption
from solibook.offers.services import (
    promo_code_create,
    promo_codes_issue,
    promo_quote,
    promo_redeem,
    service_prices_of,
)
from solibook.reviews.tests.helpers import visit
from solibook.testing.factories import BusinessFactory, UserFactory, make_service, member
from solibook.testing.salon import NOW


def colour_code(salon, **fields):
    with scopes_disabled():
        return promo_code_create(
            business=salon.business,
            code="COLOUR20",
            discount_percent=20,
            service_id=salon.colour.pk,
            **fields,
        )


@pytest.mark.django_db
def test_the_discount_applies_to_the_tied_service_only(salon):
    colour_code(salon)
    prices = {salon.cut.pk: 4500, salon.colour.pk: 8000}
    quote = promo_quote(
        business_id=salon.business.pk,
        code="colour20",
        price_amount=12500,
        currency="EUR",
        service_prices=prices,
        now=NOW,
    )
    assert quote.discount_amount == 1600  # 20 % of the colour's 80.00, not of 125.00
    # Never more than what is left of the visit after other discounts.
    capped = promo_quote(
        business_id=salon.business.pk,
        code="COLOUR20",
        price_amount=1000,
        currency="EUR",
        service_prices=prices,
        now=NOW,
    )
    assert capped.discount_amount == 200


@pytest.mark.django_db
def test_a_visit_without_the_service_is_refused_and_nothing_is_spent(salon):
    colour_code(salon)
    client = UserFactory()
    cut_only = visit(salon, client, hour=9, completed=False)
    with scopes_disabled():
        assert service_prices_of(cut_only) == {salon.cut.pk: 4500}
        with pytest.raises(ValidationFailed) as error:
            promo_redeem(appointment=cut_only, code="COLOUR20", price_amount=4500, now=NOW)
        assert error.value.code == "promo_other_service"
        assert "Colour" in error.value.message
        assert PromoCode.objects.get().redeemed_count == 0
        assert not Redemption.objects.exists()
        # Without prices per service (an old caller), a tied code discounts nothing: refused.
        with pytest.raises(ValidationFailed):
            promo_quote(
                business_id=salon.business.pk,
                code="COLOUR20",
                price_amount=4500,
                currency="EUR",
                now=NOW,
            )
    colour = visit(salon, client, hour=12, service=salon.colour, completed=False)
    with scopes_disabled():
        redemption = promo_redeem(
            appointment=colour, code="COLOUR20", price_amount=8000, account=client, now=NOW
        )
        assert redemption.discount_amount == 1600
        assert PromoCode.objects.get().redeemed_count == 1


@pytest.mark.django_db
def test_a_code_cannot_be_tied_to_another_salons_service(salon):
    other = BusinessFactory()
    with scopes_disabled():
        foreign = make_service(other, name="Theirs")
        with pytest.raises(ValidationFailed) as error:
            promo_code_create(
                business=salon.business,
                code="THEIRS",
                discount_percent=10,
                service_id=foreign.pk,
            )
        assert "service_id" in error.value.fields
        with pytest.raises(ValidationFailed):
            promo_codes_issue(
                business=salon.business,
                count=3,
                prefix="x",
                issued_by="campaign:1",
                discount_percent=10,
                service_id=foreign.pk,
            )
        assert not PromoCode.objects.filter(business=salon.business).exists()
        issued = promo_codes_issue(
            business=salon.business,
            count=3,
            prefix="colour",
            issued_by="campaign:1",
            discount_percent=10,
            service_id=salon.colour.pk,
        )
        assert {p.service_id for p in issued} == {salon.colour.pk}


@pytest.mark.django_db
def test_the_api_and_the_page_tie_a_code_to_a_service(api_client, client, salon):
    owner = member(salon.business, Role.OWNER)
    api_client.force_authenticate(owner)
    url = f"/api/v1/businesses/{salon.business.pk}/promo-codes/"
    foreign = make_service(BusinessFactory(), name="Theirs")
    refused = api_client.post(
        url, {"code": "x-colour", "discount_percent": 10, "service_id": foreign.pk}, format="json"
    )
    assert refused.status_code == 400 and "service_id" in refused.json()["error"]["fields"]
    made = api_client.post(
        url,
        {"code": "api-colour", "discount_percent": 10, "service_id": salon.colour.pk},
        format="json",
    )
    assert made.status_code == 201 and made.json()["service_id"] == salon.colour.pk

    client.force_login(owner)
    page = f"/en/office/{salon.business.slug}/offers/"
    answer = client.post(
        page,
        {
            "form": "promo",
            "code": "PAGE-COLOUR",
            "discount_percent": 25,
            "service": salon.colour.pk,
            "once_per_client": "on",
        },
    )
    assert answer.status_code == 302
    listed = client.get(page).content.decode()
    assert "PAGE-COLOUR" in listed and "on Colour only" in listed
    with scopes_disabled():
        assert PromoCode.objects.get(code="PAGE-COLOUR").service_id == salon.colour.pk
