"""The JSON API against the technical rules of the NL API Design Rules (Logius, core set), one
test per rule, as a Dutch public body checks a product it buys."""

import re
from pathlib import Path

import pytest

from app.api_names import ATTRIBUTES, CHOICES
from app.main import API_VERSION
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
CAMEL = re.compile(r"[a-z][a-zA-Z0-9]*")
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# RFC 9457 fixes these names; /core/error-handling asks for them as they are.
PROBLEM_SCHEMAS = {"Problem", "InvalidParam"}
# English words a path could slip back to; the API names its resources in Dutch.
ENGLISH_SEGMENTS = {
    word
    for name in ATTRIBUTES
    for word in name.split("_")
    if word not in {*ATTRIBUTES.values(), "partners", "scenarios"}
} | {
    "themes", "cycles", "steps", "ambition", "drafts", "rank", "evidence-level", "next-cycle",
    "organisation", "outcome", "choices", "adoption", "measurements", "terms", "reflections",
    "decisions", "links", "stories", "scenarios-outcome", "table-members", "monitoring-items",
}  # fmt: skip


@pytest.fixture(scope="module")
def document():
    from fastapi.testclient import TestClient

    from app.main import app

    with TestClient(app) as anonymous:
        return anonymous.get("/api/v2/openapi.json").json()


def _properties(document):
    for name, schema in document["components"]["schemas"].items():
        if name not in PROBLEM_SCHEMAS:
            for prop in schema.get("properties", {}):
                yield name, prop


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


class TestPublishOpenapi:
    """/core/publish-openapi, /core/semver, /core/uri-version"""

    def test_the_document_is_public_with_cors(self, anonymous):
        response = anonymous.get("/api/v2/openapi.json")
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.json()["openapi"].startswith("3.")

    def test_the_version_is_semantic_and_its_major_is_in_the_uri(self, document):
        version = document["info"]["version"]
        assert version == API_VERSION
        assert re.fullmatch(r"\d+\.\d+\.\d+", version)
        major = version.split(".")[0]
        assert all(path.startswith(f"/api/v{major}/") for path in document["paths"])


class TestVersionHeader:
    """/core/version-header: every API response names the full version."""

    def test_on_answers_good_and_bad(self, client, anonymous):
        for response in (
            client.get("/api/v2/themas"),
            client.get("/api/v2/themas/2147483647"),
            client.post("/api/v2/themas", json={}),
            anonymous.get("/api/v2/themas"),
        ):
            assert response.headers["api-version"] == API_VERSION, response.request.url


class TestNoTrailingSlash:
    """/core/no-trailing-slash"""

    def test_a_trailing_slash_is_not_found_not_redirected(self, client):
        response = client.get("/api/v2/themas/", follow_redirects=False)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

    def test_no_path_in_the_document_ends_in_a_slash(self, document):
        assert not [path for path in document["paths"] if path.endswith("/")]


class TestHttpMethods:
    """/core/http-methods: a method the resource does not support is 405 with Allow."""

    def test_unsupported_method(self, client):
        response = client.put("/api/v2/themas")
        assert response.status_code == 405
        assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


class TestErrorHandling:
    """/core/error-handling: problem details with the rejected fields."""

    def test_invalid_input_is_a_problem_with_dutch_field_names(self, client):
        response = client.post("/api/v2/themas", json={"naam": ""})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 422 and problem["instance"] == "/api/v2/themas"
        assert problem["invalidParams"] == [
            {"name": "naam", "code": "string_too_short", "reason": "Vul dit veld in."}
        ]


class TestInterfaceLanguage:
    """/core/interface-language: resources, attributes, parameters and choices in Dutch."""

    def test_path_segments_are_dutch_and_kebab_case(self, document):
        for path in document["paths"]:
            for segment in path.removeprefix("/api/v2/").split("/"):
                if segment.startswith("{"):
                    continue
                assert KEBAB.fullmatch(segment), path
                assert segment not in ENGLISH_SEGMENTS, path

    def test_path_parameters_are_dutch(self, document):
        dutch_names = set(ATTRIBUTES.values())
        for path in document["paths"]:
            for parameter in re.findall(r"{([^}]+)}", path):
                assert parameter in dutch_names and CAMEL.fullmatch(parameter), path

    def test_every_attribute_is_a_dutch_name_from_the_glossary(self, document):
        dutch_names = set(ATTRIBUTES.values())
        english_only = set(ATTRIBUTES) - dutch_names
        for schema, prop in _properties(document):
            assert prop in dutch_names, (schema, prop)
            assert prop not in english_only, (schema, prop)
            assert CAMEL.fullmatch(prop), (schema, prop)

    def test_choices_are_given_by_their_dutch_codes(self, document):
        codes = {code for values in CHOICES.values() for code in values.values()}
        for values in _enums(document["components"]["schemas"]):
            assert set(values) <= codes, values

    def test_the_glossary_gives_each_english_name_its_own_dutch_name(self):
        synonyms = {"soort": {"kind", "type"}}  # two words for the same idea, never together
        by_dutch: dict[str, set[str]] = {}
        for english, dutch_name in ATTRIBUTES.items():
            by_dutch.setdefault(dutch_name, set()).add(english)
        shared = {name: names for name, names in by_dutch.items() if len(names) > 1}
        assert shared == synonyms

    def test_english_attribute_names_are_refused_by_name(self, client):
        response = client.post("/api/v2/themas", json={"name": "Vitaal"})
        assert response.status_code == 422
        assert [p["name"] for p in response.json()["invalidParams"]] == ["naam"]

    def test_records_are_read_and_written_in_dutch(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        created = client.post(
            f"/api/v2/cycli/{cycle.id}/resultaten",
            json={"tekst": "Minder eenzaamheid", "soortResultaat": "proces", "doelgroep": "75+"},
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["cyclusId"] == cycle.id and body["prioriteit"] == 1
        assert body["soortResultaat"] == "proces" and body["doelgroep"] == "75+"
        english = client.post(
            f"/api/v2/cycli/{cycle.id}/resultaten",
            json={"tekst": "Meer meedoen", "soortResultaat": "process"},
        )
        assert english.status_code == 422
        assert english.json()["invalidParams"][0]["name"] == "soortResultaat"


class TestDocLanguage:
    """/core/doc-language: the document describes every operation in Dutch."""

    def test_every_operation_has_a_dutch_summary(self, document):
        english_verbs = {"List", "Create", "Read", "Update", "Delete", "Set", "Move", "Adopt"}
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                summary = operation.get("summary", "")
                assert summary, (method, path)
                assert summary.split()[0] not in english_verbs, (method, path, summary)
                assert operation["tags"] and all(KEBAB.fullmatch(t) for t in operation["tags"])


class TestChangelog:
    """/core/changelog"""

    def test_the_changelog_describes_the_current_version(self):
        changelog = (ROOT / "docs" / "api-changelog.md").read_text()
        assert f"## {API_VERSION} " in changelog
