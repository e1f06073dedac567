"""One description per kind of record, from which its JSON API and HTML form routes are built.

Every record in Kompas changes the same way: input is validated against the domain schema, the
member's role is checked, one service function changes the database, the route commits once
and redirects (post/redirect/get) or answers JSON. Writing that cycle once keeps the behaviour
identical everywhere: 422 with a Dutch message per field and the typed values kept, 404 for
records of another organisation, 403 for a role that may not write, 409 for closed cycles and
for forms that were opened before someone else saved (no silent overwrites), and forms that
work with and without JavaScript.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Generic, Literal, Protocol, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from app import record_kinds
from app.api_collections import page_model, page_of, query_dependency
from app.api_names import api_input, api_output, api_patch, dutch
from app.auth import CurrentMember, Member, require_cycle_runner
from app.db import SessionDep
from app.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from app.forms import FormDep, FormInvalid, FormState, invalid_input_state, parse_form
from app.ids import MAX_ID
from app.organisations.models import Organisation
from app.tables import Revised
from app.templating import inline_section, render, render_invalid_form, see_other
from app.text import clean

P = TypeVar("P")
T = TypeVar("T")
P_contra = TypeVar("P_contra", contravariant=True)
T_contra = TypeVar("T_contra", contravariant=True)

NEXT_FIELD = "_next"  # the page to return to after a successful form
SECTION_FIELD = "_sectie"  # the part of that page an inline form refreshes
VERSION_FIELD = "_versie"  # the version of the record the form was opened with

Action = Literal["create", "update", "delete"]


class Permission(Protocol[P_contra, T_contra]):
    """Raises Forbidden when the member may not do `action` to the record (or, for create,
    under the parent). Called before the input is read (`data` None), and again with the
    validated input: the resource's `write` schema. `item` is None when creating."""

    def __call__(
        self,
        session: Session,
        member: Member,
        action: Action,
        parent: P_contra,
        item: T_contra | None,
        data: Any,
        /,
    ) -> None: ...


def cycle_runners_only(
    session: Session, member: Member, action: Action, parent: object, item: object, data: Any
) -> None:
    require_cycle_runner(member)


@dataclass(frozen=True, kw_only=True)
class Parent(Generic[P]):
    """What a kind of record hangs under, and how to find it within the organisation."""

    name: str  # "cycle": the path parameter is cycle_id (cyclusId in the JSON API)
    plural: str  # "cycli": the JSON API path segment
    path: str  # "cycli": the HTML path segment
    get: Callable[[Session, Organisation, int], P]


@dataclass(frozen=True, kw_only=True)
class Resource(Generic[P, T]):
    name: str  # "result"
    plural: str  # "resultaten": the JSON API path segment, Dutch as the NL API Design Rules ask
    api_name: str  # "Resultaat": its schema in the OpenAPI document
    label: str  # "resultaat"
    path: str  # "resultaten": the HTML path segment
    model: type[SQLModel]  # the table
    parent: Parent[P] | None  # None: the record hangs directly under the organisation
    write: type[BaseModel]  # full state: create, form update, merged PATCH
    patch: type[BaseModel]
    public: type[BaseModel]
    get: Callable[[Session, Organisation, int], T]
    parent_of: Callable[[Session, Organisation, T], P]
    list: Callable[[Session, P], Sequence[T]]
    create: Callable[[Session, P, Any], T]
    update: Callable[[Session, T, Any], T]
    delete: Callable[[Session, T], None]
    permission: Permission[P, T] = cycle_runners_only
    # HTML
    fields_template: str
    title: Callable[[T], str]  # how a record is named in headings and confirmations
    return_to: Callable[[P, T | None], str]  # the page where the record is shown, with anchor
    context: Callable[[Session, Organisation, P], Mapping[str, Any]] = field(
        default=lambda session, organisation, parent: {}
    )
    labels: Mapping[str, str]  # Dutch label per form field
    step: int | None = None  # the Kwaliteitskompas step whose page shows these records
    # Shown before deleting: what else disappears with the record.
    delete_warning: str | None = None
    # Values a new form starts with, from its query string (an indicator picked from the BBV
    # catalogue: ?bbv=24).
    initial: Callable[[Mapping[str, str]], Mapping[str, Any] | None] | None = None
    # What the API shows of a record to this member, when not all of it (a live session's
    # join code is for the facilitators).
    shown: Callable[[Member, Any], Any] | None = None
    # Whether this member may see the record at all (a draft scenario is for the
    # facilitators); a record they may not see is answered as one that does not exist.
    visible: Callable[[Member, Any], bool] = lambda member, item: True
    # JSON Schema keywords (Dutch names) for the rules `write`'s validators check across
    # fields, so that the API document says all that a new record needs (`api_input`).
    api_rules: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        record_kinds.declare(self.model, self.label, self.labels)

    def form_id(self, item_id: int | None = None, parent_id: int | None = None) -> str:
        return f"edit-{self.name}-{item_id}" if item_id else f"new-{self.name}-{parent_id or 0}"

    def blank_form(self, parent_id: int | None = None) -> FormState:
        """An empty form, as a step page shows it inline."""
        return FormState(id=self.form_id(None, parent_id), labels=self.labels)

    def write_values(self, item: T) -> dict[str, Any]:
        return {name: getattr(item, name) for name in self.write.model_fields}


