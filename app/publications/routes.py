"""Published versions of the report: the members' page (`router`: publish, list, revoke, a new
link, the kept files) and the link for the council and partners (`public_router`, no account:
the token in the path is the only key)."""

from fastapi import Request
from starlette.responses import Response

from app.auth import CurrentMember, client_address, require_cycle_runner
from app.cycles import service as cycles_service
from app.cycles.models import Cycle
from app.db import SessionDep
from app.downloads import attachment
from app.ids import RecordId
from app.publications import service
from app.publications.models import Publication, PublicationFile
from app.routing import SectionRouter
from app.templating import render, see_other

router = SectionRouter()
public_router = SectionRouter()


def _download(found: PublicationFile) -> Response:
    return Response(found.content, media_type=found.media_type, headers=attachment(found.filename))


def _shared(request: Request, publication: Publication, token: str) -> Response:
    """The version with its link, shown this once (only its hash is kept)."""
    link = str(request.url_for("publication_link:page", token=token))
    return render(
        request,
        "publications/shared.html",
        {"publication": publication, "link": link, "nav": "reports"},
    )


@router.get("/publicaties", name="publications:list")
def list_page(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return render(
        request,
        "publications/list.html",
        {"published": service.list_publications(session, member.organisation), "nav": "reports"},
    )


def _publish(
    request: Request, session: SessionDep, member: CurrentMember, cycle: Cycle | None
) -> Response:
    require_cycle_runner(member)
    token, publication = service.publish(session, member.organisation, cycle, member.user.name)
    session.commit()
    return _shared(request, publication, token)


@router.post("/publicaties/organisatie", name="publications:publish-organisation")
def publish_organisation(request: Request, session: SessionDep, member: CurrentMember) -> Response:
    return _publish(request, session, member, None)


@router.post("/publicaties/cyclus/{cycle_id:int}", name="publications:publish-cycle")
def publish_cycle(
    request: Request, session: SessionDep, member: CurrentMember, cycle_id: RecordId
) -> Response:
    cycle = cycles_service.get_cycle(session, member.organisation, cycle_id)
    return _publish(request, session, member, cycle)


@router.post("/publicaties/{publication_id:int}/intrekken", name="publications:revoke")
def revoke(session: SessionDep, member: CurrentMember, publication_id: RecordId) -> Response:
    require_cycle_runner(member)
    publication = service.get_publication(session, member.organisation, publication_id)
    service.revoke(session, publication, member.user.name)
    session.commit()
    return see_other(f"/publicaties#versie-{publication.id}")


@router.post("/publicaties/{publication_id:int}/nieuwe-link", name="publications:renew")
def renew_link(
    request: Request, session: SessionDep, member: CurrentMember, publication_id: RecordId
) -> Response:
    require_cycle_runner(member)
    publication = service.get_publication(session, member.organisation, publication_id)
    token = service.renew_link(session, publication)
    session.commit()
    return _shared(request, publication, token)


@router.get("/publicaties/{publication_id:int}/{fmt}", name="publications:file")
def member_file(
    session: SessionDep, member: CurrentMember, publication_id: RecordId, fmt: str
) -> Response:
    publication = service.get_publication(session, member.organisation, publication_id)
    return _download(service.file_content(session, publication, fmt))


# The council's and partners' side: reached only through a link


@public_router.get("/gepubliceerd/{token}", name="publication_link:page")
def link_page(request: Request, session: SessionDep, token: str) -> Response:
    published = service.open_link(session, token, client_address(request))
    return render(request, "publications/public.html", {"published": published, "token": token})


@public_router.get("/gepubliceerd/{token}/{fmt}", name="publication_link:file")
def link_file(request: Request, session: SessionDep, token: str, fmt: str) -> Response:
    published = service.open_link(session, token, client_address(request))
    return _download(service.file_content(session, published.publication, fmt))
