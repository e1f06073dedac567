"""Publishing a report: a procesbegeleider marks the report of a theme cycle, or of the whole
organisation, definitief. Kompas then makes its files once (PDF, Word, Excel) and keeps them
byte for byte, so later edits make new concepts and never change what was published. The
version gets a link for the council and partners without an account: a random token, stored
only as its keyed hash (as partner links are), shown once, revocable, and replaceable by a new
one. Openings of unknown links are throttled per address with the partner links'
(`partner_requests.service.opened_by`).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app import secret_hashing, tenancy
from app.cycles.models import Cycle
from app.db import reading
from app.errors import Conflict, NotFound
from app.organisations.models import Organisation
from app.partner_requests.service import LinkGone, opened_by
from app.publications import mails
from app.publications.models import WHOLE_ORGANISATION, Publication, PublicationFile
from app.reports import service as reports_service
from app.reports.content import DEFINITIVE
from app.reports.formats import FORMATS, export_format
from app.tables import utc_now


@dataclass(frozen=True)
class FileInfo:
    format: str
    label: str
    filename: str
    size: int


@dataclass(frozen=True)
class Published:
    publication: Publication
    files: list[FileInfo]


def _hash(token: str) -> str:
    return secret_hashing.digest("publication:" + token)


def _scope(cycle: Cycle | None) -> str:
    return WHOLE_ORGANISATION if cycle is None else f"cyclus-{cycle.id}"


def list_publications(session: Session, organisation: Organisation) -> list[Published]:
    """The organisation's published versions, newest first, each with its files' names and
    sizes (not their contents)."""
    publications = session.exec(
        select(Publication)
        .where(Publication.organisation_id == organisation.id)
        .order_by(col(Publication.published_at).desc(), col(Publication.id).desc())
    ).all()
    return _with_files(session, publications)


def get_publication(
    session: Session, organisation: Organisation, publication_id: int
) -> Publication:
    return tenancy.owned(
        session,
        Publication,
        organisation.id,
        publication_id,
        "Deze gepubliceerde versie bestaat niet.",
    )


def publish(
    session: Session, organisation: Organisation, cycle: Cycle | None, published_by: str
) -> tuple[str, Publication]:
    """Make the report's files now and keep them as the next version of its scope; the token
    of its link is returned once and never stored. `cycle` with its theme loaded."""
    scope = _scope(cycle)
    with reading(session):  # the slow part holds no write lock
        if cycle is None:
            report = reports_service.organisation_report(session, organisation)
            title = f"Voortgangsrapportage {organisation.name}"
        else:
            report = reports_service.cycle_report(session, organisation, cycle)
            title = f"Voortgangsrapportage {organisation.name} {cycle.theme.name} {cycle.period}"
        latest = session.exec(
            select(func.max(Publication.version)).where(
                Publication.organisation_id == organisation.id, Publication.scope == scope
            )
        ).one()
        version = (latest or 0) + 1
        # The cover says so: definitief, this version, and the state of the data it shows.
        cover = replace(
            report.cover, status=DEFINITIVE, version=f"{version}, {report.cover.version}"
        )
        report = replace(report, cover=cover)
        made = {fmt.key: fmt.make(report) for fmt in FORMATS.values()}
    token = secret_hashing.new_secret()
    now = utc_now()
    assert organisation.id is not None  # a stored organisation
    publication = Publication(
        organisation_id=organisation.id,
        cycle_id=cycle.id if cycle else None,
        scope=scope,
        version=version,
        title=title,
        scope_label=report.scope,
        published_at=now,
        published_by=published_by,
        token_hash=_hash(token),
    )
    session.add(publication)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            "Iemand anders maakte tegelijk een versie definitief. Er is niets opgeslagen; "
            "probeer het opnieuw."
        ) from None
    assert publication.id is not None  # flushed
    name = f"{title} versie {version} {now.date().isoformat()}".replace("–", "-")
    session.add_all(
        PublicationFile(
            publication_id=publication.id,
            format=key,
            filename=f"{name}.{key}",
            media_type=FORMATS[key].media_type,
            size=len(content),
            content=content,
        )
        for key, content in made.items()
    )
    session.flush()
    mails.published(session, organisation, publication, report)
    return token, publication


def revoke(session: Session, publication: Publication, revoked_by: str) -> None:
    if publication.revoked_at is None:
        publication.revoked_at = utc_now()
        publication.revoked_by = revoked_by
        session.add(publication)
        session.flush()


def renew_link(session: Session, publication: Publication) -> str:
    """A new link for the version (the old one stops working, a revoked version opens again)."""
    token = secret_hashing.new_secret()
    publication.token_hash = _hash(token)
    publication.revoked_at = None
    publication.revoked_by = None
    session.add(publication)
    session.flush()
    return token


def open_link(session: Session, token: str, address: str) -> Published:
    """The version a link opens, for someone at `address` without an account."""
    publication = opened_by(session, address, lambda: _find(session, token))
    return _with_files(session, [publication])[0]


def _find(session: Session, token: str) -> Publication | None:
    if not 20 <= len(token) <= 100:
        return None
    publication = session.exec(
        select(Publication).where(Publication.token_hash == _hash(token))
    ).first()
    if publication is not None and publication.revoked_at is not None:
        raise LinkGone(
            "Deze versie is niet meer gedeeld: de link is ingetrokken. Vraag de gemeente om "
            "een nieuwe link."
        )
    return publication


def _with_files(session: Session, publications: Sequence[Publication]) -> list[Published]:
    """Each publication with its files' names and sizes, in the order of FORMATS."""
    files: dict[int, list[FileInfo]] = defaultdict(list)
    rows = session.exec(
        select(
            PublicationFile.publication_id,
            PublicationFile.format,
            PublicationFile.filename,
            PublicationFile.size,
        ).where(col(PublicationFile.publication_id).in_([p.id for p in publications]))
    ).all()
    for publication_id, fmt, filename, size in rows:
        files[publication_id].append(FileInfo(fmt, FORMATS[fmt].label, filename, size))
    order = list(FORMATS)
    return [
        Published(p, sorted(files[p.id or 0], key=lambda f: order.index(f.format)))
        for p in publications
    ]


def file_content(session: Session, publication: Publication, fmt: str) -> PublicationFile:
    """One published file with its bytes."""
    export_format(fmt)
    found = session.get(PublicationFile, (publication.id, fmt))
    if found is None:
        raise NotFound("Dit bestand hoort niet bij deze versie.")
    return found
