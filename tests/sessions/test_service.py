"""Rules of every werkvorm: what counts, in which order, what is refused (and then nothing
changed), and adopting an outcome into the cycle with its evidence."""

import contextlib
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.activities import service as activities_service
from app.ambitions import service as ambitions_service
from app.choices import Perspective
from app.cycles.steps import STEPS
from app.errors import Conflict, InvalidInput, NotFound
from app.results import service as results_service
from app.sessions import adoption, joining, running, scoring, voting
from app.sessions.models import RoundStatus
from app.sessions.werkvormen import criteria, ranking
from tests import factories

M, P, R = Perspective.MUNICIPALITY, Perspective.PROVIDER, Perspective.RESIDENT


def key() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def cycle(session, organisation):
    return factories.make_cycle(session, organisation)


@pytest.fixture
def live(session, cycle):
    return factories.make_live_session(session, cycle)


def people(session, live, *perspectives):
    return [joining.join(session, live, p, None)[1] for p in perspectives]


def voting_round(session, live, kind, texts, **fields):
    round_ = factories.make_round(session, live, kind, **fields)
    items = [running.add_item(session, round_, t) for t in texts]
    running.start_round(session, round_)
    return round_, items


def test_dots_count_per_perspective_and_rank_with_ties(session, live):
    round_, (a, b, c) = voting_round(session, live, "dots", ["A", "B", "C"], dots=2)
    gemeente, kern, inwoner = people(session, live, M, P, R)
    for person, item in [(gemeente, a), (gemeente, b), (kern, a), (inwoner, b), (inwoner, c)]:
        voting.cast_dot(session, person, round_.id, item.id, key())
    outcome = scoring.outcome(session, round_)
    assert [(r.item.text, r.score, r.rank) for r in outcome.rows] == [
        ("A", 2, 1),
        ("B", 2, 1),
        ("C", 1, 3),
    ]
    assert outcome.rows[0].per_perspective == {M: 1, P: 1}
    assert outcome.voters[R] == 1 and outcome.present[M] == 1


def test_refusals_change_nothing(session, live, cycle):
    round_, (a,) = voting_round(session, live, "dots", ["A"], dots=1)
    other_live = factories.make_live_session(session, cycle, "Andere sessie")
    other_round, (foreign,) = voting_round(session, other_live, "dots", ["X"])
    (person,) = people(session, live, P)
    with pytest.raises(InvalidInput):  # an item of another session
        voting.cast_dot(session, person, round_.id, foreign.id, key())
    with pytest.raises(NotFound):  # a round of another session
        voting.cast_dot(session, person, other_round.id, foreign.id, key())
    voting.cast_dot(session, person, round_.id, a.id, key())
    with pytest.raises(voting.Refused):  # the allowance is used up
        voting.cast_dot(session, person, round_.id, a.id, key())
    running.close_round(session, round_)
    with pytest.raises(voting.Refused):  # a closed round
        voting.remove_dot(session, person, round_.id, a.id)
    assert scoring.outcome(session, round_).total_votes == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    allowance=st.integers(1, 5),
    several=st.booleans(),
    picks=st.lists(st.integers(0, 2), max_size=12),
)
def test_whatever_is_tried_the_allowance_holds(session, live, allowance, several, picks):
    round_, items = voting_round(
        session, live, "dots", ["A", "B", "C"], dots=allowance, several_per_item=several
    )
    (person,) = people(session, live, R)
    for pick in picks:
        with contextlib.suppress(voting.Refused):
            voting.cast_dot(session, person, round_.id, items[pick].id, key())
    votes = voting.own_votes(session, person, round_)
    assert len(votes) == min(allowance, len(picks) if several else len(set(picks)))
    if not several:
        assert len({v.item_id for v in votes}) == len(votes)
    running.close_round(session, round_)


