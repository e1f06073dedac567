"""The facilitator's pages: prepare, run an inbreng round and a dot-voting round with phones,
adopt the outcome with its evidence, paper ballots, the verslag, and who may do what."""

import html
import io
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from pypdf import PdfReader
from sqlmodel import col, select

from app.choices import Perspective
from app.organisations.models import Role
from app.sessions.models import LiveSession, Round, Vote
from app.tables import utc_now
from tests import factories


@pytest.fixture
def cycle(session, organisation):
    return factories.make_cycle(
        session, organisation, theme=factories.make_theme(session, organisation, "Werk")
    )


def post(client, url, data=None):
    response = client.post(url, data=data or {}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def prepare(client, session, cycle) -> tuple[LiveSession, Round, Round]:
    post(
        client,
        f"/cycli/{cycle.id}/sessies",
        {
            "title": "Werksessie 2",
            "step": "2",
            "held_on": f"{utc_now().date():%d-%m-%Y}",
            "min_group_size": "1",  # a test room of a few phones: every group shown
        },
    )
    # The newest by id: without an ORDER BY, PostgreSQL returns an updated row where it likes.
    live = session.exec(select(LiveSession).order_by(col(LiveSession.id).desc())).first()
    post(
        client,
        f"/sessies/{live.id}/rondes",
        {"title": "Welke resultaten?", "kind": "input", "target": "none", "dots": "5"},
    )
    inbreng = _newest_round(session, live)
    post(
        client,
        f"/sessies/{live.id}/rondes",
        {
            "title": "Prioriteit",
            "kind": "dots",
            "target": "results",
            "dots": "3",
            "source_round_id": str(inbreng.id),
        },
    )
    dots = _newest_round(session, live)
    return live, inbreng, dots


def _newest_round(session, live) -> Round:
    newest = select(Round).where(Round.session_id == live.id).order_by(col(Round.id).desc())
    return session.exec(newest).first()


def send(phone, path, **data):
    return phone.post(
        f"/doe-mee/{phone.code}/{path}",
        data={"sleutel": str(uuid.uuid4()), **data},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_inbreng_then_dot_voting_then_adoption_with_evidence(client, session, cycle, phones):
    run_a_whole_session(client, session, cycle, phones)


def test_a_whole_session_runs_a_year_from_now(client_as, session, cycle, phones):
    """The clock a year ahead: a date fixed anywhere in the code or the tests shows here
    before it expires in production (a join code valid until a fixed day broke the suite)."""
    with time_machine.travel(utc_now() + timedelta(days=366), tick=True):
        run_a_whole_session(client_as(Role.ADMIN), session, cycle, phones)


def run_a_whole_session(client, session, cycle, phones) -> None:
    live, inbreng, dots = prepare(client, session, cycle)
    control = client.get(f"/sessies/{live.id}")
    assert control.status_code == 200 and "Welke resultaten?" in control.text
    post(client, f"/rondes/{inbreng.id}/starten")

    gemeente, kern, inwoner = (
        phones(live.join_code, "municipality"),
        phones(live.join_code, "provider"),
        phones(live.join_code, "resident"),
    )
    for phone, text in [
        (gemeente, "Minder terugval in de bijstand"),
        (kern, "Minder mensen vallen terug in de uitkering"),
        (inwoner, "Meer inwoners doen mee naar vermogen"),
    ]:
        assert send(phone, "inbreng", ronde=inbreng.id, tekst=text).status_code == 200
    page = client.get(f"/rondes/{inbreng.id}")
    ids = [int(i) for i in re.findall(r'id="voorstel-(\d+)"', page.text)]
    post(client, f"/voorstellen/{ids[1]}/samenvoegen", {"met": "1"})  # the first, by number
    post(client, f"/rondes/{inbreng.id}/sluiten")

    post(client, f"/rondes/{dots.id}/starten")
    projector = client.get(f"/sessies/{live.id}/scherm")
    assert projector.status_code == 200 and "Prioriteit" in projector.text
    round_page = inwoner.get(f"/doe-mee/{live.join_code}/ronde").text
    choices = [int(i) for i in re.findall(r'id="keuze-(\d+)"', round_page)]
    assert len(choices) == 2  # the duplicate was merged into one choice
    for phone in (gemeente, kern, inwoner):
        assert send(phone, "stemmen", ronde=dots.id, keuze=choices[1]).status_code == 200
    assert send(gemeente, "stemmen", ronde=dots.id, keuze=choices[0]).status_code == 200
    # one dot per item unless allowed: refused, nothing changed
    refused = send(gemeente, "stemmen", ronde=dots.id, keuze=choices[0])
    assert refused.status_code == 409

    projector = client.get(f"/sessies/{live.id}/scherm").text
    assert "Meer inwoners doen mee" in projector and 'id="perspectief-' not in projector
    # per perspective is a view of its own, and its stream renders that view
    apart = client.get(f"/sessies/{live.id}/scherm?weergave=perspectieven").text
    assert 'id="perspectief-resident"' in apart and "Meer inwoners doen mee" in apart
    assert "?weergave=perspectieven" in apart.split('sse-connect="')[1].split('"')[0]
    post(client, f"/rondes/{dots.id}/sluiten")
    assert send(kern, "stemmen", ronde=dots.id, keuze=choices[0]).status_code == 409

    post(client, f"/rondes/{dots.id}/overnemen", {f"keuze-{c}": "on" for c in choices})
    step_2 = client.get(f"/cycli/{cycle.id}/stappen/2").text
    first = step_2.index("Meer inwoners doen mee")
    assert first < step_2.index("Minder terugval in de bijstand")
    assert "Werksessie 2" in step_2 and "3 deelnemers" in step_2

    record = client.get(f"/sessies/{live.id}/verslag")
    assert record.status_code == 200 and "Overgenomen als" in record.text
    csv = client.get(f"/sessies/{live.id}/verslag.csv")
    assert csv.status_code == 200 and "Meer inwoners doen mee" in csv.text


def test_paper_ballots_count_like_phones_and_are_marked(client, session, cycle):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", dots=2)
    from app.sessions import running

    a = running.add_item(session, round_, "Maatje bij werkhervatting")
    running.start_round(session, round_)
    assert f'href="/rondes/{round_.id}/stembiljet"' in client.get(f"/rondes/{round_.id}").text
    export = client.get(f"/rondes/{round_.id}/stembiljet?aantal=3")
    assert "Papieren stembiljet wordt gemaakt" in export.text
    file_url = html.unescape(re.search(r'content="0;url=([^"]+)"', export.text)[1])
    assert file_url.startswith(f"/rondes/{round_.id}/stembiljet/bestand?aantal=3&rij=")
    pdf = client.get(file_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheets = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(sheets) == 3 and "Maatje bij werkhervatting" in sheets[0].extract_text()
    post(client, f"/rondes/{round_.id}/papier", {"perspectief": "resident", f"stippen-{a.id}": "1"})
    too_many = client.post(
        f"/rondes/{round_.id}/papier", data={"perspectief": "resident", f"stippen-{a.id}": "3"}
    )
    assert too_many.status_code == 422 and "0 tot en met 2" in too_many.text
    unmarked = client.post(
        f"/rondes/{round_.id}/papier", data={"perspectief": "Inwoner", f"stippen-{a.id}": "1"}
    )
    assert unmarked.status_code == 422 and "op het biljet is aangekruist" in unmarked.text
    page = client.get(f"/rondes/{round_.id}").text
    assert "1 op papier" in page


def test_a_reader_sees_but_cannot_run(client_as, session, cycle):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "input")
    reader = client_as(Role.READER)
    assert reader.get(f"/sessies/{live.id}").status_code == 200
    assert reader.post(f"/rondes/{round_.id}/starten").status_code == 403


def test_another_organisations_session_is_not_found(client_as, session, cycle):
    live = factories.make_live_session(session, cycle)
    other = factories.make_organisation(session)
    outsider = client_as(Role.ADMIN, of=other)
    assert outsider.get(f"/sessies/{live.id}").status_code == 404


def test_results_stay_off_the_projector_until_revealed(client, session, cycle, phones):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", results_hidden=True, title="Geheim")
    from app.sessions import running

    item = running.add_item(session, round_, "Verborgen keuze")
    running.start_round(session, round_)
    phone = phones(live.join_code)
    assert send(phone, "stemmen", ronde=round_.id, keuze=item.id).status_code == 200
    screen = client.get(f"/sessies/{live.id}/scherm").text
    assert "De uitslag volgt" in screen and "kompas-results" not in screen
    post(client, f"/rondes/{round_.id}/tonen")
    screen = client.get(f"/sessies/{live.id}/scherm").text
    assert "De uitslag volgt" not in screen and "kompas-results" in screen


def test_a_participant_cookie_opens_only_its_own_session(session, cycle, phones, anonymous):
    from app.sessions import joining, running

    mine = factories.make_live_session(session, cycle, "Mijn sessie")
    other = factories.make_live_session(session, cycle, "Andere sessie")
    other_round = factories.make_round(session, other, "dots")
    item = running.add_item(session, other_round, "Iets")
    running.start_round(session, other_round)
    phone = phones(mine.join_code)
    assert phone.get(f"/doe-mee/{mine.join_code}/ronde").status_code == 200
    # The cookie says which session a phone is in, whatever code the address holds: under
    # another session's code it opens its own session, never the other one.
    elsewhere = phone.get(f"/doe-mee/{other.join_code}/ronde")
    assert str(elsewhere.url).endswith(f"/doe-mee/{mine.join_code}/ronde")
    assert "Mijn sessie" in elsewhere.text and "Andere sessie" not in elsewhere.text
    token = next(iter(phone.cookies.jar)).value
    vote = phone.post(
        f"/doe-mee/{other.join_code}/stemmen",
        data={"ronde": other_round.id, "keuze": item.id, "sleutel": str(uuid.uuid4())},
        headers={
            "Accept": "application/json",
            "X-CSRF-Token": joining.participant_csrf(token),
        },
    )
    assert vote.status_code in (404, 409), vote.text
    assert not session.exec(select(Vote).where(Vote.round_id == other_round.id)).all()
    running.close_session(session, joining.find_by_code(session, mine.join_code))
    closed = phone.get(f"/doe-mee/{mine.join_code}/ronde")
    # a thank-you its page's script swaps in, not an error box
    assert closed.status_code == 200 and "Bedankt voor het meedoen!" in closed.text
    assert "utrecht-alert" not in closed.text and "Mijn sessie" in closed.text
    late = anonymous.get(f"/doe-mee/{mine.join_code}")  # a phone that never joined
    assert late.status_code == 409 and "Deze sessie is voorbij" in late.text


def test_an_expired_code_is_explained(session, cycle, anonymous):
    from datetime import UTC, datetime

    live = factories.make_live_session(session, cycle)
    live.code_expires_at = datetime(2020, 1, 1, tzinfo=UTC)
    session.flush()
    response = anonymous.get(f"/doe-mee/{live.join_code}")
    assert response.status_code == 409 and "Deze code is verlopen" in response.text
    assert "Deze sessie is voorbij" in response.text and "utrecht-alert" not in response.text


def test_a_vote_without_the_form_token_is_refused(session, cycle, phones):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots")
    phone = phones(live.join_code)
    response = phone.post(
        f"/doe-mee/{live.join_code}/stemmen",
        data={"ronde": round_.id, "keuze": 1, "sleutel": str(uuid.uuid4())},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path", ["/sessies/{s}", "/sessies/{s}/scherm", "/rondes/{r}", "/sessies/{s}/verslag"]
)
def test_session_pages_do_not_query_more_with_more_votes(
    client, session, cycle, count_queries, phones, path
):
    from app.sessions import joining, running, voting

    live = factories.make_live_session(session, cycle)
    inbreng = factories.make_round(session, live, "input")
    round_ = factories.make_round(session, live, "dots", dots=3, several_per_item=True)
    items = [running.add_item(session, round_, f"Keuze {n}") for n in range(2)]
    running.start_round(session, inbreng)
    running.start_round(session, round_)
    url = path.format(s=live.id, r=round_.id)

    def vote(n: int) -> None:
        for perspective in ("municipality", "provider", "resident"):
            person = joining.join(session, live, Perspective(perspective), None)[1]
            for item in items[:n]:
                voting.cast_dot(session, person, round_.id, item.id, str(uuid.uuid4()))

    vote(1)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    vote(2)
    running.add_item(session, round_, "Nog een keuze")
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count


def test_prepared_rounds_and_sessions_can_be_removed(client, session, cycle):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "input", title="Weg ermee")
    assert "Weg ermee" in client.get(f"/rondes/{round_.id}/verwijderen").text
    post(client, f"/rondes/{round_.id}/verwijderen", {"_versie": str(round_.version)})
    assert "Weg ermee" not in client.get(f"/sessies/{live.id}").text
    assert client.get(f"/sessies/{live.id}/verwijderen").status_code == 200
    post(client, f"/sessies/{live.id}/verwijderen", {"_versie": str(live.version)})
    assert client.get(f"/sessies/{live.id}").status_code == 404


def test_a_paper_ranking_counts_by_borda_like_a_phone(client, session, cycle):
    from app.sessions import running, scoring

    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "ranking")
    a = running.add_item(session, round_, "Maatje")
    b = running.add_item(session, round_, "Schuldhulp")
    running.start_round(session, round_)
    assert client.get(f"/rondes/{round_.id}/stembiljet/bestand").status_code == 200
    same = {"perspectief": "provider", f"plaats-{a.id}": "1", f"plaats-{b.id}": "1"}
    refused = client.post(f"/rondes/{round_.id}/papier", data=same)
    assert refused.status_code == 422 and "een andere plaats" in refused.text
    ballot = {"perspectief": "provider", f"plaats-{a.id}": "2", f"plaats-{b.id}": "1"}
    post(client, f"/rondes/{round_.id}/papier", ballot)
    rows = scoring.outcome(session, round_).rows
    assert [(r.item.text, r.score, r.paper) for r in rows] == [
        ("Schuldhulp", 2, 1),
        ("Maatje", 1, 1),
    ]


