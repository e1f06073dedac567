"""Schemathesis reads the OpenAPI document and sends what it describes (and what it does not)
to every operation, in-process: no server error ever, every answer looks the way the document
says it does (status, content type, body), what the document allows is accepted and what it
does not is refused."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
    NegativeDataRejectionConfig,
    PositiveDataAcceptanceConfig,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import API_PREFIX, app

schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)
# Writes need If-Match with the ETag last read; a made-up one is stale (412), as it should be.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "412"]
)
schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
    expected_statuses=[*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "412"]
)
# Rules the schema does not (yet) express, so schema-valid input may rightly be refused with
# 400: an ambition's vaststelling date belongs to status vastgesteld only (two fields); a
# scenario's cut has at most two decimals (no `multipleOf`, which floats cannot hold exactly).
NOT_IN_THE_SCHEMA = {("PUT", "/cycli/{cyclusId}/ambitie"), ("POST", "/scenarios")}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_documented(case, client):
    """A beheerder's API token, on the test's own database transaction."""
    checks = CHECKS
    if (case.method, case.path) in NOT_IN_THE_SCHEMA:
        checks = [c for c in CHECKS if c is not positive_data_acceptance]
    case.call_and_validate(
        headers={"Authorization": client.headers["Authorization"]}, checks=checks
    )
