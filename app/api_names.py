"""The JSON API speaks Dutch, the code English.

The NL API Design Rules (Logius, /core/interface-language) ask for an interface in Dutch; the
code keeps the English names of the domain model. This module is the one place where the two
meet: every attribute the API shows has its Dutch name here (lowerCamelCase, words from the
glossary in the domain research), and `api_input` / `api_output` make the models the API
routes declare, so request bodies, responses, error field names and the OpenAPI document all
use the Dutch names. A field without a Dutch name stops the application from starting.
"""

import copy
import json
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
    create_model,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from app.bounds import input_only

ATTRIBUTES: Mapping[str, str] = {
    # identities and bookkeeping
    "id": "id",
    "version": "versie",
    "created_at": "aangemaaktOp",
    "updated_at": "gewijzigdOp",
    "saved_at": "opgeslagenOp",
    "position": "volgorde",
    "code": "code",
    "slug": "korteNaam",
    "name": "naam",
    "title": "titel",
    "description": "omschrijving",
    "note": "toelichting",
    "notes": "aantekeningen",
    "kind": "soort",
    "type": "soort",
    "status": "status",
    "level": "niveau",
    # references to other records
    "organisation_id": "organisatieId",
    "partner_id": "partnerId",
    "theme_id": "themaId",
    "cycle_id": "cyclusId",
    "previous_cycle_id": "vorigeCyclusId",
    "step_id": "stapId",
    "result_id": "resultaatId",
    "indicator_id": "indicatorId",
    "predecessor_id": "voorgangerId",
    "activity_id": "activiteitId",
    "reflection_id": "reflectieId",
    "carried_over_from_id": "meegenomenVanId",
    "scenario_id": "scenarioId",
    "term_id": "begripId",
    "table_member_id": "tafellidId",
    "monitoring_item_id": "monitoringitemId",
    "result_story_id": "resultaatverhaalId",
    "activity_story_id": "activiteitverhaalId",
    "activity_indicator_id": "prestatieindicatorId",
    "link_id": "koppelingId",
    "working_element_id": "werkzaamElementId",
    "quality_condition_id": "kwaliteitsvoorwaardeId",
    "co_performer_id": "couitvoerderId",
    "action_id": "verbeteractieId",
    "spending_id": "bestedingId",
    "measurement_id": "metingId",
    "decision_id": "activiteitbesluitId",
    "result_decision_id": "resultaatbesluitId",
    # organisations and partners
    "organisation": "organisatie",
    "partner": "partner",
    "partners": "partners",
    "partner_type": "soortPartner",
    "role": "rol",
    # cycles and steps
    "theme": "thema",
    "start_year": "beginjaar",
    "end_year": "eindjaar",
    "horizon_years": "horizonJaren",
    "current_step": "huidigeStap",
    "number": "nummer",
    "figure": "cijfer",
    "source": "bron",
    "interpretation": "duiding",
    # step 0 and step 1: the table, the ambition, begrippen
    "perspective": "perspectief",
    "origin": "herkomst",
    "interest": "belang",
    "mandate": "mandaat",
    "text": "tekst",
    "agreed_on": "vastgesteldOp",
    "adopted_by": "vastgesteldDoor",
    "term": "begrip",
    "definition": "betekenis",
    "meaning_municipality": "betekenisGemeente",
    "meaning_provider": "betekenisAanbieder",
    "meaning_resident": "betekenisInwoner",
    "agreed_definition": "afgesprokenBetekenis",
    # step 2: results and indicators
    "rank": "prioriteit",
    "result_type": "soortResultaat",
    "target_group": "doelgroep",
    "rationale": "onderbouwing",
    "unit": "eenheid",
    "expected_frequency": "verwachteFrequentie",
    "bbv_number": "bbvNummer",
    "direction": "richting",
    "rba_question": "rbaVraag",
    "baseline_value": "nulmeting",
    "baseline_date": "nulmetingDatum",
    "target_value": "streefwaarde",
    "target_date": "streefdatum",
    "value": "waarde",
    "measured_on": "gemetenOp",
    "story": "verhaal",
    "author": "verteller",
    "told_on": "verteldOp",
    "owner": "eigenaar",
    # step 3 and 4: activities and their quality
    "budget": "budget",
    "annual_budget": "jaarbudget",
    "agreement": "afspraak",
    "contribution": "bijdrage",
    "assumption": "aanname",
    "evidence_level": "bewijskracht",
    "evidence_source": "bronBewijskracht",
    "category": "categorie",
    "instrument": "instrument",
    "legal_duty": "wettelijkeTaak",
    "minimum_level": "minimumniveau",
    "year": "jaar",
    "planned": "begroot",
    "actual": "besteed",
    # step 6: reflections, actions, decisions
    "reflected_on": "gereflecteerdOp",
    "went_well": "gingGoed",
    "could_improve": "kanBeter",
    "due_date": "uiterlijkeDatum",
    "done": "afgerond",
    "decision": "besluit",
    "decided_by": "besluitDoor",
    "decided_on": "besluitDatum",
    "made_on": "gemaaktOp",
    "new_text": "nieuweTekst",
    # live sessions
    "session_id": "sessieId",
    "round_id": "rondeId",
    "source_round_id": "bronRondeId",
    "step": "stap",
    "held_on": "datum",
    "location": "locatie",
    "min_group_size": "minimaleGroepsgrootte",
    "facilitator": "procesbegeleider",
    "join_code": "deelnamecode",
    "code_expires_at": "codeVerlooptOp",
    "question": "vraag",
    "dots": "stippen",
    "several_per_item": "meerderePerKeuze",
    "proposals_per_participant": "voorstellenPerDeelnemer",
    "criteria": "criteria",
    "results_hidden": "uitslagVerborgen",
    "minutes": "minuten",
    "closes_itself": "sluitVanzelf",
    "approve_first": "eerstGoedkeuren",
    "ends_at": "eindtijd",
    "target": "doel",
    "round": "ronde",
    "choice": "keuze",
    "place": "plaats",
    "score": "score",
    "votes": "stemmen",
    "paper": "papier",
    "per_perspective": "perPerspectief",
    "voters": "deelnemers",
    "present": "aanwezig",
    "small_groups": "kleineGroepen",
    "rows": "regels",
    "label": "label",
    "evidence": "bewijs",
    "hidden": "verborgen",
    "pending": "wachtOpGoedkeuring",
    "merged_into_id": "samengevoegdMetId",
    "placement": "plaatsing",
    "from_place": "vanafPlaats",
    "rationales": "onderbouwingen",
    # budget scenarios
    "cut_kind": "soortBezuiniging",
    "cut_value": "bezuinigingWaarde",
    "cut": "bezuiniging",
    "max_partner_loss": "maximaalVerliesPartner",
    "covered_top_results": "gedekteTopresultaten",
    "adopted_at": "vastgesteldTijdstip",
    "before": "voor",
    "after": "na",
    "pin": "keuzeMetDeHand",
    "choices": "keuzes",
    "strengthen": "versterken",
    "feasible": "haalbaar",
    "optimal": "optimaal",
    "total_before": "totaalVoor",
    "total_after": "totaalNa",
    "value_before": "waardeVoor",
    "value_after": "waardeNa",
    "euros_before": "eurosVoor",
    "euros_after": "eurosNa",
    "contribution_before": "bijdrageVoor",
    "contribution_after": "bijdrageNa",
    "activities": "activiteiten",
    "results": "resultaten",
    "reasons": "redenen",
    "largest_possible_cut": "grootstMogelijkeBezuiniging",
    "why": "waarom",
    "weight_round_id": "wegingRondeId",
    "weight_mode": "weging",
    "largest_cut_exact": "grootstMogelijkeBezuinigingExact",
    "seconds": "rekentijdSeconden",
    "bounded": "rekentijdOp",
    "solved": "opgelost",
    "data_changed_at": "gegevensGewijzigdOp",
    # pages of a collection
    "items": "items",
    "total": "totaal",
    "page": "pagina",
    "page_size": "paginaGrootte",
    "links": "links",
    "current": "zelf",
    "first": "eerste",
    "previous": "vorige",
    "next": "volgende",
    "last": "laatste",
    "sort": "sorteer",
    "changed_since": "gewijzigdSinds",
}


