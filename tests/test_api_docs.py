"""The API documentation page: every operation and schema of the OpenAPI document, on a page
of the site itself, with examples that the API accepts."""

import json
import re
from html import unescape
from pathlib import Path

import brotli

from app.api_docs import example_of, rules_of, type_of


def _document(anonymous) -> dict:
    return anonymous.get("/api/v2/openapi.json").json()


def test_every_operation_and_schema_of_the_document_is_on_the_page(anonymous):
    document = _document(anonymous)
    page = anonymous.get("/api-documentatie")
    assert page.status_code == 200
    text = unescape(page.text)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            anchor = f'id="operatie-{operation["operationId"]}"'
            assert anchor in text, (method, path)
            heading = text[text.index(anchor) :]
            assert heading.index(f"{method.upper()}</span> <code>{path}</code>") < 400
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in text, name


def test_every_link_within_the_page_leads_somewhere_on_it(anonymous):
    page = anonymous.get("/api-documentatie").text
    ids = set(re.findall(r' id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert len(targets) > 100
    assert targets <= ids, targets - ids


def test_the_page_is_light_and_runs_no_script_of_its_own(anonymous):
    """Swagger UI (1.7 MB of script and a 184 KB stylesheet) is gone: the page is HTML with
    the site's stylesheet, and weighs about 20 KB with Brotli."""
    response = anonymous.get("/api-documentatie", headers={"Accept-Encoding": "br"})
    with anonymous.stream(
        "GET", "/api-documentatie", headers={"Accept-Encoding": "br"}
    ) as streamed:
        assert streamed.headers["content-encoding"] == "br"
        compressed = b"".join(streamed.iter_raw())
    assert len(compressed) < 40_000
    assert brotli.decompress(compressed).decode() == response.text
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert all("/static/htmx" in script for script in scripts), scripts  # the site's own
    assert len(re.findall(r'rel="stylesheet"', response.text)) == 1


def test_the_documented_example_of_a_new_partner_is_accepted(client, anonymous):
    page = unescape(anonymous.get("/api-documentatie").text)
    operation = page[page.index('id="operatie-partnerMaken') :]
    example = re.search(r"<pre[^>]*><code>(.*?)</code></pre>", operation, re.S)
    created = client.post("/api/v2/partners", json=json.loads(example.group(1)))
    assert created.status_code == 201, created.text


def test_a_parameter_shows_its_limits_and_whether_it_is_required(anonymous):
    page = re.sub(r"<[^>]+>", "", unescape(anonymous.get("/api-documentatie").text))
    assert "partnerId in pad: integer, verplicht; minstens 1; hoogstens 2147483647" in page
    assert "If-Match in header: string, verplicht" in page


def test_types_link_to_their_schemas_and_say_what_may_be_null():
    assert type_of({"$ref": "#/components/schemas/Partner"}) == (
        '<a class="utrecht-link" href="#schema-Partner">Partner</a>'
    )
    assert type_of({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}) == (
        "string (date) of null"
    )
    assert type_of({"type": "array", "items": {"type": "integer"}}) == "lijst van integer"
    counts = {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "propertyNames": {"enum": ["gemeente", "inwoner"]},
    }
    assert type_of(counts) == "object: per sleutel (gemeente, inwoner) een integer"


def test_limits_are_said_in_words():
    assert rules_of({"type": "string", "minLength": 1, "maxLength": 200}) == (
        "minstens 1 teken; hoogstens 200 tekens"
    )
    assert rules_of(
        {"anyOf": [{"type": "number", "exclusiveMaximum": 1e10}, {"type": "null"}]}
    ) == ("minder dan 10000000000")
    assert rules_of({"type": "string", "enum": ["a", "b"]}) == "een van: a, b"
    # a described choice lists its codes with their meaning already
    assert rules_of({"type": "string", "enum": ["a"], "description": "`a`: A"}) == ""


def test_examples_keep_to_their_schema():
    schemas = {
        "Keuze": {
            "type": "object",
            "properties": {
                "jaar": {"type": "integer", "minimum": 2000.0, "maximum": 2100.0},
                "soort": {"type": "string", "enum": ["inbreng", "stippen"]},
                "op": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                "naam": {"type": "string", "examples": ["Jeugd"]},
            },
        }
    }
    assert example_of({"$ref": "#/components/schemas/Keuze"}, schemas) == {
        "jaar": 2000,
        "soort": "inbreng",
        "op": "2026-03-31",
        "naam": "Jeugd",
    }


def test_the_changelog_names_every_resource_of_the_document(anonymous):
    """docs/api-changelog.md's table of resources: every path's last named part is in it."""
    changelog = (Path(__file__).parents[1] / "docs" / "api-changelog.md").read_text()
    table = changelog.split("## Resources", 1)[1].split("\n## ", 1)[0]
    for path in _document(anonymous)["paths"]:
        named = [part for part in path.split("/") if part and not part.startswith("{")]
        assert re.search(rf"[`/]{re.escape(named[-1])}[`/]", table), path
