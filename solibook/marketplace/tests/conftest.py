import pytest
from django_scopes import scopes_disabled

from solibook.marketplace.index import business_refresh
from solibook.testing.salon import MONDAY, NOW


def refresh(business, days: int = 3) -> int:
    """Build the listing and the free-time summary the way the task does."""
    with scopes_disabled():
        return business_refresh(business.pk, start=MONDAY, days=days, now=NOW)


@pytest.fixture
def listed_salon(salon):
    refresh(salon.business)
    return salon