# The values of choices, per enumeration: the stored (English) value and its API code.
CHOICES: Mapping[str, Mapping[str, str]] = {
    "Perspective": {
        "municipality": "gemeente",
        "provider": "aanbieder",
        "resident": "inwoner",
        "other": "anders",
    },
    "PartnerType": {
        "municipality": "gemeente",
        "provider": "aanbieder",
        "residents": "inwoners",
        "education": "onderwijs",
        "healthcare": "zorg",
        "science": "kennisinstituut",
        "other": "overig",
    },
    "Role": {
        "admin": "beheerder",
        "facilitator": "procesbegeleider",
        "partner": "partner",
        "reader": "lezer",
    },
    "AmbitionStatus": {"draft": "concept", "formulated": "geformuleerd", "agreed": "vastgesteld"},
    "Adopter": {"college": "college", "council": "gemeenteraad"},
    "IndicatorStatus": {
        "on_track": "op-koers",
        "attention": "aandacht",
        "off_track": "niet-op-koers",
        "unknown": "onbekend",
    },
    "ResultType": {
        "substantive": "inhoudelijk",
        "process": "proces",
        "precondition": "randvoorwaardelijk",
    },
    "Direction": {"higher": "hoger-is-beter", "lower": "lager-is-beter"},
    "Frequency": {
        "monthly": "maandelijks",
        "quarterly": "per-kwartaal",
        "half_yearly": "per-half-jaar",
        "yearly": "jaarlijks",
        "biennial": "tweejaarlijks",
    },
    "RbaQuestion": {"how_much": "hoeveel", "how_well": "hoe-goed", "better_off": "beter-af"},
    "IndicatorLevel": {"population": "populatie", "service": "voorziening"},
    "ActivityStatus": {
        "new": "nieuw",
        "continue": "voortzetten",
        "strengthen": "versterken",
        "phase_out": "afbouwen",
        "stop": "stoppen",
    },
    "EvidenceLevel": {
        "not_assessed": "niet-beoordeeld",
        "well_founded": "goed-onderbouwd",
        "effective_first": "effectief-eerste-aanwijzingen",
        "effective_good": "effectief-goede-aanwijzingen",
        "effective_strong": "effectief-sterke-aanwijzingen",
    },
    "Agreement": {
        "subsidy": "subsidie",
        "contract": "contract",
        "performance": "prestatieafspraak",
        "own": "eigen-inzet",
    },
    "Contribution": {"small": "beperkt", "medium": "duidelijk", "large": "sterk"},
    "QualityCategory": {
        "training": "scholing",
        "knowledge": "kennis",
        "method": "methoden",
        "organisation": "organisatie",
    },
    "CycleStatus": {"active": "lopend", "closed": "afgesloten"},
    "StepStatus": {"not_started": "niet-gestart", "in_progress": "bezig", "done": "afgerond"},
    "MonitoringKind": {"figure": "cijfer", "signal": "signaal"},
    "Decision": {
        "continue": "voortzetten",
        "strengthen": "versterken",
        "phase_out": "afbouwen",
        "stop": "stoppen",
    },
    "ResultDecisionKind": {"keep": "houden", "reword": "herformuleren", "drop": "laten-vallen"},
    "RoundKind": {
        "input": "inbreng",
        "dots": "stippen",
        "ranking": "rangschikken",
        "scoring": "scoren",
        "term": "begrip",
        "points": "punten-verdelen",
    },
    "RoundStatus": {
        "prepared": "voorbereid",
        "open": "open",
        "paused": "gepauzeerd",
        "closed": "gesloten",
    },
    "SessionStatus": {"prepared": "voorbereid", "running": "bezig", "closed": "afgelopen"},
    "Placement": {"insert": "invoegen", "replace": "vervangen"},
    "Target": {
        "none": "geen",
        "ambition": "ambitie",
        "results": "resultaten",
        "activities": "activiteiten",
        "terms": "begrippen",
    },
    "CutKind": {"percent": "percentage", "amount": "bedrag"},
    "WeightMode": {"overall": "alles-samen", "perspectives": "perspectieven-gelijk"},
    "Pin": {"stay": "moet-blijven", "keep": "behouden", "reduce": "verminderen", "stop": "stoppen"},
    "Level": {
        "keep": "behouden",
        "reduce": "verminderen",
        "stop": "stoppen",
    },
}


