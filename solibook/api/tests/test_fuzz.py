"""The API against its own OpenAPI schema, in-process: every operation gets
generated input (valid and invalid); none may answer with a server error or
a response that breaks the schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error, response_schema_conformance

from solibook.accounts.roles import Role
from solibook.testing.factories import member

# The schema view needs no database: it is loaded once, at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: a request must not close the test's
    connection (and with it the transaction holding the test data)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(salon) -> str:
    return str(RefreshToken.for_user(member(salon.business, Role.OWNER)).access_token)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_fails_or_breaks_its_schema(case, owner_token, salon, keep_test_connection):
    # Point ids at the salon's real objects half the time, so the fuzz gets
    # past 404s into the services.
    for name in ("business_id", "location_id", "service_id", "master_id"):
        if (
            case.path_parameters
            and name in case.path_parameters
            and hash(str(case.path_parameters)) % 2
        ):
            case.path_parameters[name] = {
                "business_id": salon.business.pk,
                "location_id": salon.location.pk,
                "service_id": salon.cut.pk,
                "master_id": salon.lea.pk,
            }[name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {owner_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