def _id_alias(name: str, api: bool) -> str:
    """The path parameter of a record's id: result_id on the pages, resultaatId in the API."""
    return dutch(f"{name}_id") if api else f"{name}_id"


def _parent_dependency(r: Resource[Any, Any], api: bool = False) -> Callable[..., Any]:
    if r.parent is None:

        def organisation_parent(member: CurrentMember) -> Organisation:
            return member.organisation

        return organisation_parent
    parent = r.parent

    def load_parent(
        session: SessionDep,
        member: CurrentMember,
        parent_id: Annotated[int, Path(alias=_id_alias(parent.name, api), ge=1, le=MAX_ID)],
    ) -> Any:
        return parent.get(session, member.organisation, parent_id)

    return load_parent


def _item_dependency(r: Resource[Any, Any], api: bool = False) -> Callable[..., Any]:
    def load_item(
        session: SessionDep,
        member: CurrentMember,
        item_id: Annotated[int, Path(alias=_id_alias(r.name, api), ge=1, le=MAX_ID)],
    ) -> Any:
        item = r.get(session, member.organisation, item_id)
        if not r.visible(member, item):
            raise NotFound(f"Dit {r.label} bestaat niet (meer).")
        return item

    return load_item


STALE_DELETE = (
    "Iemand anders heeft dit intussen gewijzigd, dus is het niet verwijderd. Bekijk de nieuwe "
    "versie en verwijder het daarna opnieuw als dat nog steeds de bedoeling is."
)
STALE_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd. Er is niets overschreven: vergelijk hieronder "
    "jouw invoer met wat nu is opgeslagen."
)


# JSON API


W = TypeVar("W", bound=BaseModel)


def merge_patch(schema: type[W], current: Mapping[str, Any], patch: BaseModel) -> W:
    """A PATCH applied to the stored state, validated as a whole (422 when the result is not)."""
    try:
        return schema.model_validate({**current, **patch.model_dump(exclude_unset=True)})
    except ValidationError as exc:
        errors = [
            {
                **error,
                "loc": (
                    "body",
                    *(dutch(part) if isinstance(part, str) else part for part in error["loc"]),
                ),
            }
            for error in exc.errors()
        ]
        raise RequestValidationError(errors) from None


def _tag(item: Any) -> str:
    """The record's version as the API shows it: with columns its version does not count (a
    result's priority, a round's status, see tables.Versioned) `shown_version`, which counts
    every change, so that a form opened before a reordering stays valid while every change a
    client can see is a new ETag and a new `versie`."""
    return str(item.shown_version if isinstance(item, Revised) else item.version)


def etag(item: Any) -> str:
    return f'W/"{_tag(item)}"'


def _matches(item: Any, header: str) -> bool:
    given = [tag.strip() for tag in header.split(",")]
    return "*" in given or etag(item) in given or f'"{_tag(item)}"' in given


def check_if_match(item: Any, if_match: str | None) -> None:
    """A write only goes ahead on the version the client last read: If-Match with the ETag
    of its last read (`*`: whatever is stored). Without it 428, with an older one 412: nobody
    overwrites a change they have not seen."""
    if if_match is None:
        raise PreconditionRequired(
            "Zeg met If-Match op welke versie je wijziging is gebaseerd: de ETag die je las."
        )
    if not _matches(item, if_match):
        raise PreconditionFailed(
            f"Dit is intussen gewijzigd (nu versie {_tag(item)}). Lees het opnieuw en pas je "
            "wijziging daarop toe."
        )


