"""Every per-business settings row is created with the business, so reads are plain gets."""

import pytest
from django_scopes import scopes_disabled

from solibook.catalog import selectors as catalog_selectors
from solibook.catalog import services as catalog_services
from solibook.catalog.models import Branding
from solibook.core.tenancy import business_scope
from solibook.finance.models import FinanceSettings
from solibook.finance.services.common import finance_settings
from solibook.loyalty import selectors as loyalty_selectors
from solibook.loyalty.models import Programme
from solibook.notifications.models import SalonNotificationSettings
from solibook.notifications.selectors import current_settings
from solibook.referrals import services as referrals_services
from solibook.referrals.models import ReferralProgramme
from solibook.testing.factories import BusinessFactory, UserFactory

ROWS = (Branding, FinanceSettings, Programme, ReferralProgramme, SalonNotificationSettings)


def _rows(business) -> dict[str, int]:
    with scopes_disabled():
        return {m.__name__: m.objects.filter(business=business).count() for m in ROWS}


@pytest.mark.django_db
def test_business_create_creates_every_settings_row_and_each_read_finds_it(
    django_assert_num_queries,
):
    business = catalog_services.business_create(
        owner=UserFactory(), name="Rows", currency="EUR", country="FR"
    )
    assert _rows(business) == {m.__name__: 1 for m in ROWS}
    with business_scope(business):
        # Reads only: none of them creates a row any more.
        with django_assert_num_queries(1):
            finance_settings(business)
        with django_assert_num_queries(1):
            loyalty_selectors.programme_for(business=business)
        with django_assert_num_queries(1):
            referrals_services.programme_for(business=business)
        with django_assert_num_queries(1):
            current_settings(business)
        assert catalog_selectors.brand_colour(business).startswith("#")


@pytest.mark.django_db
def test_settings_rows_creation_is_idempotent_and_the_factory_makes_them():
    business = BusinessFactory()
    assert _rows(business) == {m.__name__: 1 for m in ROWS}
    catalog_services.business_settings_create(business=business)
    assert _rows(business) == {m.__name__: 1 for m in ROWS}
