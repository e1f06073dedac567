"""The API documentation as a page of Kompas itself, read from the OpenAPI document: every
operation with its parameters, input and answers, the errors they share, and every schema with
its fields and an example.

Rendered on the server with the site's own styles, it works without JavaScript, by keyboard
and at 375 px, and weighs a few dozen kilobytes. It replaced Swagger UI, whose default theme
failed axe on every load (colour contrast, controls inside controls) and weighed 400 KB.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

_REF = "#/components/schemas/"
_BACKTICKS = re.compile(r"`([^`]+)`")
# FastAPI names every success "Successful Response"; the page says it in Dutch.
_SUCCESS = {"200": "Gelukt.", "201": "Aangemaakt.", "204": "Gelukt; het antwoord is leeg."}
_LOCATIONS = {"path": "pad", "query": "query", "header": "header", "cookie": "cookie"}
_EXAMPLE_DEPTH = 4  # schemas that contain themselves stop here


def prose(text: str | None) -> Markup:
    """A description from the document: escaped, with `code` in backticks as code."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text or ""))))


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    type: Markup
    rules: str
    description: Markup


@dataclass(frozen=True)
class Answer:
    status: str
    description: Markup
    type: Markup | None


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: Markup
    parameters: list[Parameter]
    body: Markup | None
    body_example: str | None
    answers: list[Answer]
    errors: list[str]  # statuses of the shared error answers this operation can give


@dataclass(frozen=True)
class Group:
    anchor: str
    name: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class Field:
    name: str
    type: Markup
    required: bool
    description: Markup
    rules: str


@dataclass(frozen=True)
class Schema:
    name: str
    anchor: str
    description: Markup
    fields: list[Field]
    example: str


@dataclass(frozen=True)
class ApiDescription:
    title: str
    summary: str
    version: str
    openapi_version: str
    groups: list[Group]
    errors: list[Answer]
    schemas: list[Schema]

    @property
    def operation_count(self) -> int:
        return sum(len(group.operations) for group in self.groups)


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref", "")
    return ref.removeprefix(_REF) if ref.startswith(_REF) else None


def type_of(schema: dict[str, Any]) -> Markup:
    """A schema as a short type, with links to the named schemas it uses."""
    if name := _ref_name(schema):
        return Markup('<a class="utrecht-link" href="#{}">{}</a>').format(schema_anchor(name), name)
    if "anyOf" in schema or "oneOf" in schema:
        choices = schema.get("anyOf") or schema["oneOf"]
        return Markup(" of ").join(type_of(choice) for choice in choices)
    if isinstance(schema.get("type"), list):  # ["string", "null"]: a value or null
        return Markup(" of ").join(
            type_of({**schema, "type": kind}) if kind != "null" else Markup("null")
            for kind in schema["type"]
        )
    kind = schema.get("type")
    if kind == "array":
        return Markup("lijst van {}").format(type_of(schema.get("items", {})))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        keys = schema.get("propertyNames", {}).get("enum")
        key = "sleutel" if not keys else "sleutel (" + ", ".join(keys) + ")"
        return Markup("object: per {} een {}").format(key, type_of(schema["additionalProperties"]))
    text = str(kind or "waarde")
    if "format" in schema:
        text += f" ({schema['format']})"
    return Markup("{}").format(text)