def test_a_closed_sessions_outcome_is_not_stranded(client, session, cycle, phones):
    """After "Sessie afsluiten" the round page showed no adoption form and no message."""
    live, inbreng, dots = prepare(client, session, cycle)
    post(client, f"/rondes/{inbreng.id}/starten")
    phone = phones(live.join_code)
    assert send(phone, "inbreng", ronde=inbreng.id, tekst="Minder terugval").status_code == 200
    post(client, f"/rondes/{inbreng.id}/sluiten")
    post(client, f"/rondes/{dots.id}/starten")
    post(client, f"/sessies/{live.id}/afsluiten")

    control = client.get(f"/sessies/{live.id}").text
    assert "1 ronde wacht nog op overnemen" in control
    assert "De uitkomst wacht nog op overnemen." in control
    listing = client.get(f"/cycli/{cycle.id}/sessies").text
    assert "Nog over te nemen" in listing and "Prioriteit" in listing
    page = client.get(f"/rondes/{dots.id}").text
    assert 'action="/rondes/' in page and "Overnemen als" in page
    choices = re.findall(r'name="(keuze-\d+)"', page)
    post(client, f"/rondes/{dots.id}/overnemen", {c: "on" for c in choices})
    assert "Minder terugval" in client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert "wacht nog op overnemen" not in client.get(f"/sessies/{live.id}").text


