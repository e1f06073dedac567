"""The exit: `kompas export --organisation kampen` and `kompas import` into another
installation. The imported organisation's council report is the original's, and nothing of
another organisation leaves with it."""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, SQLModel, select
from typer.testing import CliRunner

from app import archive, migrate, tenancy
from app.auth import ACTOR, Member
from app.cli import app
from app.db import make_engine
from app.organisations.models import Membership, Organisation, User
from app.publications.models import Publication, PublicationFile
from app.reports import service as reports_service
from app.reports.pdf import print_html
from app.scenarios import service as scenarios_service
from bench.databases import fresh_database

runner = CliRunner()
# An anchor in the report: id="resultaat-6", href="#thema-2", aria-labelledby="gekost-2".
ANCHOR = re.compile(r"(?<=[\"# ])([a-z]+(?:-[a-z]+)*)-(\d+)(?=[-\" ])")
REPORT_DAY = datetime(2026, 12, 7, 12, tzinfo=UTC)  # the report says the day it was made
FILE = b"%PDF-1.7 the published report, byte for byte \x00\xff"


@pytest.fixture
def use(monkeypatch) -> Iterator:
    """Point the `kompas` command at a database."""
    engines = []

    def point_at(url: str) -> sa.Engine:
        engine = make_engine(url)
        engines.append(engine)
        monkeypatch.setattr("app.cli.db.engine", engine)
        return engine

    yield point_at
    for engine in engines:
        engine.dispose()


def organisation(session: Session, slug: str) -> Organisation:
    return session.exec(select(Organisation).where(Organisation.slug == slug)).one()


def report_html(engine: sa.Engine, slug: str) -> str:
    """The organisation's council report as HTML, its anchors numbered in order of appearance:
    they carry record ids, which another installation gives out anew."""
    with Session(engine) as session, time_machine.travel(REPORT_DAY, tick=False):
        html = print_html(reports_service.organisation_report(session, organisation(session, slug)))
    numbers: dict[str, dict[str, int]] = {}

    def renumber(found: re.Match) -> str:
        seen = numbers.setdefault(found[1], {})
        return f"{found[1]}-{seen.setdefault(found[2], len(seen) + 1)}"

    return ANCHOR.sub(renumber, html)


def prepare(engine: sa.Engine) -> None:
    """What the demo lacks: Kampen's procesbegeleider adopts a budget scenario (its snapshot
    names cycles and activities by id, and the report shows it per cycle) and a version of the
    report is published with its file (made by hand: the real files take seconds, and the
    archive treats every byte the same)."""
    with Session(engine, expire_on_commit=False) as session:
        kampen = organisation(session, "kampen")
        if session.exec(select(Publication).where(Publication.scope == "test")).first():
            return
        membership = session.exec(
            select(Membership)
            .join(User)
            .where(User.email == "procesbegeleider@kampen.example.org")
            .where(Membership.organisation_id == kampen.id)
            .options(selectinload(Membership.user), selectinload(Membership.organisation))
        ).one()
        member = Member(membership.user, membership)
        session.info[ACTOR] = member  # the audit log names him
        scenario = next(
            s
            for s in scenarios_service.list_scenarios(session, kampen)
            if scenarios_service.outcome(session, s).feasible
        )
        kept = [r.id for r in scenarios_service.outcome(session, scenario).activities]
        scenarios_service.adopt(session, scenario, "Vastgesteld.", member, strengthen=kept[:1])
        publication = Publication(
            organisation_id=kampen.id,
            scope="test",
            version=1,
            title="Voortgangsrapportage",
            scope_label="Gemeente Kampen",
            published_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
            published_by="Joost Mulder",
            token_hash="a" * 64,
        )
        session.add(publication)
        session.flush()
        session.add(
            PublicationFile(
                publication_id=publication.id,
                format="pdf",
                filename="rapportage.pdf",
                media_type="application/pdf",
                size=len(FILE),
                content=FILE,
            )
        )
        session.commit()


