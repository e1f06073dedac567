"""The session's verslag: attendance per perspective, every round with its results and what
was adopted, as a printable page and as CSV."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session

from app.downloads import csv_lines
from app.sessions import adoption, scoring
from app.sessions.models import Adoption, LiveSession, Round, RoundStatus


@dataclass
class RoundRecord:
    round: Round
    outcome: scoring.Outcome | None
    adoptions: list[Adoption]


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


def csv_rows(session: Session, live: LiveSession) -> Iterator[str]:
    attendance = scoring.attendance(session, live)
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
                    row.score,
                    row.votes,
                    row.paper,
                    *[
                        "" if p in entry.outcome.hidden else row.per_perspective.get(p, 0)
                        for p in scoring.PERSPECTIVES
                    ],
                    adopted.get(row.item.id, ""),
                ]

    yield "\ufeff"  # so that Excel reads the file as UTF-8
    yield from csv_lines(HEADER, rows())


def filename(live: LiveSession) -> str:
    return f"verslag {live.title} {live.held_on.isoformat()}.csv"