def test_a_small_group_is_never_shown_apart(client, session, cycle):
    """One gemeente voter and three inwoners: the gemeente's ranking would be one person's, so
    the projector, control screen, verslag and API show inwoners apart and not the gemeente,
    whose dots still count in the total; set to 1, every group shows."""
    from app.sessions import joining, running, voting

    live = factories.make_live_session(session, cycle, min_group_size=3)
    round_ = factories.make_round(session, live, "dots", dots=1)
    first, second = (running.add_item(session, round_, t) for t in ("Werk", "Wonen"))
    running.start_round(session, round_)
    alone = joining.join(session, live, Perspective.MUNICIPALITY, None)[1]
    voting.cast_dot(session, alone, round_.id, second.id, str(uuid.uuid4()))
    for _ in range(3):
        person = joining.join(session, live, Perspective.RESIDENT, None)[1]
        voting.cast_dot(session, person, round_.id, first.id, str(uuid.uuid4()))

    for path in (f"/sessies/{live.id}", f"/rondes/{round_.id}"):
        page = client.get(path).text
        cards = page[page.index("Per perspectief") :] if "Per perspectief" in page else ""
        assert "Inwoner of doelgroep" in cards and "Gemeente <span" not in cards, path
        assert "Verdeling: gemeente" not in page and "minder dan 3 deelnemers" in page, path
    screen = client.get(f"/sessies/{live.id}/scherm?weergave=perspectieven").text
    assert 'id="perspectief-resident"' in screen and "perspectief-municipality" not in screen
    assert "minder dan 3 deelnemers" in screen
    assert "Verdeling: gemeente" not in client.get(f"/sessies/{live.id}/scherm").text
    results = client.get(f"/api/v2/rondes/{round_.id}/uitslag").json()
    assert results["kleineGroepen"] == ["gemeente"]
    assert all("gemeente" not in row["perPerspectief"] for row in results["regels"])
    assert sum(row["stemmen"] for row in results["regels"]) == 4  # counted in the total
    verslag = client.get(f"/sessies/{live.id}/verslag.csv").text
    wonen = next(line for line in verslag.splitlines() if ";Wonen;" in line)
    assert wonen.split(";")[9] == ""  # the gemeente's column, left empty

    session.get(LiveSession, live.id).min_group_size = 1
    session.commit()
    results = client.get(f"/api/v2/rondes/{round_.id}/uitslag").json()
    assert results["kleineGroepen"] == []
