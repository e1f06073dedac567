"""100 punten verdelen: each participant divides 100 points over the choices, as many on one
choice as they like (fits deciding under a budget cut: where does the money matter most). A
choice's score is the sum of its points. A division is sent whole, adds up to exactly 100,
and replaces the participant's earlier one."""

from collections import defaultdict

from sqlmodel import Session

from app.choices import Perspective
from app.errors import InvalidInput
from app.sessions import tally, voting
from app.sessions.models import Participant, Round, RoundItem, RoundKind
from app.sessions.werkvormen.base import Paper, Phone, Werkvorm
from app.sessions.werkvormen.reading import whole_numbers

POINTS = 100
FIELD = "punten-"
PER_CHOICE = f"Vul per keuze een aantal punten in van 0 tot en met {POINTS}."


def submit_points(
    session: Session,
    participant: Participant,
    round_id: int,
    points: dict[int, int],
    key: str,
    *,
    paper: bool = False,
) -> voting.Receipt:
    """Points per choice (those without points left out), together exactly POINTS."""

    def checked(_round: Round, choices: dict[int, RoundItem]) -> list[voting.Mark]:
        if any(item_id not in choices for item_id in points):
            raise InvalidInput({"punten": "Punten horen alleen bij keuzes van deze ronde."})
        if any(not 0 < value <= POINTS for value in points.values()):
            raise InvalidInput({"punten": PER_CHOICE})
        given = sum(points.values())
        if given != POINTS:
            raise InvalidInput(
                {
                    "punten": f"Verdeel precies {POINTS} punten: je hebt er nu {given} "
                    f"verdeeld ({abs(POINTS - given)} te {'weinig' if given < POINTS else 'veel'})."
                }
            )
        return [voting.Mark(item_id, value) for item_id, value in sorted(points.items())]

    return voting.submit_whole(
        session,
        participant,
        round_id,
        key,
        kind=RoundKind.POINTS,
        wrong_kind={"punten": "In deze ronde verdeel je geen punten."},
        first=1,
        marks=checked,
        paper=paper,
    )


def read(form: dict[str, str], _round: Round | None = None) -> dict[int, int]:
    """`punten-{item}` = 0..100 (a phone's form and the paper tally alike)."""
    return whole_numbers(form, FIELD, POINTS, PER_CHOICE)


def enter(
    session: Session, ballot: Participant, round_: Round, points: dict[int, int]
) -> voting.Receipt:
    return submit_points(session, ballot, round_.id, points, "papier-punten", paper=True)  # type: ignore[arg-type]


def count(
    session: Session, round_: Round, items: list[RoundItem], present: dict[Perspective, int]
) -> tally.Outcome:
    rows = tally.choice_rows(items)
    votes = tally.ballots(session, round_)
    voters: dict[Perspective, set[int]] = defaultdict(set)
    for vote, perspective in votes:
        voters[perspective].add(vote.participant_id)
        if (row := rows.get(vote.item_id)) is None:
            continue
        row.score += vote.value
        row.votes += 1
        row.paper += vote.paper
        row.per_perspective[perspective] = row.per_perspective.get(perspective, 0) + vote.value
    return tally.ranked(
        round_, items, present, rows, len(votes), {p: len(ids) for p, ids in voters.items()}
    )


WERKVORM = Werkvorm(
    kind=RoundKind.POINTS,
    allowance=lambda _round, _items: POINTS,
    count=count,
    score_label="Punten",
    rule=f"Telling: elke deelnemer verdeelt {POINTS} punten over de keuzes, zoveel op één keuze "
    "als hij wil; de score van een keuze is de som van haar punten.",
    name="points",
    phone=Phone(
        path="punten",
        saved="Je verdeling is opgeslagen.",
        read=read,
        submit=lambda session, participant, round_id, points, key: submit_points(
            session, participant, round_id, points, key
        ),
    ),
    paper=Paper(field="punten-", read=read, enter=enter),
)
