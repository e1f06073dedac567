"""The verslag as a record: every proposal as it was sent (merged and hidden ones marked),
counts that say what they count, people on phones apart from paper ballots, and Dutch decimal
commas in the CSV."""

import io

from docx import Document
from sqlmodel import select

from app.sessions import running
from app.sessions.models import LiveSession, Round, RoundItem
from tests import factories
from tests.sessions.test_routes import post, send
from tests.tagged_pdf import assert_pdf_ua, read, squeeze


def test_the_verslag_keeps_every_proposal_and_counts_people_not_ballots(
    client, session, organisation, phones
):
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    inbreng = factories.make_round(session, live, "input", title="Ideeën")
    scores = factories.make_round(session, live, "scoring", title="Scoren", criteria="impact")
    dots = factories.make_round(session, live, "dots", title="Stippen", dots=1)
    running.start_round(session, inbreng)
    gemeente, inwoner = phones(live.join_code, "municipality"), phones(live.join_code, "resident")
    for phone, text in [(gemeente, "Maatje"), (gemeente, "Een maatje"), (inwoner, "Reclame")]:
        assert send(phone, "inbreng", ronde=inbreng.id, tekst=text).status_code == 200
    sent = {
        i.text: i for i in session.exec(select(RoundItem).where(RoundItem.round_id == inbreng.id))
    }
    running.merge_item(session, sent["Een maatje"], sent["Maatje"])
    running.set_item_hidden(session, sent["Reclame"], True)
    running.close_round(session, session.get_one(Round, inbreng.id))

    scores = session.get_one(Round, scores.id)
    item = running.add_item(session, scores, "Schuldhulp")
    running.start_round(session, scores)
    for phone, score in [(gemeente, "3"), (inwoner, "4")]:
        answer = send(phone, "scores", ronde=scores.id, **{f"score-{item.id}-0": score})
        assert answer.status_code == 200
    running.close_round(session, session.get_one(Round, scores.id))
    dots = session.get_one(Round, dots.id)
    choice = running.add_item(session, dots, "Werk")
    running.start_round(session, dots)
    post(
        client,
        f"/rondes/{dots.id}/papier",
        {"perspectief": "resident", f"stippen-{choice.id}": "1"},
    )

    page = client.get(f"/sessies/{live.id}/verslag").text
    assert "2 deelnemers met een telefoon" in page
    assert "Daarnaast 1 papieren stembiljet ingevoerd" in page
    assert "2 voorstellen van 1 deelnemer" in page  # the hidden one not counted
    assert "Alle 3 voorstellen zoals ingestuurd" in page
    merged = page[page.index(f'id="ingestuurd-{sent["Een maatje"].id}"') :]
    assert merged.split("</li>")[0].endswith(
        f"samengevoegd met nr. {sent['Maatje'].number})</span>"
    )
    hidden = page[page.index(f'id="ingestuurd-{sent["Reclame"].id}"') :]
    assert "verborgen)" in hidden.split("</li>")[0]

    csv = client.get(f"/sessies/{live.id}/verslag.csv").text
    lines = csv.splitlines()
    assert lines[1].split(";")[7] == "2"  # aanwezig: the two phones
    assert lines[2].startswith("papieren stembiljetten;") and lines[2].split(";")[7] == "1"
    schuldhulp = next(line for line in lines if ";Schuldhulp;" in line).split(";")
    assert schuldhulp[6] == "3,5"  # a Dutch decimal comma


def _held(session, organisation, phones):
    """A closed session: an inbreng round with a rewritten, a clustered and a never approved
    proposal, and a dot round with a decimal-free tally."""
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    inbreng = factories.make_round(session, live, "input", title="Ideeën", approve_first=True)
    dots = factories.make_round(session, live, "dots", title="Stippen", dots=2)
    running.start_round(session, inbreng)
    session.commit()
    phone = phones(live.join_code, "resident")
    for text in ("Maatje", "Een maatje", "Reclame"):
        assert send(phone, "inbreng", ronde=inbreng.id, tekst=text).status_code == 200
    sent = {
        i.text: i for i in session.exec(select(RoundItem).where(RoundItem.round_id == inbreng.id))
    }
    running.approve_item(session, sent["Maatje"])
    running.edit_item(session, sent["Maatje"], "Een maatje voor elke nieuwkomer")
    running.merge_item(session, sent["Een maatje"], sent["Maatje"])
    running.close_round(session, session.get_one(Round, inbreng.id))
    dots = session.get_one(Round, dots.id)
    running.add_item(session, dots, "Schuldhulp")
    running.close_session(session, running.load_live(session, live.id))
    session.commit()
    return live, sent


