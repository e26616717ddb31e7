import pytest
from django_scopes import scopes_disabled

from solibook.core.tenancy import business_scope
from solibook.finance.models import Product
from solibook.testing.salon import salon  # noqa: F401 - fixture


@pytest.fixture
def dye(salon):  # noqa: F811
    with scopes_disabled():
        return Product.objects.create(
            business=salon.business,
            name="Dye 6.0",
            kind=Product.Kind.PROFESSIONAL,
            stock_unit=Product.Unit.ML,
            price_amount=0,
            currency=salon.business.currency,
        )


@pytest.fixture
def shampoo(salon):  # noqa: F811
    with scopes_disabled():
        return Product.objects.create(
            business=salon.business,
            name="Shampoo",
            barcode="4006381333931",
            price_amount=1800,
            currency=salon.business.currency,
        )


@pytest.fixture
def scoped(salon):  # noqa: F811
    with business_scope(salon.business):
        yield salon
