"""Phones for the participant pages: clients without an account that join by code."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.db import get_session
from app.main import app


@pytest.fixture
def phones(session) -> Iterator:
    """`phones(code, perspective)`: a new phone that has joined the session."""

    def test_session():
        session.expunge_all()
        yield session

    app.dependency_overrides[get_session] = test_session
    made: list[TestClient] = []

    def join(code: str, perspective: str = "resident", name: str = "") -> TestClient:
        phone = TestClient(app, raise_server_exceptions=False)
        phone.__enter__()
        made.append(phone)
        page = phone.get(f"/doe-mee/{code}")
        assert page.status_code == 200, page.text
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)[1]
        joined = phone.post(
            f"/doe-mee/{code}",
            data={"_csrf": csrf, "perspectief": perspective, "naam": name},
            follow_redirects=False,
        )
        assert joined.status_code == 303, joined.text
        phone.code = code  # type: ignore[attr-defined]
        phone.csrf = csrf_of(phone.get(f"/doe-mee/{code}/ronde").text)  # type: ignore[attr-defined]
        return phone

    yield join
    for phone in made:
        phone.__exit__(None, None, None)
    app.dependency_overrides.clear()


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="kompas-csrf" content="([^"]+)"', html)[1]