def dutch(name: str) -> str:
    try:
        return ATTRIBUTES[name]
    except KeyError:
        raise LookupError(
            f"The API attribute {name!r} has no Dutch name: add it to app/api_names.py"
        ) from None


def _title(field_name: str, info: Any) -> str:
    return dutch(field_name)


_INPUT = ConfigDict(
    alias_generator=dutch,
    extra="forbid",  # an unknown (or English) name is refused by name, never ignored
    validate_by_alias=True,
    validate_by_name=False,  # a client that sends the English name hears which name is asked
    field_title_generator=_title,
)
_OUTPUT = ConfigDict(
    alias_generator=dutch,
    validate_by_alias=True,
    validate_by_name=True,  # read from the records' (English) attributes
    serialize_by_alias=True,
    field_title_generator=_title,
)


def api_input(
    model: type[BaseModel], name: str, rules: dict[str, Any] | None = None
) -> type[BaseModel]:
    """`model` as a request body with Dutch attribute names, under the schema name `name`.
    The result is a subclass: services take it where they take `model`. `rules`: JSON Schema
    keywords (by Dutch names) for what the model's validators check across fields, so that
    the document says everything the server requires."""
    return _api_input(model, name, json.dumps(rules, sort_keys=True) if rules else None)


@cache  # one class per name, or the document would hold two schemas of that name
def _api_input(model: type[BaseModel], name: str, rules: str | None) -> type[BaseModel]:
    config = ConfigDict(**_INPUT, json_schema_extra=json.loads(rules)) if rules else _INPUT
    return _dutch_model(model, name, config)


