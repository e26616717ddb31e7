"""A booking's `source` is decided by the route it came through, never by the
body (issue #14, point 5): `source: api` skipped the salon's horizon and
deposit rules, and `source: referral` was taken without any code."""

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Source, Status
from solibook.catalog.models import DepositRule
from solibook.catalog.versioning import catalog_changed
from solibook.testing.factories import UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def body(salon, **extra) -> dict:
    return {
        "location_id": salon.location.pk,
        "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
        "start": paris(10).isoformat(),
        **extra,
    }


def set_rules(salon, **fields) -> None:
    with scopes_disabled():
        type(salon.business).objects.filter(pk=salon.business.pk).update(**fields)
    catalog_changed(salon.business.pk)


@pytest.mark.parametrize("claimed", ["api", "back_office", "marketplace", None])
def test_the_deposit_rule_applies_whatever_source_the_body_claims(api_client, salon, claimed):
    set_rules(salon, deposit_rule=DepositRule.PERCENT, deposit_value=20)
    api_client.force_authenticate(UserFactory())
    extra = {} if claimed is None else {"source": claimed}
    response = api_client.post("/api/v1/appointments/", body(salon, **extra), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == Status.AWAITING_DEPOSIT
    assert response.json()["deposit_amount"] == 900  # 20 % of 4 500
    assert response.json()["source"] == Source.API


@pytest.mark.parametrize("claimed", ["api", "back_office"])
def test_the_booking_horizon_applies_whatever_source_the_body_claims(api_client, salon, claimed):
    set_rules(salon, horizon_days=7)  # the visit is years ahead
    api_client.force_authenticate(UserFactory())
    response = api_client.post("/api/v1/appointments/", body(salon, source=claimed), format="json")
    assert response.status_code == 400, response.json()
    with scopes_disabled():
        assert not Appointment.objects.exists()


def test_a_referral_cannot_be_claimed_without_a_code(api_client, salon):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(
        "/api/v1/appointments/", body(salon, source="referral"), format="json"
    )
    assert response.status_code == 201
    with scopes_disabled():
        appointment = Appointment.objects.get()
    assert appointment.source == Source.API and appointment.attribution == ""


def test_the_wizards_api_and_page_set_their_own_source(api_client, client, salon):
    api_client.force_authenticate(UserFactory())
    drafted = api_client.post(
        "/api/v1/booking-drafts/", body(salon, source="referral"), format="json"
    )
    assert drafted.status_code == 201
    with scopes_disabled():
        assert Appointment.objects.get().source == Source.API
