"""Every PDF is PDF/UA-1 (app/pdf.py): what WeasyPrint's tags leave out is added (header cells'
scope, page margins as artifacts, captions first, links described by their text), and the
paper ballots of a live session are tagged like the report."""

from app.pdf import render_pdf
from app.sessions import running
from app.sessions.paper import ballot_pdf
from tests import factories
from tests.tagged_pdf import (
    HEADINGS,
    assert_pdf_ua,
    assert_tables_have_scoped_headers,
    read,
    squeeze,
)

PAGE = """<!DOCTYPE html><html lang="nl-NL"><head><meta charset="utf-8"><title>Proef</title>
<style>@page { @bottom-right { content: "pagina " counter(page) } }</style></head><body>
<h1>Proef</h1><p><a href="#tabel">Naar de tabel</a></p>
<h2 id="tabel">Tabel</h2>
<table><caption>Budget per partner</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Budget</th></tr></thead>
<tbody><tr><th scope="row">De Kern</th><td>€ 60.000</td></tr></tbody></table>
</body></html>"""


def test_what_weasyprint_leaves_out_is_added():
    doc = read(render_pdf(PAGE))
    assert_pdf_ua(doc, "Proef")
    assert [(h.kind, h.text) for h in doc.root.find_all(*HEADINGS)] == [
        ("H1", "Proef"),
        ("H2", "Tabel"),
    ]
    (table,) = doc.root.find_all("Table")
    assert [kid.kind for kid in table.kids] == ["Caption", "THead", "TBody"]
    assert squeeze(table.kids[0].text) == "Budgetperpartner"
    assert [(th.text, th.attributes["Scope"]) for th in table.find_all("TH")] == [
        ("Partner", "Column"),
        ("Budget", "Column"),
        ("De Kern", "Row"),
    ]
    assert doc.links == ["Naar de tabel"]  # not its target, "tabel"
    assert doc.artifacts == {"Pagination": 1} and doc.untagged == []
    assert "pagina" not in squeeze(doc.root.text)


def test_the_paper_ballots_are_pdf_ua(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", title="Welke gaan voor?")
    for text in ("Meer jongerenwerk", "Schuldhulp dichtbij"):
        running.add_item(session, round_, text)
    doc = read(ballot_pdf(session, live, round_, copies=2))
    assert_pdf_ua(doc, "Stembiljet Welke gaan voor?")
    assert [(h.kind, h.text) for h in doc.root.find_all(*HEADINGS)] == [
        ("H1", "Welke gaan voor?")
    ] * 2
    assert_tables_have_scoped_headers(doc)
    codes = [th for th in doc.root.find_all("TH") if th.attributes["Scope"] == "Row"]
    assert len(codes) == 4  # two choices on each of two sheets