def test_ranking_is_scored_by_borda(session, live):
    round_, (a, b, c) = voting_round(session, live, "ranking", ["A", "B", "C"])
    one, two = people(session, live, M, R)
    ranking.submit_ranking(session, one, round_.id, [a.id, b.id, c.id], key())
    ranking.submit_ranking(session, two, round_.id, [b.id, a.id], key())
    rows = scoring.outcome(session, round_).rows
    # A: 3 + 2, B: 2 + 3, C: 1; a tie is broken by first places (one each): then by code.
    assert [(r.item.text, r.score) for r in rows] == [("A", 5), ("B", 5), ("C", 1)]
    again = key()
    ranking.submit_ranking(session, one, round_.id, [c.id, b.id, a.id], again)
    assert ranking.submit_ranking(session, one, round_.id, [a.id], again).repeated
    rows = scoring.outcome(session, round_).rows
    assert [(r.item.text, r.score) for r in rows] == [("B", 5), ("C", 3), ("A", 3)]
    with pytest.raises(InvalidInput):
        ranking.submit_ranking(session, two, round_.id, [a.id, a.id], key())


def test_scoring_uses_weighted_means_of_the_criteria(session, live):
    round_, (a, b) = voting_round(
        session, live, "scoring", ["A", "B"], criteria="impact:2, haalbaarheid:1"
    )
    one, two = people(session, live, M, P)
    criteria.submit_scores(session, one, round_.id, {(a.id, 0): 5, (a.id, 1): 2}, key())
    criteria.submit_scores(session, two, round_.id, {(a.id, 0): 3, (b.id, 1): 5}, key())
    rows = {r.item.text: r for r in scoring.outcome(session, round_).rows}
    assert rows["A"].criteria == [4.0, 2.0] and rows["A"].score == pytest.approx(3.33, 0.01)
    assert rows["B"].score == 5.0  # only haalbaarheid was scored
    with pytest.raises(InvalidInput):
        criteria.submit_scores(session, one, round_.id, {(a.id, 0): 6}, key())


def test_inbreng_is_moderated_and_feeds_a_voting_round(session, live):
    inbreng = factories.make_round(session, live, "input")
    running.start_round(session, inbreng)
    one, two = people(session, live, M, R)
    first = voting.submit_proposal(session, one, inbreng.id, "Maatje", key())
    same = voting.submit_proposal(session, two, inbreng.id, "Een maatje", key())
    rude = voting.submit_proposal(session, two, inbreng.id, "Onzin", key())
    item = {i.id: i for i in running.items_of(session, inbreng)}
    running.merge_item(session, item[same.item_id], item[first.item_id])
    running.set_item_hidden(session, item[rude.item_id], True)
    running.edit_item(session, item[first.item_id], "Maatje vanaf de eerste werkdag")
    running.close_round(session, inbreng)
    outcome = scoring.outcome(session, inbreng)
    assert [(r.item.text, len(r.members)) for r in outcome.rows] == [
        ("Maatje vanaf de eerste werkdag", 1)
    ]
    # The facilitator's list still holds the merged and the hidden proposal, in their order.
    assert [i.text for i in outcome.items] == [
        "Maatje vanaf de eerste werkdag",
        "Een maatje",
        "Onzin",
    ]
    assert outcome.present == scoring.attendance(session, live)

    dots = factories.make_round(session, live, "dots", source_round_id=inbreng.id)
    running.start_round(session, dots)
    assert [i.text for i in running.items_of(session, dots)] == ["Maatje vanaf de eerste werkdag"]
    with pytest.raises(voting.Refused):  # the inbreng round is closed
        voting.submit_proposal(session, one, inbreng.id, "Te laat", key())


