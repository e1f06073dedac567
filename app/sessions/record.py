"""The session's verslag: attendance per perspective (people on phones; paper ballots named
apart), every round with its results, every proposal as it was sent and what was adopted, as a
printable page and as CSV (Dutch decimal commas)."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.choices import Perspective
from app.downloads import csv_lines
from app.formatting import format_number
from app.sessions import adoption, scoring
from app.sessions.models import Adoption, LiveSession, Participant, Round, RoundStatus


@dataclass
class RoundRecord:
    round: Round
    outcome: scoring.Outcome | None
    adoptions: list[Adoption]


def paper_ballots(session: Session, live: LiveSession) -> dict[Perspective, int]:
    """The paper ballots typed in per perspective: ballots, not people (whoever filled one in
    may have had a phone too), so the attendance leaves them out and names them apart."""
    counts = dict(
        session.exec(
            select(Participant.perspective, func.count())
            .where(Participant.session_id == live.id, col(Participant.paper).is_(True))
            .group_by(Participant.perspective)
        ).all()
    )
    return {p: counts.get(p, 0) for p in scoring.PERSPECTIVES}


def on_phones(
    attendance: dict[Perspective, int], paper: dict[Perspective, int]
) -> dict[Perspective, int]:
    """Who took part on a phone, per perspective."""
    return {p: attendance[p] - paper[p] for p in attendance}


def record(session: Session, live: LiveSession) -> list[RoundRecord]:
    adopted = adoption.adoptions_of_session(session, live)
    rounds = []
    for round_ in live.rounds:
        started = round_.status is not RoundStatus.PREPARED
        rounds.append(
            RoundRecord(
                round=round_,
                outcome=scoring.outcome(session, round_) if started else None,
                adoptions=[a for a in adopted if a.round_id == round_.id],
            )
        )
    return rounds


HEADER = [
    "ronde",
    "werkvorm",
    "status",
    "plaats",
    "code",
    "keuze of voorstel",
    "score",
    "stemmen",
    "waarvan op papier",
    *[f"{p.label.lower()}" for p in scoring.PERSPECTIVES],
    "overgenomen als",
]


def _figure(value: float | int | str) -> str | int:
    """A figure as a Dutch spreadsheet reads it: 3,5 (a decimal comma), whole numbers as such."""
    return format_number(value) if isinstance(value, float) else value


def csv_rows(session: Session, live: LiveSession) -> Iterator[str]:
    paper = paper_ballots(session, live)
    attendance = on_phones(scoring.attendance(session, live), paper)
    records = record(session, live)

    def rows() -> Iterator[list]:
        yield [
            "aanwezig",
            "",
            "",
            "",
            "",
            live.title,
            "",
            sum(attendance.values()),
            "",
            *[attendance[p] for p in scoring.PERSPECTIVES],
            "",
        ]
        if any(paper.values()):
            yield [
                "papieren stembiljetten",
                *[""] * 6,
                sum(paper.values()),
                sum(paper.values()),
                *[paper[p] for p in scoring.PERSPECTIVES],
                "",
            ]
        for entry in records:
            r = entry.round
            if entry.outcome is None:
                yield [r.title, r.kind.label, r.status.label, *[""] * (len(HEADER) - 3)]
                continue
            adopted = {a.item_id: a.target.label for a in entry.adoptions}
            for row in entry.outcome.rows:
                yield [
                    r.title,
                    r.kind.label,
                    r.status.label,
                    row.rank if entry.outcome.ranked else "",
                    row.item.code,
                    row.item.text,
                    _figure(row.score),
                    row.votes,
                    row.paper,
                    *[
                        "" if p in entry.outcome.hidden else _figure(row.per_perspective.get(p, 0))
                        for p in scoring.PERSPECTIVES
                    ],
                    adopted.get(row.item.id, ""),
                ]

    yield "\ufeff"  # so that Excel reads the file as UTF-8
    yield from csv_lines(HEADER, rows())


def filename(live: LiveSession) -> str:
    return f"verslag {live.title} {live.held_on.isoformat()}.csv"
