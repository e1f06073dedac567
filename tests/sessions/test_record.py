"""The verslag as a record: every proposal as it was sent (merged and hidden ones marked),
counts that say what they count, people on phones apart from paper ballots, and Dutch decimal
commas in the CSV."""

from sqlmodel import select

from app.sessions import running
from app.sessions.models import Round, RoundItem
from tests import factories
from tests.sessions.test_routes import post, send


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
