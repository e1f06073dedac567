"""The "Wijzigingen" pages: every change to a theme, and to the organisation, with CSV export."""

from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from app import record_kinds
from app.audit import service as audit_service
from app.auth import CurrentMember, require_manager
from app.cycles import service as cycles_service
from app.db import SessionDep
from app.downloads import attachment
from app.ids import RecordId, record_id
from app.routing import SectionRouter
from app.templating import render

router = SectionRouter()


def _older_than(request: Request) -> int | None:
    """The page after the last entry shown (`?ouder-dan=<entry id>`)."""
    value = request.query_params.get("ouder-dan")
    return record_id(value, "ouder-dan") if value is not None else None


@router.get("/themas/{theme_id:int}/wijzigingen", name="theme:changes")
def theme_changes(
    request: Request, session: SessionDep, member: CurrentMember, theme_id: RecordId
) -> Response:
    theme = cycles_service.get_theme(session, member.organisation, theme_id)
    changes = audit_service.for_theme(session, member.organisation, theme_id, _older_than(request))
    return render(
        request,
        "audit/changes.html",
        {
            "theme": theme,
            "changes": changes,
            "kind_label": record_kinds.kind_label,
            "field_label": record_kinds.field_label,
            "nav": "themes",
            "page_size": audit_service.PAGE_SIZE,
        },
    )


def _csv(filename: str, changes) -> StreamingResponse:
    return StreamingResponse(
        audit_service.as_csv(changes),
        media_type="text/csv; charset=utf-8",
        headers=attachment(filename),
    )


@router.get("/themas/{theme_id:int}/wijzigingen.csv", name="theme:changes-csv")
def theme_changes_csv(session: SessionDep, member: CurrentMember, theme_id: RecordId) -> Response:
    theme = cycles_service.get_theme(session, member.organisation, theme_id)
    changes = audit_service.for_theme(session, member.organisation, theme_id, limit=None)
    return _csv(f"wijzigingen-{theme.name.lower()}.csv", changes)


@router.get("/wijzigingen", name="organisation:changes")
def organisation_changes(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    require_manager(member)
    changes = audit_service.for_organisation(session, member.organisation, _older_than(request))
    return render(
        request,
        "audit/changes.html",
        {
            "theme": None,
            "changes": changes,
            "kind_label": record_kinds.kind_label,
            "field_label": record_kinds.field_label,
            "nav": "members",
            "page_size": audit_service.PAGE_SIZE,
        },
    )


@router.get("/wijzigingen.csv", name="organisation:changes-csv")
def organisation_changes_csv(session: SessionDep, member: CurrentMember) -> Response:
    require_manager(member)
    changes = audit_service.for_organisation(session, member.organisation, limit=None)
    return _csv("wijzigingen-organisatie.csv", changes)
