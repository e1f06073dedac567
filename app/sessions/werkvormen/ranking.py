"""Rangschikken (Borda count): each participant puts the choices in order. With n choices a
first place earns n points, the second n - 1, ..., the last 1; choices left out earn nothing.
A choice's score is the sum; ties are broken by the number of first places. A ranking is sent
whole and replaces the participant's earlier one."""

from collections import defaultdict

from sqlmodel import Session

from app.choices import Perspective
from app.errors import InvalidInput
from app.sessions import tally, voting
from app.sessions.models import Participant, Round, RoundItem, RoundKind
from app.sessions.werkvormen.base import Paper, Phone, Werkvorm
from app.sessions.werkvormen.reading import whole_numbers

PLACE = "Vul een plaats in: 1, 2, 3, ..."


def submit_ranking(
    session: Session,
    participant: Participant,
    round_id: int,
    order: list[int],
    key: str,
    *,
    paper: bool = False,
) -> voting.Receipt:
    """A participant's order of the choices (first is best); a new order replaces theirs."""

    def places(_round: Round, choices: dict[int, RoundItem]) -> list[voting.Mark]:
        if len(set(order)) != len(order) or not order or any(i not in choices for i in order):
            raise InvalidInput(
                {
                    "volgorde": "Zet elke keuze hoogstens één keer in de volgorde, alleen "
                    "keuzes uit deze ronde."
                }
            )
        return [voting.Mark(item_id, place) for place, item_id in enumerate(order, start=1)]

    return voting.submit_whole(
        session,
        participant,
        round_id,
        key,
        kind=RoundKind.RANKING,
        wrong_kind={"volgorde": "In deze ronde rangschik je niet."},
        first=1,
        marks=places,
        paper=paper,
    )


def _order(places: dict[int, int], field: str) -> list[int]:
    if len(set(places.values())) != len(places):
        raise InvalidInput({field: "Geef elke keuze een andere plaats."})
    return sorted(places, key=lambda item: places[item])


def read_phone(form: dict[str, str]) -> list[int]:
    """`plaats-{item}` = 1..n for each choice; the order follows the places given."""
    try:
        places = whole_numbers(form, "plaats-", 999, PLACE)
    except InvalidInput:
        raise InvalidInput({"volgorde": "Geef elke keuze een plaats: 1, 2, 3, ..."}) from None
    return _order(places, "volgorde")


def read_tally(form: dict[str, str], _round: Round) -> dict[int, int]:
    places = whole_numbers(form, "plaats-", 99, PLACE)
    _order(places, "__all__")
    return places


def enter(
    session: Session, ballot: Participant, round_: Round, places: dict[int, int]
) -> voting.Receipt:
    order = _order(places, "__all__")
    return submit_ranking(session, ballot, round_.id, order, "papier-rangorde", paper=True)  # type: ignore[arg-type]


def count(
    session: Session, round_: Round, items: list[RoundItem], present: dict[Perspective, int]
) -> tally.Outcome:
    rows = tally.choice_rows(items)
    votes = tally.ballots(session, round_)
    voters: dict[Perspective, set[int]] = defaultdict(set)
    n = len(rows)
    for vote, perspective in votes:
        if (row := rows.get(vote.item_id)) is None:
            continue
        points = max(n - vote.value + 1, 0)
        row.score += points
        row.votes += 1
        row.firsts += vote.value == 1
        row.paper += vote.paper
        row.per_perspective[perspective] = row.per_perspective.get(perspective, 0) + points
        voters[perspective].add(vote.participant_id)
    return tally.ranked(
        round_, items, present, rows, len(votes), {p: len(ids) for p, ids in voters.items()}
    )


WERKVORM = Werkvorm(
    kind=RoundKind.RANKING,
    allowance=lambda _round, items: items,
    count=count,
    score_label="Punten (Borda)",
    rule="Telling (Borda): bij n keuzes krijgt de eerste plaats van een deelnemer n punten, de "
    "tweede n − 1, enzovoort; niet geplaatste keuzes krijgen niets. Bij gelijke punten telt wie "
    "vaker eerste werd.",
    name="ranking",
    phone=Phone(
        path="rangorde",
        saved="Je volgorde is opgeslagen.",
        read=read_phone,
        submit=lambda session, participant, round_id, order, key: submit_ranking(
            session, participant, round_id, order, key
        ),
    ),
    paper=Paper(field="plaats-", read=read_tally, enter=enter),
)