def test_adopting_results_keeps_their_rank_and_evidence(session, live, cycle, organisation):
    existing = factories.make_result(session, cycle, "Bestaand resultaat")
    round_ = factories.make_round(session, live, "dots", target="results", dots=2)
    running.items_from_results(session, round_)
    new = running.add_item(session, round_, "Nieuw resultaat uit de sessie")
    running.start_round(session, round_)
    for person in people(session, live, M, P, R):
        voting.cast_dot(session, person, round_.id, new.id, key())
    with pytest.raises(Conflict):
        adoption.adopt(session, round_, organisation, "Joost")  # still open
    running.close_round(session, round_)
    adopted = adoption.adopt(session, round_, organisation, "Joost")
    assert [a.label for a in adopted] == ["Nieuw resultaat uit de sessie", "Bestaand resultaat"]
    ranked = results_service.list_results(session, cycle)
    assert [r.text for r in ranked] == ["Nieuw resultaat uit de sessie", "Bestaand resultaat"]
    assert existing.rank == 2
    evidence = results_service.evidence_of_cycle(session, cycle)[ranked[0].id][0]
    assert evidence.summary["plaats"] == 1 and evidence.summary["stemmen"] == 3
    assert evidence.summary["deelnemers"] == {
        "municipality": 1,
        "provider": 1,
        "resident": 1,
        "other": 0,
    }
    assert evidence.summary["datum"] == live.held_on.isoformat()
    with pytest.raises(Conflict):
        adoption.adopt(session, round_, organisation, "Joost")  # once


def test_adopting_an_ambition_activities_and_a_term(session, live, cycle, organisation):
    wording, (_a, b) = voting_round(
        session, live, "dots", ["Iedereen doet mee", "Samen sterk"], target="ambition"
    )
    (one,) = people(session, live, R)
    voting.cast_dot(session, one, wording.id, b.id, key())
    running.close_round(session, wording)
    adoption.adopt(session, wording, organisation, "Joost")
    ambition = ambitions_service.get_ambition(session, cycle)
    assert ambition.text == "Samen sterk" and ambition.status.value == "formulated"
    assert live.title in ambition.origin

    acts, _ = voting_round(
        session, live, "dots", ["Maatje", "Warme overdracht"], target="activities"
    )
    running.close_round(session, acts)
    adoption.adopt(session, acts, organisation, "Joost")
    names = {x.name for x in activities_service.list_activities(session, cycle)}
    assert {"Maatje", "Warme overdracht"} <= names

    term_round = factories.make_round(session, live, "term", title="Preventie", target="terms")
    running.start_round(session, term_round)
    gemeente, kern = people(session, live, M, P)
    voting.submit_proposal(session, gemeente, term_round.id, "Dure zorg voorkomen", key())
    voting.submit_proposal(session, kern, term_round.id, "Eenzaamheid voorkomen", key())
    running.close_round(session, term_round)
    adoption.adopt(session, term_round, organisation, "Joost")
    (term,) = [t for t in ambitions_service.list_terms(session, cycle) if t.term == "Preventie"]
    assert term.meaning_municipality == "Dure zorg voorkomen"
    assert term.meaning_provider == "Eenzaamheid voorkomen"


def test_one_round_is_open_at_a_time_and_a_session_closes_its_rounds(session, live, organisation):
    first = factories.make_round(session, live, "input")
    second = factories.make_round(session, live, "input")
    running.start_round(session, first)
    running.start_round(session, second)
    assert first.status is RoundStatus.PAUSED and second.status is RoundStatus.OPEN
    running.move_round(session, second, up=True)
    assert [r.id for r in running.list_rounds(session, live)] == [second.id, first.id]
    session.expire_all()  # the control screen's load: the session with every round, in order
    loaded = running.get_session(session, organisation, live.id)
    assert [r.id for r in loaded.rounds] == [second.id, first.id]
    cycle = running.cycle_of(session, organisation, loaded)
    assert cycle.theme.name and [s.number for s in cycle.steps] == [s.number for s in STEPS]
    running.close_session(session, live)
    assert {r.status for r in running.list_rounds(session, live)} == {RoundStatus.CLOSED}
    with pytest.raises(Conflict):
        joining.find_by_code(session, live.join_code)
