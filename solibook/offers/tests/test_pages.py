import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.offers.models import OffPeakRule, PromoCode
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_office_offers_page_creates_rules_and_codes(client, salon):
    client.force_login(member(salon.business, Role.OWNER))
    url = reverse("offers:office", args=[salon.business.slug])
    assert client.get(url).status_code == 200
    created = client.post(
        url,
        {
            "form": "offpeak",
            "weekdays": ["0", "2"],
            "start": "14:00",
            "end": "16:00",
            "discount_percent": "20",
        },
    )
    assert created.status_code == 302
    bad = client.post(
        url,
        {
            "form": "offpeak",
            "weekdays": ["0"],
            "start": "16:00",
            "end": "14:00",
            "discount_percent": "20",
        },
    )
    assert bad.status_code == 400
    assert (
        client.post(
            url,
            {"form": "promo", "code": "summer", "discount_amount": "5.50", "once_per_client": "on"},
        ).status_code
        == 302
    )
    assert (
        client.post(url, {"form": "promo", "code": "cents", "discount_amount": "5.555"}).status_code
        == 400
    )
    with scopes_disabled():
        assert OffPeakRule.objects.get().weekdays == [0, 2]
        assert PromoCode.objects.get().discount_amount == 550
    page = client.get(url).content.decode()
    assert "SUMMER" in page and "Monday, Wednesday" in page
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    assert client.get(url).status_code == 403