@cache
def api_patch(write: type[BaseModel], name: str) -> type[BaseModel]:
    """The body of a PATCH: any of the fields of `write` with the same rules, none required;
    `null` only where the field itself may be empty."""
    fields = {
        field: (info.annotation, _optional(info)) for field, info in write.model_fields.items()
    }
    # Not a subclass of `write`: its rules about several fields (an end after the start)
    # need the whole record, and are checked on the merged record (resources.merge_patch).
    partial = create_model(f"{name}Basis", __doc__=write.__doc__, **fields)  # type: ignore[call-overload]
    return _dutch_model(partial, name, _INPUT)


def _optional(info: FieldInfo) -> FieldInfo:
    """The field with its rules, not required (absent: unchanged, see exclude_unset)."""
    field = copy.copy(info)
    field.default_factory = None
    return FieldInfo.merge_field_infos(field, default=None, json_schema_extra=_no_default)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # absent is no value: the stored one stays


@cache
def api_output(model: type[BaseModel], name: str) -> type[BaseModel]:
    """`model` as a response with Dutch attribute names, under the schema name `name`."""
    return _dutch_model(model, name, _OUTPUT)


def _dutch_model(model: type[BaseModel], name: str, config: ConfigDict) -> type[BaseModel]:
    plain = types.new_class(
        name, (model,), exec_body=lambda ns: ns.update(model_config=config, __doc__=model.__doc__)
    )
    nested = {}
    for field, info in model.model_fields.items():
        annotation = _dutch_annotation(info.annotation, config)
        field_info = info
        if config is _OUTPUT:  # a response shows what is stored, from before any rule too
            annotation, field_info = _without_input_rules(annotation), _stored(info)
        else:
            field_info = _strict_input(info)
        if annotation is not info.annotation or field_info is not info:
            nested[field] = (annotation, _dutch_default(field_info))
    if not nested:
        return plain
    return create_model(name, __base__=plain, **nested)  # type: ignore[call-overload]


EXACT_DIGITS = 15
API_NUMBER_MESSAGE = "Vul een getal in als JSON-getal, met een punt voor decimalen: 12500 of 12.5."
API_DATE_MESSAGE = "Vul een datum in als tekst jjjj-mm-dd (ISO 8601), bijvoorbeeld 2024-12-31."
API_INTEGER_MESSAGE = "Vul een geheel getal in als JSON-getal, bijvoorbeeld 2024."
API_BOOLEAN_MESSAGE = "Vul true of false in (JSON, zonder aanhalingstekens)."
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _json_number(value: Any) -> Any:
    """A number as JSON writes it; a string ("12.500": twelve and a half, or twelve thousand
    five hundred?) is refused rather than guessed. At most 15 significant digits: what SQLite
    (which keeps a decimal as a binary float) and every JSON reader hold exactly."""
    if value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("kompas", API_NUMBER_MESSAGE)
    if len(Decimal(value).normalize().as_tuple().digits) > EXACT_DIGITS:
        raise PydanticCustomError("kompas", f"Gebruik hoogstens {EXACT_DIGITS} cijfers.")
    return value