def changed(item: Any) -> None:
    """A change a client sees that is not in the record's own columns (a scenario's choices
    by hand): a new version, so a new ETag."""
    item.version += 1


def not_modified(item: Any, if_none_match: str | None) -> Response | None:
    """304 when the client already has this version (If-None-Match with its ETag)."""
    if if_none_match is not None and _matches(item, if_none_match):
        return Response(status_code=304, headers={"ETag": etag(item)})
    return None


def opened_version(form: Mapping[str, str]) -> int:
    """The version of the record a form was opened with. Every edit and delete form carries
    it; one without (or with something else) cannot show that its sender saw the latest."""
    value = form.get(VERSION_FIELD, "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise PreconditionRequired(
            "Dit formulier zegt niet welke versie je voor je had, dus is er niets opgeslagen. "
            "Laad de pagina opnieuw en probeer het nog eens."
        )
    return int(value)


def commit_or_conflict(session: Session) -> None:
    """Commit; a row that someone else changed or removed meanwhile becomes a 409, not a 500."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(
            "Iemand anders heeft dit tegelijk met jou gewijzigd of verwijderd. Er is niets "
            "overschreven; laad de pagina opnieuw."
        ) from None


IfMatch = Annotated[
    str,
    Header(
        alias="If-Match",
        description="De ETag van de versie waarop de wijziging is gebaseerd (of `*`). Zonder: "
        "428; een oudere versie: 412.",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(alias="If-None-Match", description="De ETag die je al hebt: 304 als die nog geldt."),
]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Ongewijzigd sinds de ETag in If-None-Match."}
}


def operation(verb: str, noun: str) -> str:
    """A short Dutch operation id: resultaatLezen, werkzameElementenOpvragen."""
    words = noun.replace("-", " ").split()
    return words[0][0].lower() + words[0][1:] + "".join(w.capitalize() for w in words[1:]) + verb


def add_api_routes(router: APIRouter, resource: Resource[Any, Any]) -> None:
    """list, read, create, update (PATCH) and delete under /api/v2."""
    r = resource
    Write = api_input(r.write, f"{r.api_name}Invoer", r.api_rules)
    Patch = api_patch(r.write, f"{r.api_name}Wijziging")
    Public = api_output(r.public, r.api_name)
    Page = page_model(Public, r.api_name)
    QueryDep = Annotated[
        Any, Depends(query_dependency(r.public, r.parent and f"{r.parent.name}_id"))
    ]
    ParentDep = Annotated[Any, Depends(_parent_dependency(r, api=True))]
    ItemDep = Annotated[Any, Depends(_item_dependency(r, api=True))]
    parent_segment = f"/{r.parent.plural}/{{{_id_alias(r.parent.name, True)}}}" if r.parent else ""
    collection = f"{parent_segment}/{r.plural}"
    item_path = f"/{r.plural}/{{{_id_alias(r.name, True)}}}"
    tags: list[str | Enum] = [r.plural]

    def show(member: Member, item: Any) -> Any:
        return r.shown(member, item) if r.shown else item

    @router.get(
        collection,
        response_model=Page,
        tags=tags,
        name=f"api:{r.name}:list",
        operation_id=operation("Opvragen", r.plural),
        summary=f"Alle {r.plural} opvragen",
        description="Een pagina tegelijk, met het totaal en links naar de andere pagina's.",
    )
    def list_items(
        request: Request,
        session: SessionDep,
        member: CurrentMember,
        parent: ParentDep,
        query: QueryDep,
    ) -> Any:
        visible = [item for item in r.list(session, parent) if r.visible(member, item)]
        table = str(r.model.__tablename__)  # a declared_attr to the stubs, a str on the class
        page = page_of(request, session, member.organisation, table, visible, query)
        return {**page, "items": [show(member, item) for item in page["items"]]}

    @router.post(
        collection,
        response_model=Public,
        status_code=201,
        tags=tags,
        name=f"api:{r.name}:create",
        operation_id=operation("Maken", r.api_name),
        summary=f"Nieuw: {r.label}",
    )
    def create_item(
        session: SessionDep,
        member: CurrentMember,
        parent: ParentDep,
        data: Write,  # type: ignore[valid-type]
        response: Response,
    ) -> Any:
        r.permission(session, member, "create", parent, None, data)
        item = r.create(session, parent, clean(data))
        commit_or_conflict(session)
        response.headers["ETag"] = etag(item)
        return show(member, item)

    @router.get(
        item_path,
        response_model=Public,
        tags=tags,
        name=f"api:{r.name}:read",
        operation_id=operation("Lezen", r.api_name),
        summary=f"Eén {r.label} lezen",
        responses=NOT_MODIFIED,
    )
    def read_item(
        member: CurrentMember, item: ItemDep, response: Response, if_none_match: IfNoneMatch = None
    ) -> Any:
        if unchanged := not_modified(item, if_none_match):
            return unchanged
        response.headers["ETag"] = etag(item)
        return show(member, item)

    @router.patch(
        item_path,
        response_model=Public,
        tags=tags,
        name=f"api:{r.name}:update",
        operation_id=operation("Wijzigen", r.api_name),
        summary=f"Een {r.label} wijzigen",
        description="Alleen de meegestuurde velden veranderen (JSON merge), en alleen als de "
        "opgeslagen versie nog die in `If-Match` is.",
    )
    def update_item(
        session: SessionDep,
        member: CurrentMember,
        item: ItemDep,
        data: Patch,  # type: ignore[valid-type]
        response: Response,
        if_match: IfMatch,
    ) -> Any:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "update", parent, item, None)
        check_if_match(item, if_match)
        full = clean(merge_patch(r.write, r.write_values(item), data))
        r.permission(session, member, "update", parent, item, full)
        item = r.update(session, item, full)
        commit_or_conflict(session)
        response.headers["ETag"] = etag(item)
        return show(member, item)

    @router.delete(
        item_path,
        status_code=204,
        tags=tags,
        name=f"api:{r.name}:delete",
        operation_id=operation("Verwijderen", r.api_name),
        summary=f"Een {r.label} verwijderen",
        description="Alleen als de opgeslagen versie nog die in `If-Match` is.",
    )
    def delete_item(
        session: SessionDep, member: CurrentMember, item: ItemDep, if_match: IfMatch
    ) -> Response:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "delete", parent, item, None)
        check_if_match(item, if_match)
        r.delete(session, item)
        commit_or_conflict(session)
        return Response(status_code=204)


# HTML forms


def safe_next(value: str | None) -> str | None:
    """Only paths on this site; never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@dataclass
