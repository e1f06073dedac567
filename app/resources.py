"""One description per kind of record, from which its JSON API and HTML form routes are built.

Every record in Kompas changes the same way: input is validated against the domain schema, one
service function changes the database, the route commits once and redirects (post/redirect/get)
or answers JSON. Writing that cycle once keeps the behaviour identical everywhere: 422 with a
Dutch message per field and the typed values kept, 404 for records of another organisation,
409 for closed cycles, and forms that work with and without JavaScript.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import FormDep, FormInvalid, FormState, invalid_input_state, parse_form
from app.organisations.deps import CurrentOrganisation
from app.organisations.models import Organisation
from app.templating import render, render_invalid_form, see_other

P = TypeVar("P")
T = TypeVar("T")

NEXT_FIELD = "_next"  # the page to return to after a successful form
SECTION_FIELD = "_sectie"  # the part of that page an inline form refreshes


@dataclass(frozen=True, kw_only=True)
class Parent(Generic[P]):
    """What a kind of record hangs under, and how to find it within the organisation."""

    name: str  # "cycle": the path parameter is cycle_id
    plural: str  # "cycles": the JSON API path segment
    path: str  # "cycli": the HTML path segment
    get: Callable[[Session, Organisation, int], P]


@dataclass(frozen=True, kw_only=True)
class Resource(Generic[P, T]):
    name: str  # "result"
    plural: str  # "results"
    label: str  # "resultaat"
    path: str  # "resultaten"
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

    def form_id(self, item_id: int | None = None, parent_id: int | None = None) -> str:
        return f"edit-{self.name}-{item_id}" if item_id else f"new-{self.name}-{parent_id or 0}"

    def blank_form(self, parent_id: int | None = None) -> FormState:
        """An empty form, as a step page shows it inline."""
        return FormState(id=self.form_id(None, parent_id), labels=self.labels)

    def write_values(self, item: T) -> dict[str, Any]:
        return {name: getattr(item, name) for name in self.write.model_fields}


# JSON API


def add_api_routes(router: APIRouter, resource: Resource[Any, Any]) -> None:
    """list, read, create, update (PATCH) and delete under /api/v1."""
    r = resource
    Write, Patch, Public = r.write, r.patch, r.public
    load_parent = _parent_dependency(r)
    ParentDep = Annotated[Any, Depends(load_parent)]
    collection = (
        f"/{r.parent.plural}/{{{r.parent.name}_id}}/{r.plural}" if r.parent else f"/{r.plural}"
    )
    item_path = f"/{r.plural}/{{{r.name}_id}}"
    tags = [r.plural]

    def load_item(
        session: SessionDep,
        organisation: CurrentOrganisation,
        item_id: Annotated[int, Path(alias=f"{r.name}_id")],
    ) -> Any:
        return r.get(session, organisation, item_id)

    ItemDep = Annotated[Any, Depends(load_item)]

    @router.get(collection, response_model=list[Public], tags=tags, name=f"api:{r.name}:list")
    def list_items(session: SessionDep, parent: ParentDep) -> Any:
        return r.list(session, parent)

    @router.post(
        collection, response_model=Public, status_code=201, tags=tags, name=f"api:{r.name}:create"
    )
    def create_item(session: SessionDep, parent: ParentDep, data: Write) -> Any:  # type: ignore[valid-type]
        item = r.create(session, parent, data)
        session.commit()
        return item

    @router.get(item_path, response_model=Public, tags=tags, name=f"api:{r.name}:read")
    def read_item(item: ItemDep) -> Any:
        return item

    @router.patch(item_path, response_model=Public, tags=tags, name=f"api:{r.name}:update")
    def update_item(session: SessionDep, item: ItemDep, data: Patch) -> Any:  # type: ignore[valid-type]
        item = r.update(session, item, merge_patch(Write, r.write_values(item), data))
        session.commit()
        return item

    @router.delete(item_path, status_code=204, tags=tags, name=f"api:{r.name}:delete")
    def delete_item(session: SessionDep, item: ItemDep) -> Response:
        r.delete(session, item)
        session.commit()
        return Response(status_code=204)


W = TypeVar("W", bound=BaseModel)


def merge_patch(schema: type[W], current: Mapping[str, Any], patch: BaseModel) -> W:
    """A PATCH applied to the stored state, validated as a whole (422 when the result is not)."""
    try:
        return schema.model_validate({**current, **patch.model_dump(exclude_unset=True)})
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def _parent_dependency(r: Resource[Any, Any]) -> Callable[..., Any]:
    if r.parent is None:

        def organisation_parent(organisation: CurrentOrganisation) -> Organisation:
            return organisation

        return organisation_parent
    parent = r.parent

    def load_parent(
        session: SessionDep,
        organisation: CurrentOrganisation,
        parent_id: Annotated[int, Path(alias=f"{parent.name}_id")],
    ) -> Any:
        return parent.get(session, organisation, parent_id)

    return load_parent


# HTML forms


def safe_next(value: str | None) -> str | None:
    """Only paths on this site; never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def add_form_routes(router: APIRouter, resource: Resource[Any, Any]) -> None:
    """new/create, edit/update and delete (with a confirmation page when JavaScript is off)."""
    r = resource
    load_parent = _parent_dependency(r)
    ParentDep = Annotated[Any, Depends(load_parent)]
    parent_segment = f"/{r.parent.path}/{{{r.parent.name}_id:int}}" if r.parent else ""
    collection = f"{parent_segment}/{r.path}"
    item_path = f"/{r.path}/{{{r.name}_id:int}}"

    def load_item(
        session: SessionDep,
        organisation: CurrentOrganisation,
        item_id: Annotated[int, Path(alias=f"{r.name}_id")],
    ) -> Any:
        return r.get(session, organisation, item_id)

    ItemDep = Annotated[Any, Depends(load_item)]

    def page(
        request: Request,
        session: Session,
        organisation: Organisation,
        *,
        parent: Any,
        item: Any | None,
        state: FormState,
        next_url: str | None,
        section: str | None,
        invalid: bool = False,
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
            "action": (
                request.app.url_path_for(f"{r.name}:update", **{f"{r.name}_id": item.id})
                if item is not None
                else request.url.path.removesuffix("/nieuw")
            ),
            "next": next_url or r.return_to(parent, item),
            "section": section,
            **r.context(session, organisation, parent),
        }
        if invalid:
            return render_invalid_form(request, "form_page.html", context, form_id=state.id)
        return render(request, "form_page.html", context, block="form")

    @router.get(f"{collection}/nieuw", name=f"{r.name}:new")
    def new_item(
        request: Request, session: SessionDep, organisation: CurrentOrganisation, parent: ParentDep
    ) -> Response:
        return page(
            request,
            session,
            organisation,
            parent=parent,
            item=None,
            state=FormState(),
            next_url=safe_next(request.query_params.get("next")),
            section=request.query_params.get("sectie"),
        )

    @router.post(collection, name=f"{r.name}:create")
    def create_item(
        request: Request,
        session: SessionDep,
        organisation: CurrentOrganisation,
        parent: ParentDep,
        form: FormDep,
    ) -> Response:
        next_url = safe_next(form.get(NEXT_FIELD))
        try:
            item = r.create(session, parent, parse_form(r.write, form))
        except (FormInvalid, InvalidInput) as exc:
            state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
            return page(
                request,
                session,
                organisation,
                parent=parent,
                item=None,
                state=state,
                next_url=next_url,
                section=form.get(SECTION_FIELD),
                invalid=True,
            )
        session.commit()
        return see_other(next_url or r.return_to(parent, item))

    @router.get(f"{item_path}/bewerken", name=f"{r.name}:edit")
    def edit_item(
        request: Request, session: SessionDep, organisation: CurrentOrganisation, item: ItemDep
    ) -> Response:
        return page(
            request,
            session,
            organisation,
            parent=r.parent_of(session, organisation, item),
            item=item,
            state=FormState.of(r.write_values(item)),
            next_url=safe_next(request.query_params.get("next")),
            section=request.query_params.get("sectie"),
        )

    @router.post(item_path, name=f"{r.name}:update")
    def update_item(
        request: Request,
        session: SessionDep,
        organisation: CurrentOrganisation,
        item: ItemDep,
        form: FormDep,
    ) -> Response:
        next_url = safe_next(form.get(NEXT_FIELD))
        parent = r.parent_of(session, organisation, item)
        try:
            item = r.update(session, item, parse_form(r.write, form))
        except (FormInvalid, InvalidInput) as exc:
            state = exc.state if isinstance(exc, FormInvalid) else invalid_input_state(exc, form)
            return page(
                request,
                session,
                organisation,
                parent=parent,
                item=item,
                state=state,
                next_url=next_url,
                section=form.get(SECTION_FIELD),
                invalid=True,
            )
        session.commit()
        return see_other(next_url or r.return_to(parent, item))

    @router.get(f"{item_path}/verwijderen", name=f"{r.name}:confirm-delete")
    def confirm_delete(
        request: Request, session: SessionDep, organisation: CurrentOrganisation, item: ItemDep
    ) -> Response:
        parent = r.parent_of(session, organisation, item)
        return render(
            request,
            "confirm_delete.html",
            {
                "resource": r,
                "item": item,
                "parent": parent,
                "next": safe_next(request.query_params.get("next")) or r.return_to(parent, None),
                **r.context(session, organisation, parent),
            },
        )

    @router.post(f"{item_path}/verwijderen", name=f"{r.name}:delete")
    def delete_item(
        session: SessionDep, organisation: CurrentOrganisation, item: ItemDep, form: FormDep
    ) -> Response:
        parent = r.parent_of(session, organisation, item)
        r.delete(session, item)
        session.commit()
        return see_other(safe_next(form.get(NEXT_FIELD)) or r.return_to(parent, None))