def _json_integer(value: Any) -> Any:
    """A whole number as JSON writes it (7, or 7.0: the same JSON integer); "7" or true is
    refused, as the document says, rather than read as 7 or 1."""
    if value is None:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # 7.0 is the same JSON integer (the body's numbers with a point arrive as Decimal)
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    raise PydanticCustomError("kompas", API_INTEGER_MESSAGE)


def _json_integers(value: Any) -> Any:
    """A list of whole numbers (`versterken`), each as JSON writes it."""
    return [_json_integer(item) for item in value] if isinstance(value, list) else value


def _json_boolean(value: Any) -> Any:
    """true or false; "true", "ja" or 1 are refused, as the document says."""
    if value is None or isinstance(value, bool):
        return value
    raise PydanticCustomError("kompas", API_BOOLEAN_MESSAGE)


def _iso_date(value: Any) -> Any:
    """A date as an ISO 8601 string (2024-12-31), never a number or 31-12-2024."""
    if (
        value is None
        or isinstance(value, date)
        or (isinstance(value, str) and _ISO_DATE.fullmatch(value))
    ):
        return value
    raise PydanticCustomError("kompas", API_DATE_MESSAGE)


def _dutch_annotation(annotation: Any, config: ConfigDict) -> Any:
    """The same type with every model and choice inside (list[Row], Pin | None) in its Dutch
    form."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return dutch_choice(annotation)

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        made = api_output if config is _OUTPUT else api_input
        return made(annotation, _schema_name(annotation))
    args = typing.get_args(annotation)
    if not args:
        return annotation
    dutch_args = tuple(_dutch_annotation(arg, config) for arg in args)
    if dutch_args == args:
        return annotation
    origin = typing.get_origin(annotation)
    if origin is types.UnionType or origin is typing.Union:
        return typing.Union[dutch_args]  # noqa: UP007 (built from a tuple)
    return origin[dutch_args]


def _without_input_rules(annotation: Any) -> Any:
    """`EventDate | None` as `date | None`: the ranges in app/bounds.py are for input."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        kept = [item for item in args[1:] if not input_only(item)]
        if len(kept) == len(args) - 1:
            return annotation
        return Annotated[(args[0], *kept)] if kept else args[0]
    if origin is types.UnionType or origin is typing.Union:
        plain = tuple(_without_input_rules(arg) for arg in args)
        return annotation if plain == args else typing.Union[plain]  # noqa: UP007
    return annotation


def _strict_input(info: FieldInfo) -> FieldInfo:
    """In input, amounts only as JSON numbers and dates only as ISO 8601 strings; text says
    in the document what app/text.py refuses."""
    kind = _scalar(info.annotation)
    if kind is str:
        described = copy.copy(info)
        described.json_schema_extra = _chained(info.json_schema_extra, _text_pattern(info))
        return described
    plain = _plain(info.annotation)
    if typing.get_origin(plain) is list and _plain(typing.get_args(plain)[0]) is int:
        plain = list[int]
    check = {Decimal: _json_number, date: _iso_date}.get(kind) or {
        int: _json_integer,
        bool: _json_boolean,
        list[int]: _json_integers,
    }.get(plain)
    if check is None:
        return info
    strict = copy.copy(info)
    strict.metadata = [*info.metadata, BeforeValidator(check)]
    if kind is Decimal:
        strict.json_schema_extra = _chained(
            info.json_schema_extra, _numbers_only(_decimal_places(info))
        )
    return strict


def _decimal_places(info: FieldInfo) -> int | None:
    return next(
        (m.decimal_places for m in info.metadata if getattr(m, "decimal_places", None)), None
    )


def _chained(first: Any, then: Any) -> Any:
    if not callable(first):
        return then

    def both(schema: dict[str, Any]) -> None:
        first(schema)
        then(schema)

    return both


def _scalar(annotation: Any) -> Any:
    """`Decimal` for `Annotated[Decimal, ...] | None`; None for anything but an amount, a
    date or text."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is Annotated or len(args) == 1:
        return _scalar(args[0])
    return annotation if annotation in (Decimal, date, str) else None


def _plain(annotation: Any) -> Any:
    """`int` for `Annotated[int, ...] | None`: the type of a single value (a list is not)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return _plain(args[0])
    if origin is types.UnionType or origin is typing.Union:
        others = [a for a in args if a is not type(None)]
        return _plain(others[0]) if len(others) == 1 else None
    return annotation