class StaleForm:
    """A form sent for an older version of the record: what is stored now, field by field."""

    version: int
    stored: FormState


def add_form_routes(router: APIRouter, resource: Resource[Any, Any]) -> None:
    """new/create, edit/update and delete (with a confirmation page when JavaScript is off)."""
    r = resource
    ParentDep = Annotated[Any, Depends(_parent_dependency(r))]
    ItemDep = Annotated[Any, Depends(_item_dependency(r))]
    parent_segment = f"/{r.parent.path}/{{{r.parent.name}_id:int}}" if r.parent else ""
    collection = f"{parent_segment}/{r.path}"
    item_path = f"/{r.path}/{{{r.name}_id:int}}"

    def page(
        request: Request,
        session: Session,
        member: Member,
        *,
        parent: Any,
        item: Any | None,
        state: FormState,
        next_url: str | None,
        section: str | None,
        status_code: int = 200,
        stale: StaleForm | None = None,
    ) -> Response:
        parent_id = parent.id if r.parent else None  # organisation-level forms have one id
        state.id = r.form_id(getattr(item, "id", None), parent_id)
        state.labels = r.labels
        state.autofocus = next(iter(state.errors), None) or next(iter(r.labels))
        context = {
            "resource": r,
            "parent": parent,
            "item": item,
            "form": state,
            "version": stale.version if stale else getattr(item, "version", None),
            "stale": stale,
            "action": (
                request.app.url_path_for(f"{r.name}:update", **{f"{r.name}_id": item.id})
                if item is not None
                else request.url.path.removesuffix("/nieuw")
            ),
            "next": next_url or r.return_to(parent, item),
            "section": section,
            **r.context(session, member.organisation, parent),
        }
        if status_code != 200:
            return render_invalid_form(
                request, "form_page.html", context, form_id=state.id, status_code=status_code
            )
        return render(request, "form_page.html", context, block="form")

    @router.get(f"{collection}/nieuw", name=f"{r.name}:new")
    def new_item(
        request: Request, session: SessionDep, member: CurrentMember, parent: ParentDep
    ) -> Response:
        r.permission(session, member, "create", parent, None, None)
        start = r.initial(request.query_params) if r.initial else None
        return page(
            request,
            session,
            member,
            parent=parent,
            item=None,
            state=FormState.of(start) if start else FormState(),
            next_url=safe_next(request.query_params.get("next")),
            section=inline_section(request),
        )

    @router.post(collection, name=f"{r.name}:create")
    def create_item(
        request: Request,
        session: SessionDep,
        member: CurrentMember,
        parent: ParentDep,
        form: FormDep,
    ) -> Response:
        r.permission(session, member, "create", parent, None, None)
        next_url = safe_next(form.get(NEXT_FIELD))
        try:
            data = parse_form(r.write, form)
            r.permission(session, member, "create", parent, None, data)
            item = r.create(session, parent, data)
        except (FormInvalid, InvalidInput) as exc:
            state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
            return page(
                request,
                session,
                member,
                parent=parent,
                item=None,
                state=state,
                next_url=next_url,
                section=form.get(SECTION_FIELD),
                status_code=getattr(exc, "status_code", 422),
            )
        commit_or_conflict(session)
        return see_other(next_url or r.return_to(parent, item))

    @router.get(f"{item_path}/bewerken", name=f"{r.name}:edit")
    def edit_item(
        request: Request, session: SessionDep, member: CurrentMember, item: ItemDep
    ) -> Response:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "update", parent, item, None)
        return page(
            request,
            session,
            member,
            parent=parent,
            item=item,
            state=FormState.of(r.write_values(item)),
            next_url=safe_next(request.query_params.get("next")),
            section=inline_section(request),
        )

    @router.post(item_path, name=f"{r.name}:update")
    def update_item(
        request: Request,
        session: SessionDep,
        member: CurrentMember,
        item: ItemDep,
        form: FormDep,
    ) -> Response:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "update", parent, item, None)
        next_url = safe_next(form.get(NEXT_FIELD))
        section = form.get(SECTION_FIELD)
        if opened_version(form) != item.version:
            stored = FormState.of(r.write_values(item))
            stored.labels = r.labels
            return page(
                request,
                session,
                member,
                parent=parent,
                item=item,
                state=FormState(values=dict(form), errors={"__all__": STALE_MESSAGE}),
                next_url=next_url,
                section=section,
                status_code=409,
                stale=StaleForm(item.version, stored),
            )
        try:
            data = parse_form(r.write, form)
            r.permission(session, member, "update", parent, item, data)
            item = r.update(session, item, data)
        except (FormInvalid, InvalidInput) as exc:
            state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
            return page(
                request,
                session,
                member,
                parent=parent,
                item=item,
                state=state,
                next_url=next_url,
                section=section,
                status_code=getattr(exc, "status_code", 422),
            )
        commit_or_conflict(session)
        return see_other(next_url or r.return_to(parent, item))

    @router.get(f"{item_path}/verwijderen", name=f"{r.name}:confirm-delete")
    def confirm_delete(
        request: Request, session: SessionDep, member: CurrentMember, item: ItemDep
    ) -> Response:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "delete", parent, item, None)
        return render(
            request,
            "confirm_delete.html",
            {
                "resource": r,
                "item": item,
                "parent": parent,
                "next": safe_next(request.query_params.get("next")) or r.return_to(parent, None),
                **r.context(session, member.organisation, parent),
            },
        )

    @router.post(f"{item_path}/verwijderen", name=f"{r.name}:delete")
    def delete_item(
        session: SessionDep, member: CurrentMember, item: ItemDep, form: FormDep
    ) -> Response:
        parent = r.parent_of(session, member.organisation, item)
        r.permission(session, member, "delete", parent, item, None)
        if opened_version(form) != item.version:
            raise Conflict(STALE_DELETE)
        r.delete(session, item)
        commit_or_conflict(session)
        return see_other(safe_next(form.get(NEXT_FIELD)) or r.return_to(parent, None))
