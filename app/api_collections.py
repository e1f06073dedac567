"""Collections in the JSON API: a page at a time (`pagina`, `paginaGrootte`), with the total
and links to the other pages, filtered (`status`, `cyclusId`, `themaId`, `gewijzigdSinds`) and
sorted (`sorteer=naam` or `-naam`) on what integrators ask for.

A collection is read whole from its service (the lists are small: a cycle's results, a
theme's cycles) and paged here, so every resource pages, filters and sorts the same way."""

import inspect
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError
from sqlmodel import Session

from app.api_names import api_output, dutch, dutch_choice
from app.audit import service as audit_service
from app.ids import MAX_ID
from app.organisations.models import Organisation

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_PAGE = 1_000_000
FILTERS = ("status", "cycle_id", "theme_id")  # fields a collection filters on, when it has them
SORTABLE = (str, int, float, Decimal, date, datetime, Enum)
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")


def _iso_moment(value: Any) -> Any:
    """A moment as ISO 8601 with its time zone, never a number of seconds."""
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        return value
    raise PydanticCustomError(
        "kompas",
        "Geef een tijdstip als jjjj-mm-ddTuu:mm:ss met tijdzone, bijvoorbeeld "
        "2026-12-07T14:00:00+01:00.",
    )


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment)]


class PageLinks(BaseModel):
    current: str = Field(description="Deze pagina.")
    first: str = Field(description="De eerste pagina.")
    previous: str | None = Field(description="De vorige pagina; null op de eerste.")
    next: str | None = Field(description="De volgende pagina; null op de laatste.")
    last: str = Field(description="De laatste pagina.")


Links = api_output(PageLinks, "Paginalinks")


@cache
def page_model(public: type[BaseModel], name: str) -> type[BaseModel]:
    """The schema of one page of a collection of `public` records (in their API form)."""
    return create_model(
        f"{name}Pagina",
        __config__=ConfigDict(
            alias_generator=dutch, validate_by_name=True, serialize_by_alias=True
        ),
        items=(list[public], Field(description="De records op deze pagina.")),  # type: ignore[valid-type]
        total=(int, Field(description="Hoeveel records er zijn (na filteren).")),
        page=(int, Field(description="Het nummer van deze pagina, vanaf 1.")),
        page_size=(int, Field(description="Hoeveel records een pagina ten hoogste heeft.")),
        links=(Links, Field(description="Links naar de andere pagina's.")),
    )


def _base(annotation: Any) -> Any:
    """`Decimal` for `Annotated[Decimal, ...] | None`."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is Annotated or (args and len(args) == 1):
        return _base(args[0])
    return annotation


def sortable(public: type[BaseModel]) -> list[str]:
    """The fields a collection sorts on: the scalar ones, by their Dutch names."""
    names = []
    for field, info in public.model_fields.items():
        kind = _base(info.annotation)
        if isinstance(kind, type) and issubclass(kind, SORTABLE):
            names.append(field)
    return names


@dataclass(frozen=True)
class CollectionQuery:
    page: int
    page_size: int
    sort: tuple[bool, str] | None  # (descending, field)
    filters: dict[str, Any]
    changed_since: datetime | None


def query_dependency(
    public: type[BaseModel], exclude: str | None
) -> Callable[..., CollectionQuery]:
    """A dependency with the query parameters this collection takes, each in the document."""
    by_dutch = {dutch(field): field for field in sortable(public)}
    sort_values = tuple(key for name in by_dutch for key in (name, f"-{name}"))
    params = [
        _param(
            "page", int, 1, alias="pagina", ge=1, le=MAX_PAGE, description="Welke pagina, vanaf 1."
        ),
        _param(
            "page_size",
            int,
            DEFAULT_PAGE_SIZE,
            alias="paginaGrootte",
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Hoeveel records per pagina (1 tot en met {MAX_PAGE_SIZE}).",
        ),
        _param(
            "sort",
            Literal[sort_values] | None,
            None,
            alias="sorteer",
            description="Sorteer op dit veld; met `-` ervoor aflopend.",
        ),
        _param(
            "changed_since",
            Moment | None,
            None,
            alias="gewijzigdSinds",
            description="Alleen records die op of na dit tijdstip (ISO 8601, met tijdzone) zijn "
            "gemaakt of gewijzigd.",
        ),
    ]
    filters = [f for f in FILTERS if f in public.model_fields and f != exclude]
    for field in filters:
        kind = _base(public.model_fields[field].annotation)
        annotation = (
            dutch_choice(kind) if isinstance(kind, type) and issubclass(kind, Enum) else int
        )
        rules = {"ge": 1, "le": MAX_ID} if annotation is int else {}
        what = "dit id" if annotation is int else "deze status"
        params.append(
            _param(
                field,
                annotation | None,
                None,
                alias=dutch(field),
                description=f"Alleen records met {what}.",
                **rules,
            )
        )

    def collection_query(**values: Any) -> CollectionQuery:
        return CollectionQuery(
            page=values["page"],
            page_size=values["page_size"],
            sort=values["sort"]
            and (values["sort"][0] == "-", by_dutch[values["sort"].lstrip("-")]),
            filters={f: values[f] for f in filters if values[f] is not None},
            changed_since=values["changed_since"],
        )

    collection_query.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return collection_query


def _param(name: str, annotation: Any, default: Any, **query: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, Query(**query)],
    )


def page_of(
    request: Request,
    session: Session,
    organisation: Organisation,
    table: str,
    records: Sequence[Any],
    query: CollectionQuery,
) -> dict[str, Any]:
    """One page of `records` (filtered and sorted), with the total and the links."""
    rows = [r for r in records if all(getattr(r, f) == v for f, v in query.filters.items())]
    if query.changed_since is not None:
        changed = audit_service.changed_since(session, organisation, table, query.changed_since)
        rows = [r for r in rows if r.id in changed]
    if query.sort:
        descending, field = query.sort
        present = [r for r in rows if getattr(r, field) is not None]
        empty = [r for r in rows if getattr(r, field) is None]
        present.sort(key=lambda r: _key(getattr(r, field)), reverse=descending)
        rows = present + empty  # empty values last, either way
    total = len(rows)
    last = max(1, -(-total // query.page_size))
    start = (query.page - 1) * query.page_size

    def link(page: int) -> str:
        return str(request.url.include_query_params(pagina=page))

    return {
        "items": rows[start : start + query.page_size],
        "total": total,
        "page": query.page,
        "page_size": query.page_size,
        "links": Links(
            current=link(query.page),
            first=link(1),
            previous=link(min(query.page - 1, last)) if query.page > 1 else None,
            next=link(query.page + 1) if query.page < last else None,
            last=link(last),
        ),
    }


def _key(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
