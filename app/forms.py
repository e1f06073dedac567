"""HTML form handling: Dutch input parsing, validation with the domain schemas, Dutch messages.

A form round-trip keeps exactly what the person typed: `FormState.values` holds the raw strings,
`FormState.errors` one Dutch message per field.
"""

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Request
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from app.api_names import API_DATE_MESSAGE, API_NUMBER_MESSAGE, ATTRIBUTES
from app.choices import Choice
from app.errors import InvalidInput
from app.formatting import format_number, input_number, parse_number
from app.ids import MAX_ID, UNKNOWN_CHOICE
from app.text import clean

Schema = TypeVar("Schema", bound=BaseModel)
GENERAL = "__all__"  # key for a message that belongs to the whole form


async def _read_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(_read_form)]


@dataclass
class FormState:
    """What a form shows: the values as typed (or as stored) and a message per field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # Prefix for the ids of the form's fields, unique on the page.
    id: str = "form"
    # Dutch label per field, shared by the fields and the error summary.
    labels: Mapping[str, str] = field(default_factory=dict)
    # The field that takes the focus when the form appears on its own or in place.
    autofocus: str | None = None

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    @classmethod
    def of(cls, obj: Any, names: list[str] | None = None) -> "FormState":
        """Initial values from a stored record, written the way a Dutch user types them."""
        data = obj if isinstance(obj, Mapping) else obj.model_dump()
        keys = names if names is not None else list(data)
        return cls(values={name: _as_input(data.get(name)) for name in keys})


class FormInvalid(Exception):
    def __init__(self, state: FormState) -> None:
        super().__init__(state.errors)
        self.state = state


def _as_input(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, Decimal | float):
        return input_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Choice):
        return value.value
    return str(value)


def _base_type(annotation: Any) -> Any:
    """`Decimal` for `Annotated[Decimal, ...] | None`, and so on."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) != 1:
            return annotation
        annotation = args[0]
    if get_origin(annotation) is Annotated:
        return get_args(annotation)[0]
    return annotation


def _is_choice(schema: type[BaseModel], name: str) -> bool:
    info = schema.model_fields.get(name)
    kind = _base_type(info.annotation) if info else None
    return isinstance(kind, type) and issubclass(kind, Choice)


_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _parse_date(text: str) -> str:
    """ISO dates come from date pickers; dd-mm-jjjj is what people type without one."""
    match = _DUTCH_DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            raise ValueError(_DATE_MESSAGE) from None
    return text


def parse_form(schema: type[Schema], form: Mapping[str, str], **extra: Any) -> Schema:
    """Validate submitted form fields against a domain schema, or raise FormInvalid."""
    values = {name: form.get(name, "") for name in schema.model_fields if name not in extra}
    data: dict[str, Any] = dict(extra)
    errors: dict[str, str] = {}
    for name, info in schema.model_fields.items():
        if name in extra:
            continue
        kind = _base_type(info.annotation)
        text = values[name].strip()
        if kind is bool:
            data[name] = text not in ("", "off", "false", "0")
            continue
        if text == "":
            continue  # absent: the schema's default applies, or "missing" is reported
        try:
            if kind is Decimal:
                data[name] = parse_number(text)
            elif kind is date:
                data[name] = _parse_date(text)
            else:
                data[name] = text
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        parsed = schema.model_validate(data)
    except ValidationError as exc:
        for name, message in dutch_errors(exc).items():
            if name not in data and _is_choice(schema, name):
                message = "Maak een keuze."
            errors.setdefault(name, message)
        raise FormInvalid(FormState(values=values, errors=errors)) from None
    if errors:
        raise FormInvalid(FormState(values=values, errors=errors))
    try:
        return clean(parsed)
    except InvalidInput as exc:
        raise FormInvalid(FormState(values=values, errors=exc.errors)) from None


@cache
def _field_adapter(schema: type[BaseModel], name: str) -> TypeAdapter[Any]:
    # The field's type with its rules (Annotated[type, *metadata]), as pydantic rebuilds it.
    return TypeAdapter(schema.model_fields[name].rebuild_annotation())


def field_problem(schema: type[BaseModel], name: str, value: Any) -> str | None:
    """Why `value` does not fit the field `name` of `schema` (its type, range and size), in the
    Dutch a form shows next to the field; None when it fits. For input that is not a form,
    such as a row of an uploaded spreadsheet, checked by the same rules."""
    try:
        _field_adapter(schema, name).validate_python(value)
    except ValidationError as exc:
        return _message(exc.errors()[0])
    return None