# What app/text.py refuses: control characters (line breaks too, outside long texts) and
# bidirectional overrides; and a required text of only spaces.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_REFUSED = {
    False: f"\x00-\x1f\x7f-\x9f{_BIDI}",
    True: f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}",
}


def _text_pattern(info: FieldInfo) -> Any:
    refused = _REFUSED[getattr(info, "sa_type", None) is sa.Text]
    required = any(getattr(m, "min_length", 0) for m in info.metadata)
    pattern = f"^[^{refused}]*[^\\s{refused}][^{refused}]*$" if required else f"^[^{refused}]*$"

    def with_pattern(schema: dict[str, Any]) -> None:
        schema["pattern"] = pattern

    return with_pattern


def _numbers_only(places: int | None) -> Callable[[dict[str, Any]], None]:
    """The document shows what the API takes: a number (pydantic also lists a string), with
    its decimals as `multipleOf` (JSON Schema has no "decimal places"; exact, as the API reads
    a number as the decimal written). In input only: a validator that divides floats would
    find 1234.56 no multiple of 0.01."""

    def numbers_only(schema: dict[str, Any]) -> None:
        schema["anyOf"] = [s for s in schema.get("anyOf", []) if s.get("type") != "string"]
        if places is not None:
            for alternative in schema["anyOf"]:
                if alternative.get("type") == "number":
                    alternative["multipleOf"] = float(Decimal(1).scaleb(-places))
        if len(schema["anyOf"]) == 1:
            schema.update(schema.pop("anyOf")[0])

    return numbers_only


def _stored(info: FieldInfo) -> FieldInfo:
    """The field without the rules for input in its metadata."""
    kept = [item for item in info.metadata if not input_only(item)]
    if len(kept) == len(info.metadata):
        return info
    plain = copy.copy(info)
    plain.metadata = kept
    return plain


def _dutch_default(info: FieldInfo) -> FieldInfo:
    """The field, with a default choice shown in the document by its Dutch code."""
    default = info.default
    if not isinstance(default, Enum):
        return info
    code = CHOICES[type(default).__name__][default.value]
    return FieldInfo.merge_field_infos(info, json_schema_extra={"default": code})


def without_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document without the schemas nothing refers to (the English choices the
    Dutch ones stand in for)."""
    schemas = document.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in document.items() if k != "components"}) + json.dumps(
            schemas
        )
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return document
        for name in unused:
            del schemas[name]


@cache
def dutch_choice(enum: type[Enum]) -> Any:
    """A choice that reads and writes its Dutch code; the stored value stays English."""
    try:
        codes = CHOICES[enum.__name__]
    except KeyError:
        raise LookupError(
            f"The choice {enum.__name__} has no Dutch codes: add it to app/api_names.py"
        ) from None
    members = {code: enum(value) for value, code in codes.items()}
    if set(codes) != {member.value for member in enum}:
        raise LookupError(f"The Dutch codes of {enum.__name__} do not match its values")

    def from_dutch(code: Any) -> Any:
        if isinstance(code, enum):
            return code
        if isinstance(code, str) and code in members:
            return members[code]
        raise PydanticCustomError(
            "enum", "Kies een van de opties: {options}.", {"options": ", ".join(members)}
        )

    options = "; ".join(
        f"`{code}`: {getattr(member, 'label', code)}" for code, member in members.items()
    )
    schema = {"type": "string", "enum": list(members), "description": options}
    return Annotated[
        enum,
        BeforeValidator(from_dutch),
        PlainSerializer(lambda member: codes[member.value], return_type=str, when_used="json"),
        WithJsonSchema(schema),
    ]


# Nested models (rows in a scenario's outcome) and their schema names.
NESTED_NAMES: Mapping[str, str] = {
    "ActivityRow": "ActiviteitUitkomst",
    "ResultRow": "ResultaatUitkomst",
    "RoundResultRow": "Uitslagregel",
    "PartnerRow": "PartnerUitkomst",
}


def _schema_name(model: type[BaseModel]) -> str:
    return NESTED_NAMES[model.__name__]
