"""Published versions: a procesbegeleider makes the report definitief, its files are kept as
they were made, the council opens them through a link without an account, and the link can be
revoked or replaced."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.audit.models import AuditEntry
from app.cycles import service as cycles_service
from app.organisations import service as organisations_service
from app.organisations.models import Role
from app.publications import service as publications_service
from app.reports.formats import ExportFormat
from tests import factories
from tests.mail_server import subject_of, text_of
from tests.reports.conftest import fill_report_cycle

LINK = re.compile(r"http://testserver/gepubliceerd/([\w-]+)")


@pytest.fixture
def cycle(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    fill_report_cycle(session, organisation, cycle, factories.make_partner(session, organisation))
    return cycle


@pytest.fixture
def facilitator(client_as):
    return client_as(Role.FACILITATOR)


def _publish(client, path: str) -> str:
    response = client.post(path)
    assert response.status_code == 200, response.text
    assert "Kompas bewaart hem niet" in response.text
    return LINK.search(response.text).group(1)


def _sheet_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_council_opens_a_published_version_without_an_account(
    facilitator, anonymous, session, organisation, cycle
):
    page = facilitator.get(f"/cycli/{cycle.id}/rapportage")
    assert "Definitief maken en delen" in page.text
    token = _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")

    listed = facilitator.get("/publicaties").text
    assert "versie 1" in listed and "Gedeeld" in listed
    assert all(label in listed for label in ("PDF", "Word-bestand", "Excel-bestand"))

    public = anonymous.get(f"/gepubliceerd/{token}")
    assert public.status_code == 200
    assert "Definitieve versie 1" in public.text and "Inloggen" not in public.text
    pdf = anonymous.get(f"/gepubliceerd/{token}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Meer inwoners vinden duurzaam werk" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "versie%201" in pdf.headers["content-disposition"]
    docx = anonymous.get(f"/gepubliceerd/{token}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert anonymous.get(f"/gepubliceerd/{token}/csv").status_code == 404

    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "publication")).one()
    assert entry.organisation_id == organisation.id and entry.label.startswith("Voortgangs")


def test_a_published_version_s_cover_says_definitief_and_its_number(facilitator, anonymous, cycle):
    concept = PdfReader(
        io.BytesIO(facilitator.get(f"/cycli/{cycle.id}/rapportage/pdf/bestand").content)
    )
    assert "Status: Concept" in concept.pages[0].extract_text()
    _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    token = _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    cover = PdfReader(io.BytesIO(anonymous.get(f"/gepubliceerd/{token}/pdf").content)).pages[0]
    lines = [" ".join(line.split()) for line in cover.extract_text().splitlines()]
    assert "Status: Definitief" in lines
    assert any(line.startswith("Versie: 2, stand van ") for line in lines), lines
    workbook = load_workbook(io.BytesIO(anonymous.get(f"/gepubliceerd/{token}/xlsx").content))
    rows = {row[0]: row[1] for row in workbook["Verslag"].iter_rows(values_only=True)}
    assert rows["Status"] == "Definitief" and rows["Versie"].startswith("2, stand van ")


def test_later_edits_make_a_new_concept_and_never_change_what_was_published(
    facilitator, anonymous, session, cycle
):
    token = _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    factories.make_result(session, cycle, "Meer jongeren maken hun school af")
    session.commit()

    published = anonymous.get(f"/gepubliceerd/{token}/xlsx").content
    assert "Meer inwoners vinden duurzaam werk" in _sheet_text(published)
    assert "Meer jongeren maken hun school af" not in _sheet_text(published)
    concept = facilitator.get(f"/cycli/{cycle.id}/rapportage/xlsx/bestand").content
    assert "Meer jongeren maken hun school af" in _sheet_text(concept)

    second = _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    assert "Meer jongeren maken hun school af" in _sheet_text(
        anonymous.get(f"/gepubliceerd/{second}/xlsx").content
    )
    assert anonymous.get(f"/gepubliceerd/{token}/xlsx").content == published
    listed = facilitator.get("/publicaties").text
    assert "versie 2" in listed and "versie 1" in listed


def test_a_revoked_link_stops_and_a_new_link_replaces_the_old(facilitator, anonymous, cycle):
    token = _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    publication_id = re.search(r'id="versie-(\d+)"', facilitator.get("/publicaties").text).group(1)

    revoked = facilitator.post(f"/publicaties/{publication_id}/intrekken", follow_redirects=False)
    assert revoked.status_code == 303
    gone = anonymous.get(f"/gepubliceerd/{token}")
    assert gone.status_code == 410 and "de link is ingetrokken" in gone.text
    assert anonymous.get(f"/gepubliceerd/{token}/pdf").status_code == 410
    assert "Link ingetrokken" in facilitator.get("/publicaties").text
    # members still have the kept files
    assert facilitator.get(f"/publicaties/{publication_id}/pdf").status_code == 200

    renewed = facilitator.post(f"/publicaties/{publication_id}/nieuwe-link")
    new_token = LINK.search(renewed.text).group(1)
    assert anonymous.get(f"/gepubliceerd/{new_token}").status_code == 200
    assert anonymous.get(f"/gepubliceerd/{token}").status_code == 404


def test_the_whole_organisations_report_is_published_as_its_own_series(facilitator, cycle):
    token = _publish(facilitator, "/publicaties/organisatie")
    assert token
    listed = facilitator.get("/publicaties").text
    assert "Hele organisatie" in listed


def test_a_lezer_reads_the_versions_but_cannot_publish_or_revoke(client_as, facilitator, cycle):
    _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    publication_id = re.search(r'id="versie-(\d+)"', facilitator.get("/publicaties").text).group(1)
    reader = client_as(Role.READER)
    assert "Definitief maken en delen" not in reader.get(f"/cycli/{cycle.id}/rapportage").text
    listed = reader.get("/publicaties").text
    assert "versie 1" in listed and "Link intrekken" not in listed
    assert reader.get(f"/publicaties/{publication_id}/xlsx").status_code == 200
    assert reader.post(f"/publicaties/cyclus/{cycle.id}").status_code == 403
    assert reader.post(f"/publicaties/{publication_id}/intrekken").status_code == 403
    assert reader.post(f"/publicaties/{publication_id}/nieuwe-link").status_code == 403


def test_another_organisation_sees_nothing_of_it(client_as, session, facilitator, cycle):
    _publish(facilitator, f"/publicaties/cyclus/{cycle.id}")
    publication_id = re.search(r'id="versie-(\d+)"', facilitator.get("/publicaties").text).group(1)
    elsewhere = client_as(Role.ADMIN, of=factories.make_organisation(session))
    assert "versie 1" not in elsewhere.get("/publicaties").text
    assert elsewhere.get(f"/publicaties/{publication_id}/pdf").status_code == 404
    assert elsewhere.post(f"/publicaties/{publication_id}/intrekken").status_code == 404
    assert elsewhere.post(f"/publicaties/cyclus/{cycle.id}").status_code == 404


def test_an_unknown_link_is_explained(anonymous):
    response = anonymous.get("/gepubliceerd/" + "x" * 43)
    assert response.status_code == 404 and "Deze link bestaat niet" in response.text


def test_the_partners_in_a_published_report_hear_of_it(
    session, organisation, cycle, relay, deliver, monkeypatch
):
    """Publishing mails each partner with an activity in the report, in the same transaction
    (the report's files made here as one small file: the real ones take seconds)."""
    for partner in organisations_service.list_partners(session, organisation):
        factories.make_member(session, organisation, Role.PARTNER, partner=partner)
    elsewhere = factories.make_partner(session, organisation, "Niet in dit rapport")
    factories.make_member(session, organisation, Role.PARTNER, partner=elsewhere)
    small = ExportFormat("txt", "Tekst", "text/plain", lambda report: report.scope.encode())
    monkeypatch.setattr(publications_service, "FORMATS", {"txt": small})
    loaded = cycles_service.get_cycle(session, organisation, cycle.id)
    _, publication = publications_service.publish(session, organisation, loaded, "Joost Mulder")
    assert deliver() == 1
    [message] = relay.received
    assert "heeft een rapportage definitief gemaakt waarin" in subject_of(message)
    assert f"{publication.title} definitief gemaakt (versie 1)" in text_of(message)
    assert "https://kompas.example.org/publicaties" in text_of(message)