def audit_references(engine: sa.Engine, slug: str) -> list[tuple]:
    """Each audit entry of the organisation with the ids it holds replaced by what they name:
    the theme, the cycle, the record (its values other than ids), the actor's e-mail."""
    tables = SQLModel.metadata.tables
    with Session(engine) as session:
        owner = organisation(session, slug).id
    with engine.connect() as connection:
        loaded: dict[str, dict[int, str]] = {}

        def named(table: str, id_: int | None) -> str | None:
            if table not in loaded:
                rows = connection.execute(tenancy.rows_of(table, owner))
                loaded[table] = {
                    row.id: repr(without_ids(tables[table], row._asdict())) for row in rows
                }
            return loaded[table].get(id_)

        entry, user = tables["audit_entry"], tables["user_account"]
        entries = connection.execute(
            sa.select(entry, user.c.email)
            .outerjoin(user, user.c.id == entry.c.actor_id)
            .where(entry.c.organisation_id == owner)
            .order_by(entry.c.at, entry.c.id)
        ).all()
        return [
            (
                e.email,
                e.label,
                named("theme", e.theme_id),
                named("cycle", e.cycle_id),
                named(e.entity, e.entity_id) if e.entity in tables else e.entity_id,
            )
            for e in entries
        ]


def without_ids(table: sa.Table, row: dict) -> dict:
    return {
        name: value
        for name, value in row.items()
        if not (table.c[name].foreign_keys or table.c[name].primary_key)
        and (table.name, name) not in archive.PLAIN_REFERENCES
    }


def content(engine: sa.Engine, slug: str) -> dict[str, list]:
    """Every exported table's rows of the organisation without the ids (which differ by
    design), in a stable order."""
    with Session(engine) as session:
        owner = organisation(session, slug).id
    ids = {
        (table.name, column.name)
        for table in archive.exported_tables()
        for column in table.columns
        if (column.primary_key and column.name == "id") or column.foreign_keys
    } | set(archive.PLAIN_REFERENCES)
    found = {}
    with engine.connect() as connection:
        for table in archive.exported_tables():
            kept = [c for c in table.columns if (table.name, c.name) not in ids]
            rows = connection.execute(tenancy.rows_of(table, owner, *kept))
            found[table.name] = sorted(repr(tuple(row)) for row in rows)
    return found


def test_an_organisation_moves_to_another_installation(demo_database, backend, tmp_path, use):
    """Huizen arrives first, so Kampen's records get other ids than they had; the
    procesbegeleider of both keeps one account."""
    source = use(demo_database)
    prepare(source)
    for slug in ("huizen", "kampen"):
        exported = runner.invoke(app, ["export", "--organisation", slug, str(tmp_path / slug)])
        assert exported.exit_code == 0, exported.output

    with fresh_database(backend, tmp_path) as other:
        migrate.upgrade(other)
        target = use(other)
        for slug in ("huizen", "kampen"):
            imported = runner.invoke(app, ["import", str(tmp_path / slug)])
            assert imported.exit_code == 0, imported.output

        original = report_html(source, "kampen")
        assert "Voortgangsrapportage" in original
        assert report_html(target, "kampen") == original
        assert content(target, "kampen") == content(source, "kampen")
        audited = audit_references(source, "kampen")
        assert any(entity is not None for *_, entity in audited)
        # Who did it survives the move (the actor by e-mail address, not by id).
        assert "procesbegeleider@kampen.example.org" in {email for email, *_ in audited}
        assert audit_references(target, "kampen") == audited
        with Session(target) as session:
            assert organisation(session, "kampen").id != 1
            (kept,) = session.exec(select(PublicationFile)).all()
            assert kept.content == FILE
            shared = session.exec(
                select(User).where(User.email == "procesbegeleider@kampen.example.org")
            ).one()
            assert (
                len(session.exec(select(Membership).where(Membership.user_id == shared.id)).all())
                == 2
            )

        again = runner.invoke(app, ["import", str(tmp_path / "kampen")])
        assert again.exit_code != 0
        assert "al een organisatie 'kampen'" in again.output
        with Session(target) as session:
            assert len(session.exec(select(Organisation)).all()) == 2