def test_the_afspraken_are_kept_after_the_session_closed(client, session, organisation, phones):
    live, _ = _held(session, organisation, phones)
    text = "Gemeente schrijft de opdracht.\nVolgende sessie in maart."
    post(client, f"/sessies/{live.id}/afspraken", {"afspraken": text})
    page = client.get(f"/sessies/{live.id}/verslag").text
    assert "Gemeente schrijft de opdracht.\nVolgende sessie in maart.</textarea>" in page
    session.expire_all()
    assert session.get_one(LiveSession, live.id).agreements == text

    too_long = client.post(f"/sessies/{live.id}/afspraken", data={"afspraken": "x" * 10_001})
    assert too_long.status_code == 422
    assert "Houd het korter: hoogstens 10.000 tekens." in too_long.text
    hidden = client.post(f"/sessies/{live.id}/afspraken", data={"afspraken": "a\u202eb"})
    assert hidden.status_code == 422 and "onzichtbare tekens" in hidden.text
    session.expire_all()
    assert session.get_one(LiveSession, live.id).agreements == text  # nothing changed

    csv = client.get(f"/sessies/{live.id}/verslag.csv").text
    assert "afspraken en vervolgstappen;;;;;" in csv


def test_the_verslag_marks_what_became_of_each_proposal(client, session, organisation, phones):
    live, sent = _held(session, organisation, phones)
    page = client.get(f"/sessies/{live.id}/verslag").text
    assert "Alle 3 voorstellen zoals ingestuurd, van 1 deelnemer" in page
    assert "2 voorstellen van 1 deelnemer" in page  # the cluster on the screen, not the rest
    rewritten = page[page.index(f'id="ingestuurd-{sent["Maatje"].id}"') :].split("</li>")[0]
    assert ">Maatje <" in rewritten and "op het scherm als: Een maatje voor elke" in rewritten
    waiting = page[page.index(f'id="ingestuurd-{sent["Reclame"].id}"') :].split("</li>")[0]
    assert "niet goedgekeurd, niet op het scherm geweest" in waiting
    lines = client.get(f"/sessies/{live.id}/verslag.csv").text.splitlines()
    assert any(
        line.startswith("Ideeën;") and ";Reclame;" in line and line.endswith("geweest")
        for line in lines
    )


def test_the_verslag_as_tagged_pdf_and_as_word(client, session, organisation, phones):
    live, _ = _held(session, organisation, phones)
    post(client, f"/sessies/{live.id}/afspraken", {"afspraken": "Wijkteam belt de buddy's."})
    page = client.get(f"/sessies/{live.id}/verslag").text
    assert f'href="/sessies/{live.id}/verslag/pdf"' in page
    waiting = client.get(f"/sessies/{live.id}/verslag/docx")  # fetches the file itself
    assert waiting.status_code == 200 and "/verslag/docx/bestand?rij=" in waiting.text

    pdf = client.get(f"/sessies/{live.id}/verslag/pdf/bestand")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    doc = read(pdf.content)
    assert_pdf_ua(doc, f"Verslag: {live.title} · {organisation.name}")
    headings = [squeeze(h.text) for h in doc.root.find_all("H1", "H2", "H3")]
    assert squeeze("Afspraken en vervolgstappen") in headings
    assert squeeze("Alle 3 voorstellen zoals ingestuurd, van 1 deelnemer") in headings
    text = squeeze(doc.root.text + "".join(e.text for e in doc.root.find_all("P", "LBody")))
    assert squeeze("Wijkteam belt de buddy's.") in text and "Reclame" in text

    word = client.get(f"/sessies/{live.id}/verslag/docx/bestand")
    assert word.status_code == 200
    document = Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Wijkteam belt de buddy's." in paragraphs
    assert any(p.startswith("2.\tEen maatje (nr. 2") for p in paragraphs)
    assert document.core_properties.title == f"Verslag: {live.title}"
    assert document.core_properties.language == "nl-NL"
    assert client.get(f"/sessies/{live.id}/verslag/odt/bestand").status_code == 404
