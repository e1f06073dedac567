"""The OpenAPI document as integrators and Logius' linter read it (NL API Design Rules 2.2).

FastAPI writes the document from the routes; this finishes it where FastAPI has no say:
paths relative to the server (`/api/v2`), the contact, the Bearer token every operation
needs, the `API-Version` header on every answer, problem details under
`application/problem+json`, an empty value as `type: [..., "null"]` so a date keeps its
`format` where readers look for it, and `If-Match` required (428 without it)."""

import copy
from typing import Any

from app.api_names import without_unused_schemas
from app.config import settings
from app.problems import WRITES_ONLY

SECURITY_SCHEME = "apiToken"
PROBLEM = "application/problem+json"
VERSION_HEADER = {
    "description": "De volledige versie van de API (semantisch).",
    "schema": {"type": "string", "example": "2.0.0"},
}
ETAG_HEADER = {"description": "De versie van het record.", "schema": {"type": "string"}}


def finish(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    doc["servers"] = [{"url": prefix, "description": "Deze installatie van Kompas"}]
    doc["info"]["contact"] = {
        "name": settings.api_contact_name,
        "email": settings.api_contact_email,
        "url": settings.api_contact_url,
    }
    doc["paths"] = {path.removeprefix(prefix): ops for path, ops in doc["paths"].items()}
    doc.setdefault("components", {})["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "Een persoonlijk API-token, te maken op de pagina Mijn account.",
        }
    }
    doc["security"] = [{SECURITY_SCHEME: []}]
    for operations in doc["paths"].values():
        for method, operation in operations.items():
            # FastAPI's own 422 is never sent: invalid input is 400 (app/main.py).
            operation["responses"].pop("422", None)
            if method == "get":
                for status in WRITES_ONLY:
                    operation["responses"].pop(str(status), None)
            _finish_operation(operation, doc["components"]["schemas"])
    _nullable_as_type_list(doc["components"]["schemas"])
    return without_unused_schemas(doc)


def _finish_operation(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and parameter["name"] == "If-Match":
            parameter["required"] = True
    for status, response in operation["responses"].items():
        content = response.get("content", {})
        if status[0] in "23":
            headers = response.setdefault("headers", {})
            headers["API-Version"] = VERSION_HEADER
            if status in ("200", "201", "304") and _has_etag(operation, schemas):
                headers["ETag"] = ETAG_HEADER
        elif "application/json" in content and PROBLEM in content:
            content[PROBLEM] = content.pop("application/json")
        _nullable_as_type_list(content)


def _has_etag(operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """A record read, made or changed: its answer shows a `versie` (or, for a write on a
    record that answers with something else, such as a scenario's choices, the ETag is the
    record's). What is no record (the organisation, an outcome, a round's uitslag) has none."""
    if not operation["operationId"].endswith(("Lezen", "Maken", "Wijzigen", "Vastleggen")):
        return False
    writes = any(p["name"] == "If-Match" for p in operation.get("parameters", []))
    answer = operation["responses"].get("200") or operation["responses"].get("201") or {}
    ref = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    shown = schemas.get(str(ref).rsplit("/", 1)[-1], {}).get("properties", {})
    return writes or "versie" in shown


def _nullable_as_type_list(node: Any) -> None:
    """`anyOf: [{type: string, format: date}, {type: null}]` as `type: [string, null]`,
    `format: date`: the same values, with the format where the linter and generators look."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
            (other,) = [o for o in options if o != {"type": "null"}]
            if isinstance(other.get("type"), str) and "$ref" not in other and "anyOf" not in other:
                del node["anyOf"]
                node.update({**other, "type": [other["type"], "null"]})
                if "enum" in other:
                    node["enum"] = [*other["enum"], None]
        for value in node.values():
            _nullable_as_type_list(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_as_type_list(value)
