"""Adopting a round follows the method: a preview of the priority order, insert at a place or
replace the order, a rationale per result (an old one shown as outdated), and a warning when
few took part."""

import re
import uuid

from sqlmodel import select

from app.choices import Perspective
from app.results.models import Result
from app.sessions import joining, running, voting
from tests import factories


def a_closed_round_with_one_voter(session, organisation):
    """Results V1-V4 with their reasons; a dot round on two new proposals with one phone."""
    cycle = factories.make_cycle(session, organisation)
    for n in range(1, 5):
        result = factories.make_result(session, cycle, f"Bestaand resultaat {n}")
        result.rationale = f"Reden voor plaats {n}"
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", target="results", dots=2)
    new = [running.add_item(session, round_, text) for text in ("Nieuw A", "Nieuw B")]
    running.start_round(session, round_)
    _, person = joining.join(session, live, Perspective.RESIDENT, None)
    voting.cast_dot(session, person, round_.id, new[1].id, str(uuid.uuid4()))
    running.close_round(session, round_)
    session.commit()
    return cycle, round_, new


def preview(page: str) -> list[str]:
    """The priority order the adoption form shows, without codes and notes."""
    listed = page.split('aria-labelledby="voorbeeld">', 1)[1].split("</ol>", 1)[0]
    return [
        text.strip()
        for text in re.findall(r"<li>(?:<span class=\"kompas-code\">\w+</span> )?([^<]+)", listed)
    ]


def ranked(session, cycle) -> list[str]:
    session.expire_all()
    return [
        r.text
        for r in session.exec(
            select(Result).where(Result.cycle_id == cycle.id).order_by(Result.rank)
        ).all()
    ]


def test_a_preview_then_inserting_at_a_place_with_a_new_rationale(client, session, organisation):
    cycle, round_, (a, b) = a_closed_round_with_one_voter(session, organisation)
    page = client.get(f"/rondes/{round_.id}").text
    assert (
        "Lage opkomst: 1 deelnemer heeft meegedaan (inwoner of doelgroep 1), minder dan 5; "
        "niemand van gemeente en aanbieder" in page
    )
    assert preview(page) == [  # by default after the existing results, whose order stays
        *[f"Bestaand resultaat {n}" for n in range(1, 5)],
        "Nieuw B",
        "Nieuw A",
    ]

    form = {
        f"keuze-{a.id}": "on",
        f"keuze-{b.id}": "on",
        "plaatsing": "insert",
        "vanaf": "2",
        f"waarom-{b.id}": "De inwoners kozen dit als eerste",
    }
    shown = client.post(f"/rondes/{round_.id}/overnemen", data={**form, "voorbeeld": "1"})
    assert shown.status_code == 200
    assert 'Bestaand resultaat 2 <span class="kompas-muted">(andere plaats: de toelichting' in (
        shown.text
    )
    assert "De inwoners kozen dit als eerste</textarea>" in shown.text  # typed values kept
    assert ranked(session, cycle)[:4] == [f"Bestaand resultaat {n}" for n in range(1, 5)]

    done = client.post(f"/rondes/{round_.id}/overnemen", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert ranked(session, cycle) == [
        "Bestaand resultaat 1",
        "Nieuw B",
        "Nieuw A",
        "Bestaand resultaat 2",
        "Bestaand resultaat 3",
        "Bestaand resultaat 4",
    ]
    step = client.get(f"/cycli/{cycle.id}/stappen/2").text
    assert "<strong>Waarom deze prioriteit:</strong> Reden voor plaats 1" in step
    assert "<strong>Waarom deze prioriteit:</strong> De inwoners kozen dit als eerste" in step
    assert "andere plaats in de prioriteit:</strong> Reden voor plaats 2" in step


def test_replacing_the_order_through_the_api(client, session, organisation):
    cycle, round_, (a, _) = a_closed_round_with_one_voter(session, organisation)
    adopted = client.post(
        f"/api/v2/rondes/{round_.id}/overnames",
        json={"plaatsing": "vervangen", "onderbouwingen": {str(a.id): "Ook genoemd"}},
        headers={"If-Match": client.get(f"/api/v2/rondes/{round_.id}").headers["ETag"]},
    )
    assert adopted.status_code == 201, adopted.text
    assert ranked(session, cycle)[:3] == ["Nieuw B", "Nieuw A", "Bestaand resultaat 1"]
    wrong = client.post(f"/rondes/{round_.id}/overnemen", data={"plaatsing": "ergens"})
    assert wrong.status_code in (409, 422)
