"""Schemathesis reads the OpenAPI document and sends what it describes (and what it does not)
to every operation, in-process: no server error ever, every answer looks the way the document
says it does (status, content type, body), what the document allows is accepted and what it
does not is refused."""

from datetime import date

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
    NegativeDataRejectionConfig,
    PositiveDataAcceptanceConfig,
)
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import API_PREFIX, app
from tests import factories

# What happened (a meting, a vaststelling) is dated from 1900 to five years after today: a
# bound that moves with the day, which no JSON Schema keyword holds, so the document says only
# `format: date`. Dates are drawn where every date field of the API takes them (a fixed range:
# no test depends on today).
schemathesis.openapi.format(
    "date", st.dates(date(1900, 1, 1), date(2030, 12, 31)).map(date.isoformat)
)
schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)
# Writes need If-Match with the ETag last read; a made-up one is stale (412), as it should be.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "412"]
)
schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
    expected_statuses=[*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "412"]
)
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
def test_every_operation_answers_as_documented(case, client, session, organisation):
    """A beheerder's API token, on the test's own database transaction."""
    if (case.method, case.path) == ("POST", "/scenarios") and _valid_body(case):
        _refer_to_records(case.body, session, organisation)
    case.call_and_validate(
        headers={"Authorization": client.headers["Authorization"]}, checks=CHECKS
    )


def _valid_body(case: schemathesis.Case) -> bool:
    body = case.meta.components.get(ParameterLocation.BODY) if case.meta else None
    return isinstance(case.body, dict) and body is not None and body.mode is GenerationMode.POSITIVE


def _refer_to_records(body: dict, session, organisation) -> None:
    """What no schema can say: a new scenario's `cyclusId` names a running cycle of the
    organisation, its `wegingRondeId` an adopted round of one. A generated number becomes such
    a record, in a body made to be valid (an invalid one must stay invalid); weighing by a
    round has tests of its own (tests/scenarios)."""
    if body.get("cyclusId") is not None:  # 7 or 7.0: both are JSON integers
        body["cyclusId"] = factories.make_cycle(session, organisation).id
    if body.get("wegingRondeId") is not None:
        body["wegingRondeId"] = None
