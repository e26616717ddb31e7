"""An unpaid invoice past the delay turns the back office read-only for API clients
too: a JWT client of the salon reads, its writes get a translated 403 `read_only` in
the API's error format and change nothing, and clients still book through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.accounts.jwt import token_for
from solibook.billing import selectors, services
from solibook.booking.models import Appointment
from solibook.catalog.models import Location
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def overdue(business):
    long_ago = timezone.now() - timedelta(days=selectors.read_only_after_days() + 30)
    services.charge_record(
        business=business,
        kind="sms",
        amount=900,
        currency=business.currency,
        description="SMS",
        source="sms:old-api",
        now=long_ago,
    )
    return services.invoice_issue(business=business, now=long_ago)


def bearer(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, otp_verified=True).access_token}")
    return api


def test_a_jwt_client_of_a_read_only_salon_reads_but_its_writes_are_refused(salon):
    invoice = overdue(salon.business)
    api = bearer(member(salon.business))
    url = f"/api/v1/businesses/{salon.business.pk}/locations/{salon.location.pk}/"
    assert api.get(url).status_code == 200
    refused = api.patch(url, {"name": "Renamed"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "read_only" and invoice.number in error["message"]
    assert "lecture seule" in error["message"]  # in the client's language
    with scopes_disabled():
        assert Location.objects.get(pk=salon.location.pk).name != "Renamed"
    # billing stays open: the invoice can still be paid
    paying = api.post(
        f"/api/v1/businesses/{salon.business.pk}/billing/invoices/{invoice.pk}/pay/",
        {"success_url": "https://example.test/ok", "cancel_url": "https://example.test/no"},
        format="json",
    )
    assert paying.json().get("error", {}).get("code") != "read_only"
    # once paid, writes work again
    services.invoice_mark_paid(invoice_id=invoice.pk, reference="VIR")
    assert api.patch(url, {"name": "Renamed"}, format="json").status_code == 200


def test_a_stranger_with_a_token_gets_the_usual_not_found(salon):
    overdue(salon.business)
    answer = bearer(UserFactory()).patch(
        f"/api/v1/businesses/{salon.business.pk}/locations/{salon.location.pk}/",
        {"name": "x"},
        format="json",
    )
    assert answer.status_code == 404


def test_clients_still_book_a_read_only_salon_through_the_api(salon):
    overdue(salon.business)
    client = bearer(UserFactory())
    answer = client.post(
        "/api/v1/appointments/",
        {
            "location_id": salon.location.pk,
            "items": [{"service_id": salon.cut.pk, "master_id": salon.lea.pk}],
            "start": paris(11).isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    with scopes_disabled():
        assert Appointment.objects.filter(business=salon.business).count() == 1