def invalid_input_state(exc: InvalidInput, form: Mapping[str, str]) -> FormState:
    """A domain rule broken after validation, shown next to the field it concerns."""
    return FormState(values=dict(form), errors=dict(exc.errors))


_DATE_MESSAGE = "Vul een geldige datum in, bijvoorbeeld 31-12-2024."


def _message(error: ErrorDetails, api: bool = False) -> str:
    """The Dutch message for a field; `api`: in the forms the API takes (JSON numbers, ISO
    dates), not those a person types in a form."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if api and (kind.startswith("date") or kind.startswith("datetime")):
        return API_DATE_MESSAGE
    if api and kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type"}:
        return API_NUMBER_MESSAGE
    if api and kind == "decimal_max_places":
        return f"Gebruik hoogstens {ctx['decimal_places']} decimalen."

    def _bound(value: Any) -> str:
        return str(value) if api else _dutch_bound(value)  # JSON: 10000000000

    if kind == "kompas":
        return error["msg"]
    if kind == "extra_forbidden":  # an unknown (or English) field or query parameter
        return "Deze naam kent de API hier niet (zie het OpenAPI-document)."
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "Vul dit veld in."
    if kind == "string_too_short":
        return f"Gebruik minstens {ctx['min_length']} tekens."
    if kind == "string_too_long":
        length = len(error["input"]) if isinstance(error.get("input"), str) else None
        now = f"; dit zijn er {length}" if length else ""
        return f"Gebruik hoogstens {ctx['max_length']} tekens{now}."
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "Vul een geheel getal in."
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type"}:
        return "Vul een getal in, bijvoorbeeld 12.500 of 12,5."
    if kind == "greater_than_equal":
        if ctx.get("ge") in (0, Decimal(0)):
            return "Vul een getal in dat niet negatief is."
        return f"Vul {_bound(ctx['ge'])} of meer in."
    if kind == "greater_than":
        return f"Vul een getal groter dan {_bound(ctx['gt'])} in."
    if kind == "less_than_equal":
        return (
            UNKNOWN_CHOICE if ctx.get("le") == MAX_ID else f"Vul {_bound(ctx['le'])} of minder in."
        )
    if kind == "less_than":
        return f"Vul een getal kleiner dan {_bound(ctx['lt'])} in."
    if kind == "decimal_max_places":
        return f"Gebruik hoogstens {ctx['decimal_places']} cijfers achter de komma."
    if kind == "decimal_whole_digits":
        return f"Vul een getal kleiner dan {_bound(10 ** ctx['whole_digits'])} in."
    if kind == "decimal_max_digits":
        return f"Dit getal is te groot: gebruik hoogstens {ctx['max_digits']} cijfers."
    if kind.startswith("date") or kind.startswith("datetime"):
        return _DATE_MESSAGE
    if kind in {"enum", "literal_error"}:
        return "Kies een van de opties."
    if kind.startswith("bool"):
        return "Kies ja of nee."
    if kind in {"string_type", "model_type", "dict_type", "list_type"}:
        return "Deze waarde heeft niet de juiste vorm."
    return "Deze waarde klopt niet."


def _dutch_bound(value: Any) -> str:
    """A limit as a Dutch reader writes it: 10.000.000.000, 2100 (a year has no separator)."""
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    return format_number(value) if isinstance(value, int | float | Decimal) else str(value)


def _field(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    if "field" in ctx:
        return str(ctx["field"])
    loc = [part for part in error["loc"] if part not in ("body", "query", "path")]
    return str(loc[0]) if loc else GENERAL


def dutch_errors(exc: ValidationError) -> dict[str, str]:
    """One Dutch message per field (the first one reported)."""
    messages: dict[str, str] = {}
    for error in exc.errors():
        messages.setdefault(_field(error), _message(error))
    return messages


def api_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """FastAPI's structured error list, with Dutch messages; rules about two fields point at
    the field they concern, by its name in the API."""
    structured = []
    for error in errors:
        loc = list(error.get("loc", ()))
        field_name = (error.get("ctx") or {}).get("field")
        if field_name:
            field_name = ATTRIBUTES.get(field_name, field_name)  # the API's (Dutch) name
        if field_name and field_name not in loc:
            loc.append(field_name)
        structured.append({"loc": loc, "msg": _message(error, api=True), "type": error["type"]})
    return structured
