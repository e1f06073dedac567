"""Cycle N next to cycle N+1: ambition, results, priorities, activity decisions, indicators."""

from datetime import date
from decimal import Decimal

import pytest

from app.ambitions import service as ambitions_service
from app.ambitions.models import AmbitionWrite
from app.cycles import service as cycles_service
from app.errors import NotFound
from app.improvement import rollover
from app.improvement import service as improvement_service
from app.improvement.models import (
    ActivityDecisionCreate,
    Decision,
    ResultDecisionCreate,
    ResultDecisionKind,
)
from app.reports.comparison import compare, word_diff
from app.results import service as results_service
from tests import factories


@pytest.fixture
def handed_over(session, organisation, filled):
    cycle = filled["cycle"]
    third = factories.make_result(session, cycle, "Jongeren ronden school af")
    improvement_service.create_result_decision(
        session,
        filled["work"],
        ResultDecisionCreate(
            decision=ResultDecisionKind.REWORD,
            new_text="Meer inwoners vinden duurzaam betaald werk",
            rationale="Duurzaam betekent: na een jaar nog aan het werk.",
        ),
    )
    improvement_service.create_result_decision(
        session,
        third,
        ResultDecisionCreate(decision=ResultDecisionKind.DROP, rationale="Ligt bij het onderwijs."),
    )
    bingo = factories.make_activity(session, cycle, name="Bingomiddag")
    improvement_service.create_decision(
        session, bingo, ActivityDecisionCreate(decision=Decision.STOP, rationale="Geen effect.")
    )
    new = rollover.start_next_cycle(session, cycle)
    ambitions_service.save_ambition(
        session, new, AmbitionWrite(text="Iedereen in Kampen doet mee en telt mee.")
    )
    added = factories.make_result(session, new, "Minder schulden bij jonge gezinnen")
    results_service.move_result(session, added, 1)
    return cycles_service.get_cycle(session, organisation, new.id)


def test_the_comparison_shows_what_the_hand_over_changed(
    session, organisation, filled, handed_over
):
    new = handed_over
    c = compare(session, organisation, new)
    assert (c.before.id, c.after.id) == (filled["cycle"].id, new.id)
    assert c.ambition_changed
    assert [(w.change, w.text) for w in c.ambition_words] == [
        ("", "Iedereen in Kampen doet"),
        ("-", "mee, naar vermogen."),
        ("+", "mee en telt mee."),
    ]
    kinds = {(r.kind, r.before or r.after) for r in c.results}
    assert ("added", "Minder schulden bij jonge gezinnen") in kinds
    assert ("dropped", "Jongeren ronden school af") in kinds
    assert ("kept", "Minder inwoners voelen zich eenzaam") in kinds
    reworded = next(r for r in c.results if r.kind == "reworded")
    assert reworded.after == "Meer inwoners vinden duurzaam betaald werk"
    assert ("+", "betaald") in [(w.change, w.text) for w in reworded.words]
    assert reworded.rationale == "Duurzaam betekent: na een jaar nog aan het werk."
    # Priority: the new result went first, so the others each moved one place down.
    lonely = next(r for r in c.results if r.kind == "kept")
    assert (lonely.rank_before, lonely.rank_after, lonely.shift) == (1, 2, -1)
    activities = {a.name: a for a in c.activities}
    assert activities["Bingomiddag"].decision == "Stoppen"
    assert activities["Bingomiddag"].status_after is None
    assert activities["Maatje bij werkhervatting"].status_after == "Versterken"
    outflow = next(i for i in c.indicators if i.name == "Uitstroom naar werk")
    assert outflow.state == "doorgezet"
    assert outflow.last_before == Decimal(47) and outflow.last_before_on == date(2021, 1, 1)
    assert outflow.baseline_after == Decimal(47)


def test_the_first_cycle_is_compared_with_the_one_after_it(
    session, organisation, filled, handed_over
):
    c = compare(session, organisation, filled["cycle"])
    assert c.before.id == filled["cycle"].id and c.after.id == handed_over.id


def test_a_lone_cycle_has_nothing_to_compare(session, organisation):
    with pytest.raises(NotFound):
        compare(session, organisation, factories.make_cycle(session, organisation))


def test_the_word_diff_keeps_the_words_in_order():
    pieces = word_diff("Minder inwoners eenzaam", "Minder ouderen eenzaam thuis")
    assert [(p.change, p.text) for p in pieces] == [
        ("", "Minder"),
        ("-", "inwoners"),
        ("+", "ouderen"),
        ("", "eenzaam"),
        ("+", "thuis"),
    ]
