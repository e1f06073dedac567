"""Schemathesis reads the OpenAPI document and sends what it describes (and what it does not)
to every operation, in-process: no server error ever, and every answer looks the way the
document says it does (status, content type, body)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import app

schema = schemathesis.openapi.from_asgi("/api/v2/openapi.json", app)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(client) -> str:
    """A beheerder's API token, on the test's own database transaction."""
    return client.headers["Authorization"]


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_documented(case, token):
    case.call_and_validate(headers={"Authorization": token}, checks=CHECKS)
