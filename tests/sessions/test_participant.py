"""The phone pages: joining by code, voting with a key made by the page, refusals."""

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.choices import Perspective
from app.errors import InvalidInput
from app.sessions import joining, participant, running, scoring, voting
from app.sessions.models import LiveSession, Participant
from tests import factories


@pytest.fixture
def live(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    return factories.make_live_session(session, cycle)


def vote(phone, round_id, item_id, key=None, **extra):
    return phone.post(
        f"/doe-mee/{phone.code}/stemmen",
        data={"ronde": round_id, "keuze": item_id, "sleutel": key or str(uuid.uuid4()), **extra},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_join_and_dot_vote_with_a_resend_counting_once(session, live, phones):
    round_ = factories.make_round(session, live, "dots", dots=2, several_per_item=True)
    first = running.add_item(session, round_, "Minder terugval")
    running.add_item(session, round_, "Meer meedoen")
    running.start_round(session, round_)
    phone = phones(live.join_code, "provider")
    page = phone.get(f"/doe-mee/{live.join_code}/ronde")
    assert "Minder terugval" in page.text and "2</strong> van de 2 stippen" in page.text

    key = str(uuid.uuid4())
    saved = vote(phone, round_.id, first.id, key)
    assert saved.status_code == 200, saved.text
    assert saved.json()["gebruikt"] == 1 and not saved.json()["herhaald"]
    again = vote(phone, round_.id, first.id, key)
    assert again.status_code == 200 and again.json()["herhaald"]
    assert again.json()["gebruikt"] == 1

    assert vote(phone, round_.id, first.id).json()["gebruikt"] == 2
    refused = vote(phone, round_.id, first.id)
    assert refused.status_code == 409
    assert "al je 2 stippen" in refused.json()["melding"]


def test_wrong_codes_are_throttled_per_address_and_right_ones_never(session, live, anonymous):
    limit = joining.WRONG_CODES_PER_ADDRESS
    answers = [anonymous.get("/doe-mee/AAAAAAAAAA") for _ in range(limit + 5)]
    assert [a.status_code for a in answers] == [404] * limit + [429] * 5
    assert "Deze code kennen we niet" in answers[0].text
    assert "te veel verkeerde codes" in answers[limit].text
    typed = anonymous.post(
        "/doe-mee", data={"_csrf": csrf_of_form(anonymous), "code": "BBBBBBBBBB"}
    )
    assert typed.status_code == 429
    # Someone else's wrong codes from the same network (a venue's one address): the right code
    # still joins, typed or from the QR code.
    typed = anonymous.post(
        "/doe-mee",
        data={"_csrf": csrf_of_form(anonymous), "code": live.join_code.lower()},
        follow_redirects=False,
    )
    assert typed.status_code == 303 and typed.headers["location"] == f"/doe-mee/{live.join_code}"
    page = anonymous.get(f"/doe-mee/{live.join_code}")
    assert page.status_code == 200
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)[1]
    joined = anonymous.post(
        f"/doe-mee/{live.join_code}",
        data={"_csrf": csrf, "perspectief": "resident", "naam": ""},
        follow_redirects=False,
    )
    assert joined.status_code == 303 and joined.headers["location"].endswith("/ronde")
    assert anonymous.get(joined.headers["location"]).status_code == 200


def csrf_of_form(client) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', client.get("/doe-mee").text)[1]


def test_ranking_scoring_and_begrip_from_a_phone(session, live, phones):
    ranking = factories.make_round(session, live, "ranking", title="Volgorde")
    a = running.add_item(session, ranking, "Maatje")
    b = running.add_item(session, ranking, "Warme overdracht")
    running.start_round(session, ranking)
    phone = phones(live.join_code, "municipality")
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert "Geef elke keuze een plaats" in page
    # Without JavaScript: the form's own key, then back to the page with the message
    key = re.search(r'name="sleutel" value="([^"]+)"', page)[1]
    form = {"_csrf": phone.csrf, "ronde": ranking.id, f"plaats-{a.id}": "2", f"plaats-{b.id}": "1"}
    sent = phone.post(
        f"/doe-mee/{live.join_code}/rangorde", data={**form, "sleutel": key}, follow_redirects=True
    )
    assert "Je volgorde is opgeslagen" in sent.text
    # the tap list (shown by the page's script) starts from the saved order
    pressed = re.findall(r'data-plaats="plaats-(\d+)" aria-pressed="true"', sent.text)
    assert sorted(pressed) == sorted([str(a.id), str(b.id)])
    assert re.search(r'Plaats </span>1</span><span class="kompas-tap__text">Warme', sent.text)
    again = phone.post(f"/doe-mee/{live.join_code}/rangorde", data={**form, "sleutel": key})
    assert again.status_code == 200  # the resend is answered, and counts once
    rows = scoring.outcome(session, ranking).rows
    assert [(r.item.text, r.score) for r in rows] == [("Warme overdracht", 2), ("Maatje", 1)]
    running.close_round(session, ranking)

    scores = factories.make_round(
        session,
        live,
        "scoring",
        title="Scoren",
        criteria="impact (wat inwoners merken):2, urgentie",
    )
    c = running.add_item(session, scores, "Schuldhulp")
    running.start_round(session, scores)
    answer = phone.post(
        f"/doe-mee/{live.join_code}/scores",
        data={
            "ronde": scores.id,
            "sleutel": str(uuid.uuid4()),
            f"score-{c.id}-0": "4",
            f"score-{c.id}-1": "1",
        },
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert answer.status_code == 200
    assert scoring.outcome(session, scores).rows[0].score == 3.0  # (4*2 + 1) / 3
    # one tap per criterion (radio buttons, no script needed), each criterion explained
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert "<dd>wat inwoners merken</dd>" in page and "telt 2× mee" in page
    assert f'name="score-{c.id}-0" value="4" checked' in page
    assert len(re.findall(f'type="radio" id="score-{c.id}-', page)) == 10
    assert "<select" not in page
    bad = phone.post(
        f"/doe-mee/{live.join_code}/scores",
        data={"ronde": scores.id, "sleutel": str(uuid.uuid4()), f"score-{c.id}-0": "9"},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert bad.status_code == 422 and "1 tot en met 5" in bad.json()["melding"]
    running.close_round(session, scores)

    term = factories.make_round(session, live, "term", title="Preventie")
    running.start_round(session, term)
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert "Wat betekent dit begrip voor jou?" in page
    answer = phone.post(
        f"/doe-mee/{live.join_code}/inbreng",
        data={"ronde": term.id, "sleutel": str(uuid.uuid4()), "tekst": "Dure zorg voorkomen"},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert answer.status_code == 200
    meanings = scoring.meanings(scoring.outcome(session, term))
    assert meanings == [("Gemeente", ["Dure zorg voorkomen"])]


def test_a_vote_on_a_paused_round_is_refused_with_the_reason(session, live, phones):
    round_ = factories.make_round(session, live, "dots")
    item = running.add_item(session, round_, "A")
    running.start_round(session, round_)
    running.pause_round(session, round_)
    phone = phones(live.join_code)
    refused = vote(phone, round_.id, item.id)
    assert refused.status_code == 409 and "staat even stil" in refused.json()["melding"]
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert "De ronde staat even stil" in page and "Stip plakken" not in page


CONTROL_CHARACTERS = ["Meer\x00 maatjes", "Meer \x1b[31mmaatjes", "Meer \u202emaatjes"]


@pytest.mark.parametrize("text", CONTROL_CHARACTERS)
def test_a_proposal_with_control_characters_from_a_phone_is_refused(session, live, phones, text):
    round_ = factories.make_round(session, live, "input", title="Ideeën")
    running.start_round(session, round_)
    phone = phones(live.join_code)
    sent = {"ronde": round_.id, "sleutel": str(uuid.uuid4()), "tekst": text}
    answer = phone.post(
        f"/doe-mee/{live.join_code}/inbreng",
        data=sent,
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert answer.status_code == 422 and "onzichtbare tekens" in answer.json()["melding"]
    page = phone.post(  # without JavaScript: the page again, with the message
        f"/doe-mee/{live.join_code}/inbreng", data={**sent, "_csrf": phone.csrf}
    )
    assert page.status_code == 422 and "onzichtbare tekens" in page.text
    assert running.items_of(session, round_) == []


def test_a_proposal_keeps_its_words_on_one_line(session, live, phones):
    round_ = factories.make_round(session, live, "input", title="Ideeën")
    running.start_round(session, round_)
    phone = phones(live.join_code)
    answer = phone.post(
        f"/doe-mee/{live.join_code}/inbreng",
        data={"ronde": round_.id, "sleutel": str(uuid.uuid4()), "tekst": " Meer\r\n\tmaatjes  "},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert answer.status_code == 200
    assert [i.text for i in running.items_of(session, round_)] == ["Meer maatjes"]


@pytest.mark.parametrize("name", ["Eva\x00", "Eva\x1b[2J", "Eva\u202e", "Eva\nde Vries"])
def test_a_name_with_control_characters_is_refused(session, live, name):
    """Phones join without a name; the demo's named participants pass the same cleaner."""
    with pytest.raises(InvalidInput):
        joining.join(session, live, Perspective.RESIDENT, name)


@pytest.mark.parametrize("perspective", ["", "Resident", "bewoner"])
def test_joining_without_a_known_perspective_is_refused_next_to_the_field(
    session, live, anonymous, perspective
):
    page = anonymous.get(f"/doe-mee/{live.join_code}")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)[1]
    refused = anonymous.post(
        f"/doe-mee/{live.join_code}",
        data={"_csrf": csrf, "perspectief": perspective},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "Kies je perspectief." in refused.text
    assert session.exec(select(Participant).where(Participant.session_id == live.id)).all() == []


def test_the_join_page_asks_no_name_and_says_what_is_stored(live, anonymous):
    page = anonymous.get(f"/doe-mee/{live.join_code}").text
    assert 'name="naam"' not in page
    assert "zonder naam" in page and f"minstens {live.min_group_size} deelnemers" in page


def test_the_facilitator_cannot_add_a_choice_with_an_escape(client, session, live):
    round_ = factories.make_round(session, live, "dots")
    response = client.post(f"/rondes/{round_.id}/keuzes", data={"tekst": "Meer\x1b maatjes"})
    assert response.status_code == 422 and "onzichtbare tekens" in response.text
    assert running.items_of(session, round_) == []


def test_taking_a_dot_back_touches_only_the_open_round_named(session, live, phones):
    first = factories.make_round(session, live, "dots", dots=2, title="Eerste")
    earlier = running.add_item(session, first, "Minder terugval")
    running.start_round(session, first)
    phone = phones(live.join_code, "provider")
    assert vote(phone, first.id, earlier.id).status_code == 200
    running.close_round(session, first)
    second = factories.make_round(session, live, "dots", dots=2, title="Tweede")
    now = running.add_item(session, second, "Meer meedoen")
    running.start_round(session, second)
    assert vote(phone, second.id, now.id).status_code == 200

    # The open round named, an item of the closed round: refused, and nothing changes.
    taken = vote(phone, second.id, earlier.id, weg="1")
    assert taken.status_code == 409, taken.text
    assert "geen stip van jou" in taken.json()["melding"]
    assert scoring.outcome(session, first).total_votes == 1
    assert scoring.outcome(session, second).total_votes == 1
    # The closed round named: refused as well.
    assert vote(phone, first.id, earlier.id, weg="1").status_code == 409
    assert scoring.outcome(session, first).total_votes == 1
    # Its own dot in the open round can be taken back.
    assert vote(phone, second.id, now.id, weg="1").status_code == 200
    assert scoring.outcome(session, second).total_votes == 0
    running.close_round(session, second)


def _renew(session, live) -> str:
    # A phone's request may have loaded the session anew into the test's database session.
    current = session.get(LiveSession, live.id)
    joining.renew_code(session, current)
    session.commit()
    if current is not live:
        live.join_code = current.join_code
    return current.join_code


def test_a_new_code_lets_nobody_new_in_and_ends_nobodys_place(session, live, phones, anonymous):
    round_ = factories.make_round(session, live, "dots", dots=2, several_per_item=True)
    item = running.add_item(session, round_, "Minder terugval")
    running.start_round(session, round_)
    old = live.join_code
    phone = phones(old, "provider")
    assert vote(phone, round_.id, item.id).json()["gebruikt"] == 1

    new = _renew(session, live)
    # the phone's page moves to the new code and still knows its dot
    page = phone.get(f"/doe-mee/{old}/ronde")
    assert page.status_code == 200 and str(page.url).endswith(f"/doe-mee/{new}/ronde")
    assert "1</strong> van de 2 stippen" in page.text
    # a dot sent to the old address counts for the same place
    assert vote(phone, round_.id, item.id).json()["gebruikt"] == 2
    # opening the new code's join page keeps that place
    assert str(phone.get(f"/doe-mee/{new}").url).endswith(f"/doe-mee/{new}/ronde")
    phone.code = new
    refused = vote(phone, round_.id, item.id)
    assert refused.status_code == 409 and "al je 2 stippen" in refused.json()["melding"]
    assert len(session.exec(select(Participant)).all()) == 1
    # nobody new gets in with the old code
    assert anonymous.get(f"/doe-mee/{old}").status_code == 404


STEPS = ("dot", "new code", "reload", "open the join page", "follow the new address")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.sampled_from(STEPS), max_size=12))
def test_no_sequence_of_new_codes_rejoins_and_reloads_gives_a_phone_more_dots(
    session, organisation, phones, steps
):
    """One phone, a round of 3 dots: whatever it does while the facilitator makes new codes,
    it stays one participant with at most 3 dots, and each dot it sends within them counts.
    (A phone that loses its cookie is a new phone to the server; see the README.)"""
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    round_ = factories.make_round(session, live, "dots", dots=3, several_per_item=True)
    item = running.add_item(session, round_, "Minder terugval")
    running.start_round(session, round_)
    phone = phones(live.join_code)
    sent = 0
    for step in steps:
        if step == "dot":
            answer = vote(phone, round_.id, item.id)
            sent += 1
            assert answer.status_code == (200 if sent <= 3 else 409), answer.text
        elif step == "new code":
            _renew(session, live)
        elif step == "reload":
            assert phone.get(f"/doe-mee/{phone.code}/ronde").status_code == 200
        elif step == "open the join page":
            page = phone.get(f"/doe-mee/{live.join_code}")
            assert str(page.url).endswith("/ronde"), "a joined phone is never asked to join again"
        else:
            phone.code = live.join_code
    mine = select(Participant).where(Participant.session_id == live.id)
    (participant,) = session.exec(mine).all()
    used = len(voting.own_votes(session, participant, round_))
    assert used == min(sent, 3)


def _round_body(html: str) -> str:
    """The round on a phone's page, with its form token and keys left out."""
    body = html[html.index('<div id="ronde-inhoud"') :].split("</section>")[0]
    body = body[: body.rindex("</div>") + len("</div>")]
    return re.sub(r'name="(_csrf|sleutel)" value="[^"]*"', r'name="\1" value=""', body)


@pytest.mark.parametrize("kind", ["dots", "ranking", "points", "input"])
def test_the_live_event_carries_the_round_a_new_phone_shows(session, live, phones, kind):
    """When a round opens, the phone's live event carries the round as its page shows it, so
    2,000 phones swap it in instead of fetching 2,000 pages. Once a phone sent something in
    the round, its page says so (data-eigen) and its script fetches its own page instead."""
    phone = phones(live.join_code)
    waiting = participant.shared_round(session, live.id)
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert waiting.split("\n")[0] == running.round_state(running.load_live(session, live.id))
    assert _round_body(waiting) == _round_body(page) and "Even wachten" in waiting

    round_ = factories.make_round(session, live, kind, dots=3, several_per_item=True)
    first = running.add_item(session, round_, "Minder terugval")
    running.add_item(session, round_, "Meer meedoen")
    running.start_round(session, round_)
    event = participant.shared_round(session, live.id)
    page = phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert event.split("\n")[0] == f"{round_.id}:open:running"
    assert _round_body(event) == _round_body(page)
    assert f'data-ronde="{round_.id}"' in event and "data-eigen" not in page

    sent = {
        "dots": ("stemmen", {"keuze": first.id}),
        "ranking": ("rangorde", {f"plaats-{first.id}": 1}),
        "points": ("punten", {f"punten-{first.id}": 100}),
        "input": ("inbreng", {"tekst": "Taalcafé"}),
    }[kind]
    answer = phone.post(
        f"/doe-mee/{phone.code}/{sent[0]}",
        data={"ronde": round_.id, "sleutel": str(uuid.uuid4()), **sent[1]},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["ronde"] == round_.id  # the script notes the round as its own
    assert "data-eigen" in phone.get(f"/doe-mee/{live.join_code}/ronde").text
    assert participant.shared_round(session, live.id) == event  # nobody's votes in it


def test_the_live_event_of_a_session_that_ended_has_no_round(session, live, phones):
    phones(live.join_code)
    running.close_session(session, running.load_live(session, live.id))
    state = running.round_state(running.load_live(session, live.id))
    assert participant.shared_round(session, live.id) == state  # the phone fetches its page
