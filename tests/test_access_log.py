"""Nothing secret reaches a log: paths with a secret are redacted, and a failed statement
leaves out its parameters. A real server's whole log is checked in tests/test_logs.py."""

import re

import pytest
from sqlalchemy import exc, text

from app import access_log
from app.main import app


@pytest.mark.parametrize(
    ("asked", "logged"),
    [
        ("/wachtwoord-instellen/abc_DEF-123", "/wachtwoord-instellen/{token}"),
        ("/uitnodiging/abc/aannemen", "/uitnodiging/{token}/aannemen"),
        ("/partnerlink/abc/metingen/7", "/partnerlink/{token}/metingen/7"),
        ("/gepubliceerd/abc/pdf", "/gepubliceerd/{token}/pdf"),
        ("/doe-mee/HK7P3MXR4Q/ronde", "/doe-mee/{code}/ronde"),
        ("/doe-mee", "/doe-mee"),
        ("//PartnerLink/abc", "//PartnerLink/{token}"),
        ("/partnerlink%2Fabc", "/partnerlink/{token}"),
        ("/partnerlink%252Fabc", "/partnerlink/{token}"),
        ("/inloggen?volgende=%2Fuitnodiging%2Fabc%2Faannemen", "/inloggen?…"),
        ("/cycli/3/stappen/2", "/cycli/3/stappen/2"),
        ("/a%0Ab", "/a%0Ab"),
    ],
)
def test_secret_segments_and_queries_are_left_out(asked, logged):
    assert access_log.redact(asked) == logged


def test_every_route_with_a_secret_in_its_path_is_redacted():
    paths = [
        route.path
        for included in app.routes
        for route in getattr(getattr(included, "original_router", None), "routes", [included])
    ]
    secret = [p for p in paths if re.search(r"{(token|code)\b", p)]
    assert len(secret) >= 10, secret
    for path in secret:
        filled = re.sub(r"{[^}]*}", "7", re.sub(r"{(token|code)\b[^}]*}", "GEHEIM42", path))
        assert "GEHEIM42" not in access_log.redact(filled), path


def test_a_failed_statement_logs_no_parameters(engine):
    with engine.connect() as connection, pytest.raises(exc.DBAPIError) as failed:
        connection.execute(
            text("SELECT no_such_column FROM live_session WHERE join_code = :c"),
            {"c": "HK7P3MXR4Q"},
        )
    assert "HK7P3MXR4Q" not in str(failed.value)
