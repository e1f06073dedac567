"""The JSON API against the technical rules of the NL API Design Rules 2.2 (Logius, core set):
Logius' own linter (Spectral with the standard's ruleset) on the document, and one test per
rule for what the document alone cannot show, as a Dutch public body checks a product it buys."""

import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from app.api_names import ATTRIBUTES, CHOICES
from app.main import API_PREFIX, API_VERSION
from app.tables import utc_now
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "tests" / "api_design_rules" / "adr-2.2.spectral.yaml"
CAMEL = re.compile(r"[a-z][a-zA-Z0-9]*")
ANY = {"If-Match": "*"}
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


def test_logius_linter_finds_nothing(document, tmp_path):
    """Every rule of the ruleset: 0 errors and 0 warnings (the 1.1.0 document had 162 errors)."""
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document))
    run = subprocess.run(
        [SPECTRAL, "lint", "--ruleset", RULESET, path, "--format", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    findings = json.loads(run.stdout or "[]")
    assert findings == [], [(f["code"], ".".join(map(str, f["path"]))) for f in findings[:20]]
    assert run.returncode == 0, run.stderr


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
        assert [server["url"] for server in document["servers"]] == [f"/api/v{major}"]
        assert f"/api/v{major}" == API_PREFIX


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
        allowed = set(response.headers["allow"].replace(" ", "").split(","))
        assert allowed == {"GET", "HEAD", "OPTIONS", "POST"}


class TestErrorHandling:
    """/core/error-handling, /core/error-handling/invalid-input: problem details with the
    rejected fields, 400 for input that is not right."""

    def test_invalid_input_is_a_problem_with_dutch_field_names(self, client):
        response = client.post("/api/v2/themas", json={"naam": ""})
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 400 and problem["instance"] == "/api/v2/themas"
        assert problem["invalidParams"] == [
            {"name": "naam", "code": "string_too_short", "reason": "Vul dit veld in."}
        ]

    def test_broken_json_is_a_400_in_dutch(self, client):
        for body in (b'{"naam": ', b'{"naam": "\xff"}', b"\xff\xfe", b'{"naam": NaN}'):
            response = client.post(
                "/api/v2/themas", content=body, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 400, body
            problem = response.json()
            assert problem["title"] == "Verzoek niet leesbaar"
            assert "JSON" in problem["detail"] or "UTF-8" in problem["detail"], problem

    def test_unknown_fields_are_refused_by_name(self, client, session, organisation):
        response = client.post("/api/v2/themas", json={"naam": "Vitaal", "kleur": "groen"})
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalidParams"]] == ["kleur"]
        theme = factories.make_theme(session, organisation)
        url = f"/api/v2/themas/{theme.id}"
        patch = client.patch(url, json={"omschrijving": "x", "naam ": "y"}, headers=ANY)
        assert patch.status_code == 400
        assert [p["name"] for p in patch.json()["invalidParams"]] == ["naam "]
        assert client.get(url).json()["omschrijving"] != "x"

    def test_a_patch_keeps_the_rules_of_its_fields(self, client, session, organisation):
        theme = factories.make_theme(session, organisation)
        url = f"/api/v2/themas/{theme.id}"
        for value in (None, "", "x" * 201):
            response = client.patch(url, json={"naam": value}, headers=ANY)
            assert response.status_code == 400, value
            assert response.json()["invalidParams"][0]["name"] == "naam"


class TestMediaTypes:
    """What HTTP says about media types and methods (RFC 9110): 406, 415, HEAD, OPTIONS."""

    def test_an_accept_the_api_cannot_answer_is_406(self, client):
        for accept in ("text/html", "application/xml", "application/json;q=0"):
            response = client.get("/api/v2/themas", headers={"Accept": accept})
            assert response.status_code == 406, accept
            assert response.headers["content-type"] == "application/problem+json"
        for accept in ("application/json", "application/*", "*/*", "text/html, */*;q=0.1"):
            assert client.get("/api/v2/themas", headers={"Accept": accept}).status_code == 200

    def test_a_body_that_is_not_json_is_415(self, client):
        response = client.post("/api/v2/themas", data={"naam": "Vitaal"})
        assert response.status_code == 415
        assert "application/json" in response.json()["detail"]
        text = client.post(
            "/api/v2/themas", content='{"naam": "Vitaal"}', headers={"Content-Type": "text/plain"}
        )
        assert text.status_code == 415

    def test_head_is_get_without_a_body(self, client):
        get = client.get("/api/v2/themas")
        head = client.head("/api/v2/themas")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["api-version"] == API_VERSION

    def test_options_names_the_methods(self, client, anonymous):
        response = client.options("/api/v2/themas")
        assert response.status_code == 204
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
        document = anonymous.options("/api/v2/openapi.json")
        assert document.status_code == 204
        assert set(document.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


class TestPreconditions:
    """Conditional requests (RFC 9110, 13; RFC 6585): no write without If-Match, no answer
    the client already has."""

    def test_every_write_requires_if_match(self, document):
        """Every change to a record that exists; making a new one overwrites nothing."""
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if method == "get" or operation["operationId"].endswith("Maken"):
                    continue
                if_match = [p for p in operation["parameters"] if p["name"] == "If-Match"]
                assert if_match and if_match[0]["required"], (method, path)
                assert {"412", "428"} <= set(operation["responses"]), (method, path)

    def test_if_none_match_gives_304(self, client, session, organisation):
        theme = factories.make_theme(session, organisation)
        url = f"/api/v2/themas/{theme.id}"
        tag = client.get(url).headers["ETag"]
        unchanged = client.get(url, headers={"If-None-Match": tag})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["ETag"] == tag
        client.patch(url, json={"omschrijving": "Nieuw"}, headers={"If-Match": tag})
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 200


class TestCollections:
    """Paging, filtering and sorting, as integrators with 1,000 results need."""

    def test_a_collection_pages_with_the_total_and_links(self, client, session, organisation):
        for n in range(25):
            factories.make_theme(session, organisation, name=f"Thema {n:02}")
        first = client.get("/api/v2/themas", params={"paginaGrootte": 10, "sorteer": "naam"})
        body = first.json()
        assert body["totaal"] == 25 and body["pagina"] == 1 and body["paginaGrootte"] == 10
        assert [t["naam"] for t in body["items"]] == [f"Thema {n:02}" for n in range(10)]
        assert body["links"]["vorige"] is None
        last = client.get(body["links"]["laatste"]).json()
        assert last["pagina"] == 3 and len(last["items"]) == 5 and last["links"]["volgende"] is None
        second = client.get(body["links"]["volgende"]).json()
        assert second["items"][0]["naam"] == "Thema 10"
        down = client.get("/api/v2/themas", params={"sorteer": "-naam"}).json()
        assert down["items"][0]["naam"] == "Thema 24"

    def test_nonsense_paging_is_a_400(self, client):
        for params in ({"pagina": 0}, {"paginaGrootte": 101}, {"sorteer": "kleur"}):
            assert client.get("/api/v2/themas", params=params).status_code == 400, params

    def test_an_unknown_query_parameter_is_a_400_naming_it(self, client):
        # a typo would otherwise give the first page as if it were the second
        response = client.get("/api/v2/themas", params={"pagna": 2, "paginaGrootte": 10})
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalidParams"]] == ["pagna"]
        assert "kent de API hier niet" in response.json()["invalidParams"][0]["reason"]
        assert client.get("/api/v2/organisatie", params={"": "null"}).status_code == 400

    def test_all_cycles_filtered_by_theme_and_status(self, client, session, organisation):
        a = factories.make_cycle(session, organisation)
        b = factories.make_cycle(session, organisation)
        factories.make_cycle(session, factories.make_organisation(session))  # not ours
        every = client.get("/api/v2/cycli").json()
        assert {c["id"] for c in every["items"]} == {a.id, b.id}
        only_a = client.get("/api/v2/cycli", params={"themaId": a.theme_id}).json()
        assert [c["id"] for c in only_a["items"]] == [a.id]
        closed = client.get("/api/v2/cycli", params={"status": "afgesloten"}).json()
        assert closed["totaal"] == 0

    def test_changed_since(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        old = client.post(f"/api/v2/cycli/{cycle.id}/resultaten", json={"tekst": "Oud"}).json()
        since = (utc_now() + timedelta(seconds=1)).isoformat()
        url = f"/api/v2/cycli/{cycle.id}/resultaten"
        assert client.get(url, params={"gewijzigdSinds": since}).json()["totaal"] == 0
        earlier = (utc_now() - timedelta(hours=1)).isoformat()
        found = client.get(url, params={"gewijzigdSinds": earlier}).json()
        assert [r["id"] for r in found["items"]] == [old["id"]]
        naive = client.get(url, params={"gewijzigdSinds": "2026-01-01T00:00:00"})
        assert naive.status_code == 400  # a moment needs its time zone

    def test_a_cycles_steps_are_a_page(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        url = f"/api/v2/cycli/{cycle.id}/stappen"
        body = client.get(url).json()
        assert body["totaal"] == 7 and body["pagina"] == 1 and body["paginaGrootte"] == 20
        assert [s["nummer"] for s in body["items"]] == list(range(7))
        links = body["links"]
        assert links["vorige"] is None and links["volgende"] is None
        assert client.get(links["laatste"]).json()["items"] == body["items"]
        third = client.get(url, params={"paginaGrootte": 3, "pagina": 3}).json()
        assert [s["nummer"] for s in third["items"]] == [6] and third["links"]["volgende"] is None
        assert client.get(third["links"]["vorige"]).json()["pagina"] == 2
        step = body["items"][2]
        client.patch(f"/api/v2/stappen/{step['id']}", json={"status": "afgerond"}, headers=ANY)
        done = client.get(url, params={"status": "afgerond"}).json()
        assert [s["id"] for s in done["items"]] == [step["id"]] and done["totaal"] == 1
        since = (utc_now() - timedelta(hours=1)).isoformat()
        changed = client.get(url, params={"gewijzigdSinds": since}).json()
        assert step["id"] in {s["id"] for s in changed["items"]}
        later = (utc_now() + timedelta(seconds=1)).isoformat()
        assert client.get(url, params={"gewijzigdSinds": later}).json()["totaal"] == 0
        # the cycle is in the path already: not a filter again
        assert client.get(url, params={"cyclusId": cycle.id}).status_code == 400

    def test_a_cycles_steps_sort(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        url = f"/api/v2/cycli/{cycle.id}/stappen"
        down = client.get(url, params={"sorteer": "-nummer", "paginaGrootte": 4}).json()
        assert [s["nummer"] for s in down["items"]] == [6, 5, 4, 3] and down["totaal"] == 7
        rest = client.get(down["links"]["volgende"]).json()
        assert [s["nummer"] for s in rest["items"]] == [2, 1, 0]

    def test_the_ambitions_earlier_wordings_are_a_page(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        url = f"/api/v2/cycli/{cycle.id}/ambitie"
        for text in ("Een.", "Twee.", "Drie."):
            assert client.put(url, json={"tekst": text}, headers=ANY).status_code == 200
        body = client.get(f"{url}/versies", params={"paginaGrootte": 1}).json()
        assert body["totaal"] == 2 and body["pagina"] == 1 and body["paginaGrootte"] == 1
        assert [d["tekst"] for d in body["items"]] == ["Twee."]  # newest first
        assert body["links"]["vorige"] is None
        older = client.get(body["links"]["volgende"]).json()
        assert [d["tekst"] for d in older["items"]] == ["Een."]
        assert older["pagina"] == 2 and older["links"]["volgende"] is None
        by_text = client.get(f"{url}/versies", params={"sorteer": "tekst"}).json()
        assert [d["tekst"] for d in by_text["items"]] == ["Een.", "Twee."]
        since = (utc_now() - timedelta(hours=1)).isoformat()
        kept = client.get(f"{url}/versies", params={"gewijzigdSinds": since}).json()
        assert kept["totaal"] == 2
        later = (utc_now() + timedelta(seconds=1)).isoformat()
        assert client.get(f"{url}/versies", params={"gewijzigdSinds": later}).json()["totaal"] == 0

    def test_a_rounds_choices_beyond_twenty_are_on_a_second_page(
        self, client, session, organisation
    ):
        cycle = factories.make_cycle(session, organisation)
        round_ = factories.make_round(session, factories.make_live_session(session, cycle))
        url = f"/api/v2/rondes/{round_.id}/keuzes"
        for n in range(25):
            added = client.post(url, json={"tekst": f"Voorstel {n:02}"}, headers=ANY)
            assert added.status_code == 201, added.text
        first = client.get(url).json()
        assert first["totaal"] == 25 and first["pagina"] == 1 and first["paginaGrootte"] == 20
        assert len(first["items"]) == 20 and first["links"]["vorige"] is None
        assert first["links"]["laatste"] == first["links"]["volgende"]
        second = client.get(first["links"]["volgende"]).json()
        assert second["pagina"] == 2 and len(second["items"]) == 5
        assert second["links"]["volgende"] is None
        texts = [c["tekst"] for c in first["items"] + second["items"]]
        assert texts == [f"Voorstel {n:02}" for n in range(25)]  # the round's own order
        down = client.get(url, params={"sorteer": "-tekst", "paginaGrootte": 2}).json()
        assert [c["tekst"] for c in down["items"]] == ["Voorstel 24", "Voorstel 23"]
        since = (utc_now() - timedelta(hours=1)).isoformat()
        assert client.get(url, params={"gewijzigdSinds": since}).json()["totaal"] == 25


class TestInterfaceLanguage:
    """/core/interface-language: resources, attributes, parameters and choices in Dutch."""

    def test_path_segments_are_dutch_and_kebab_case(self, document):
        for path in document["paths"]:
            for segment in path.removeprefix("/").split("/"):
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
            assert set(values) - {None} <= codes, values  # None: may be empty

    def test_the_glossary_gives_each_english_name_its_own_dutch_name(self):
        synonyms = {"soort": {"kind", "type"}}  # two words for the same idea, never together
        by_dutch: dict[str, set[str]] = {}
        for english, dutch_name in ATTRIBUTES.items():
            by_dutch.setdefault(dutch_name, set()).add(english)
        shared = {name: names for name, names in by_dutch.items() if len(names) > 1}
        assert shared == synonyms

    def test_english_attribute_names_are_refused_by_name(self, client):
        response = client.post("/api/v2/themas", json={"name": "Vitaal"})
        assert response.status_code == 400
        assert {p["name"] for p in response.json()["invalidParams"]} == {"name", "naam"}

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
        assert english.status_code == 400
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

    def test_the_changelog_names_every_resource(self, document):
        """Its table of resources names each path of the document: the whole path, or its
        last segment in a list of the parent's children (`werkzame-elementen`)."""
        changelog = (ROOT / "docs" / "api-changelog.md").read_text()
        table = changelog.split("\n## ")[1]
        assert table.startswith("Resources")
        for path in document["paths"]:
            last = [s for s in path.split("/") if s and not s.startswith("{")][-1]
            assert path in table or f"`{last}`" in table or f"/{last}`" in table, path