def _number(value: float) -> str:
    """As it is written in JSON (a limit is typed there, not read in a sentence)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def rules_of(schema: dict[str, Any]) -> str:
    """The limits a value must keep, in words."""
    for choice in schema.get("anyOf", ()):
        if choice.get("type") != "null":
            schema = {**choice, **{k: v for k, v in schema.items() if k != "anyOf"}}
    rules = []
    if "enum" in schema and not schema.get("description"):  # a description names each choice
        values = [str(value) for value in schema["enum"] if value is not None]
        rules.append("een van: " + ", ".join(values))
    if "minLength" in schema:
        length = schema["minLength"]
        rules.append(f"minstens {_number(length)} {'teken' if length == 1 else 'tekens'}")
    if "maxLength" in schema:
        rules.append(f"hoogstens {_number(schema['maxLength'])} tekens")
    for key, words in (
        ("minimum", "minstens"),
        ("exclusiveMinimum", "meer dan"),
        ("maximum", "hoogstens"),
        ("exclusiveMaximum", "minder dan"),
    ):
        if key in schema:
            rules.append(f"{words} {_number(schema[key])}")
    if "default" in schema:
        rules.append(f"standaard {json.dumps(schema['default'], ensure_ascii=False)}")
    return "; ".join(rules)


def example_of(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """A value that fits the schema: its own example where the document gives one."""
    if name := _ref_name(schema):
        return example_of(schemas[name], schemas, depth + 1) if depth < _EXAMPLE_DEPTH else {}
    for key in ("examples", "example", "default", "enum"):
        if schema.get(key) not in (None, []):
            value = schema[key]
            return value[0] if key in ("examples", "enum") else value
    if choices := schema.get("anyOf") or schema.get("oneOf"):
        useful = [choice for choice in choices if choice.get("type") != "null"] or choices
        return example_of(useful[0], schemas, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        if "properties" in schema:
            return {
                key: example_of(value, schemas, depth + 1)
                for key, value in schema["properties"].items()
            }
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            key = (schema.get("propertyNames", {}).get("enum") or ["sleutel"])[0]
            return {key: example_of(values, schemas, depth + 1)}
        return {}
    if kind == "array":
        return [example_of(schema.get("items", {}), schemas, depth + 1)]
    if kind == "integer":
        return int(max(1, schema.get("minimum", 1)))
    if kind == "number":
        return max(1.0, schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return {"date": "2026-03-31", "date-time": "2026-03-31T14:30:00Z"}.get(
        schema.get("format", ""), "tekst"
    )


def _as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _json_schema(content: dict[str, Any]) -> dict[str, Any] | None:
    media = content.get("application/json")
    return media.get("schema") if media else None


def _is_shared_error(answer: dict[str, Any]) -> bool:
    schema = _json_schema(answer.get("content", {})) or {}
    return _ref_name(schema) == "Problem"


def _operation(
    method: str, path: str, operation: dict[str, Any], schemas: dict[str, Any]
) -> Operation:
    parameters = [
        Parameter(
            name=parameter["name"],
            location=_LOCATIONS.get(parameter["in"], parameter["in"]),
            required=parameter.get("required", False),
            type=type_of(parameter.get("schema", {})),
            rules=rules_of(parameter.get("schema", {})),
            description=prose(parameter.get("description")),
        )
        for parameter in operation.get("parameters", [])
    ]
    body = _json_schema(operation.get("requestBody", {}).get("content", {}))
    answers, errors = [], []
    for status, answer in operation["responses"].items():
        if _is_shared_error(answer):
            errors.append(status)
            continue
        schema = _json_schema(answer.get("content", {}))
        description = answer.get("description", "")
        answers.append(
            Answer(
                status=status,
                description=prose(_SUCCESS.get(status, description))
                if description == "Successful Response"
                else prose(description),
                type=type_of(schema) if schema else None,
            )
        )
    return Operation(
        anchor=f"operatie-{operation['operationId']}",
        method=method.upper(),
        path=path,
        summary=operation.get("summary", f"{method.upper()} {path}"),
        description=prose(operation.get("description")),
        parameters=parameters,
        body=type_of(body) if body else None,
        body_example=_as_json(example_of(body, schemas)) if body else None,
        answers=answers,
        errors=errors,
    )


def _shared_errors(document: dict[str, Any]) -> list[Answer]:
    found: dict[str, str] = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if _is_shared_error(answer):
                    found.setdefault(status, answer.get("description", ""))
    return [
        Answer(status=status, description=prose(text), type=type_of({"$ref": _REF + "Problem"}))
        for status, text in sorted(found.items())
    ]


def _schema(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> Schema:
    required = set(schema.get("required", ()))
    fields = [
        Field(
            name=key,
            type=type_of(value),
            required=key in required,
            description=prose(value.get("description")),
            rules=rules_of(value),
        )
        for key, value in schema.get("properties", {}).items()
    ]
    return Schema(
        name=name,
        anchor=schema_anchor(name),
        description=prose(schema.get("description")),
        fields=fields,
        example=_as_json(example_of(schema, schemas)),
    )


def describe(document: dict[str, Any]) -> ApiDescription:
    """The page's content: operations grouped by their tag, in the document's order."""
    schemas = document.get("components", {}).get("schemas", {})
    groups: dict[str, Group] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["overig"])[0]
            group = groups.setdefault(tag, Group(anchor=f"groep-{tag}", name=tag))
            group.operations.append(_operation(method, path, operation, schemas))
    info = document["info"]
    return ApiDescription(
        title=info["title"],
        summary=info.get("summary", ""),
        version=info["version"],
        openapi_version=document["openapi"],
        groups=list(groups.values()),
        errors=_shared_errors(document),
        schemas=[_schema(name, schema, schemas) for name, schema in sorted(schemas.items())],
    )
