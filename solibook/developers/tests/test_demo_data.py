"""The demo's key works as docs/developers.md says, and its webhook has a log."""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.demo.developers import DEMO_API_KEY, SALON, seed_developers
from solibook.developers.models import WebhookDelivery
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_the_demo_key_reads_the_catalogue_and_not_clients(salon):
    owner = member(salon.business)
    seed_developers(
        {SALON: SimpleNamespace(business=salon.business)},
        owners={SALON: owner},
        now=timezone.now(),
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {DEMO_API_KEY}")
    base = f"/api/v1/businesses/{salon.business.pk}"
    assert api.get(f"{base}/services/").status_code == 200
    assert api.get(f"{base}/appointments/").status_code == 200
    assert api.get(f"{base}/clients/").status_code == 403
    with scopes_disabled():
        assert WebhookDelivery.objects.filter(business=salon.business).count() == 2