def texts(engine: sa.Engine, slug: str) -> set[str]:
    """Every text of some length in the organisation's rows."""
    with Session(engine) as session:
        owner = organisation(session, slug).id
    found = set()
    with engine.connect() as connection:
        for table in tenancy.owned_tables():
            for row in connection.execute(tenancy.rows_of(table, owner)):
                found |= {v for v in row if isinstance(v, str) and len(v) >= 12}
    return found


def strings(value) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


def test_nothing_of_another_organisation_leaves(demo_database, tmp_path, use):
    """Huizen shares a procesbegeleider with Kampen: of him only his name and address go,
    with his membership of Kampen."""
    source = use(demo_database)
    exported = runner.invoke(
        app, ["export", "--organisation", "kampen", str(tmp_path / "kampen.zip")]
    )
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(tmp_path / "kampen.zip") as made:
        values = {
            value
            for name in made.namelist()
            if name.endswith(".json")
            for value in strings(json.loads(made.read(name)))
        }
        people = json.loads(made.read("tabellen/user_account.json"))
        memberships = json.loads(made.read("tabellen/membership.json"))
        manifest = json.loads(made.read("archief.json"))
        for listed in manifest["tabellen"]:  # each table as JSON and as the same rows in CSV
            as_json = json.loads(made.read(listed["json"]))
            header, *as_csv = csv.reader(
                io.StringIO(made.read(listed["csv"]).decode()), delimiter=";"
            )
            assert len(as_json) == len(as_csv) == listed["rijen"], listed["naam"]
            assert all(list(row) == header for row in as_json), listed["naam"]
            assert all(len(row) == len(header) for row in as_csv), listed["naam"]
    only_huizen = texts(source, "huizen") - texts(source, "kampen")
    assert "Gemeente Huizen" in only_huizen
    assert "Gemeente Kampen" in values
    assert only_huizen & values == set()
    assert not any("huizen.example.org" in value for value in values)
    shared = next(p for p in people if p["email"] == "procesbegeleider@kampen.example.org")
    assert set(shared) == set(archive.PERSON_COLUMNS)  # no password hash
    with Session(source) as session:
        kampen = organisation(session, "kampen").id
    assert {m["organisation_id"] for m in memberships} == {kampen}
    assert sum(m["user_id"] == shared["id"] for m in memberships) == 1
    assert manifest["organisatie"] == "kampen"
    assert {t["naam"] for t in manifest["tabellen"]} == {
        t.name for t in archive.exported_tables()
    } | {"user_account"}


def test_every_id_the_schema_does_not_declare_is_followed():
    """A JSON column or a plain *_id column may hold ids that the import must follow: each is
    declared in archive.PLAIN_REFERENCES with the tables it names, so the import follows it.
    (A JSON column that holds no id is declared with no tables.)"""
    declared = set(archive.PLAIN_REFERENCES)
    for table in archive.exported_tables():
        for column in table.columns:
            hidden = isinstance(column.type, sa.JSON) or (
                column.name.endswith("_id") and not column.foreign_keys
            )
            if hidden:
                assert (table.name, column.name) in declared, f"{table.name}.{column.name}"


def test_an_unknown_organisation_or_file_is_refused(demo_database, tmp_path, use):
    use(demo_database)
    missing = runner.invoke(app, ["export", "--organisation", "nergens", str(tmp_path / "a.zip")])
    assert missing.exit_code != 0
    assert "geen organisatie 'nergens'" in missing.output
    (tmp_path / "b.zip").write_bytes(b"not an archive")
    wrong = runner.invoke(app, ["import", str(tmp_path / "b.zip")])
    assert wrong.exit_code != 0
    assert "geen archief" in wrong.output


def test_an_archive_of_another_schema_version_is_refused(demo_database, tmp_path, use):
    use(demo_database)
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as made:
        made.writestr(
            archive.MANIFEST,
            json.dumps(
                {
                    "formaat": archive.FORMAT,
                    "formaatversie": archive.FORMAT_VERSION,
                    "schemaversie": "0123456789ab",
                    "organisatie": "elders",
                }
            ),
        )
    refused = runner.invoke(app, ["import", str(tmp_path / "old.zip")])
    assert refused.exit_code != 0
    assert "schemaversie 0123456789ab" in refused.output
