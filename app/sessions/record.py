"""The session's verslag: attendance per perspective (people on phones; paper ballots named
apart), the room's afspraken and next steps, every round with its results, every proposal as
it was sent (clustered, hidden, rewritten or never approved ones marked) and what was adopted;
as a page, as CSV (Dutch decimal commas), and as PDF (tagged PDF/UA, app/pdf.py) and Word
(app/reports/word.py) in the report's house style."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.choices import Perspective
from app.cycles import service as cycles_service
from app.downloads import csv_lines
from app.errors import InvalidInput
from app.formatting import format_number
from app.sessions import adoption, scoring
from app.sessions.models import (
    AGREEMENTS_MAX,
    Adoption,
    LiveSession,
    Participant,
    Round,
    RoundItem,
    RoundStatus,
)
from app.text import clean_value


@dataclass
class Sent:
    """A proposal as its participant sent it, and what became of it."""

    item: RoundItem
    text: str  # as sent
    now: str | None  # the text the facilitator gave it, when rewritten
    marks: list[str] = field(default_factory=list)


@dataclass
class RoundRecord:
    round: Round
    outcome: scoring.Outcome | None
    adoptions: list[Adoption]

    @property
    def sent(self) -> list[Sent]:
        """Every proposal of an inbreng or begrip round, in the order they came in."""
        if self.outcome is None or not self.round.collects_text:
            return []
        numbers = {i.id: i.number for i in self.outcome.items}
        hidden = self.outcome.hidden
        found = []
        for item in self.outcome.items:
            marks = [f"nr. {item.number}"]
            if item.perspective and item.perspective not in hidden:
                marks.append(item.perspective.label.lower())
            if item.participant_id is None and item.key is None:
                marks.append("toegevoegd door de procesbegeleider")
            if item.merged_into_id:
                marks.append(f"samengevoegd met nr. {numbers.get(item.merged_into_id, '?')}")
            if item.hidden:
                marks.append("verborgen")
            if item.pending:
                marks.append("niet goedgekeurd, niet op het scherm geweest")
            was = item.sent_text
            found.append(Sent(item, was or item.text, item.text if was else None, marks))
        return found

    @property
    def senders(self) -> int:
        """How many people sent the round's proposals (hidden ones too)."""
        return len({s.item.participant_id for s in self.sent if s.item.participant_id})

    @property
    def counted(self) -> str:
        """What the round's figures count, in words: "10 voorstellen van 5 deelnemers"."""
        outcome = self.outcome
        if outcome is None:
            return "Niet gehouden."
        people = outcome.voter_count
        if outcome.ranked:
            line = f"{people} {'deelnemer heeft' if people == 1 else 'deelnemers hebben'} gestemd"
        else:
            n = outcome.total_votes
            line = (
                f"{n} {'voorstel' if n == 1 else 'voorstellen'} van {people} "
                f"{'deelnemer' if people == 1 else 'deelnemers'}"
            )
        groups = [
            f"{p.label.lower()} {outcome.voters[p]}" for p in PERSPECTIVES if outcome.voters[p]
        ]
        return line + (f": {', '.join(groups)}." if groups else ".")


PERSPECTIVES = scoring.PERSPECTIVES


def save_agreements(session: Session, live: LiveSession, text: str) -> LiveSession:
    """The room's afspraken and next steps, also after the session closed (the verslag is
    finished afterwards); empty removes them."""
    cycles_service.ensure_open(session, live.cycle_id)
    try:
        cleaned = clean_value(text, multiline=True)
    except ValueError as exc:
        raise InvalidInput({"afspraken": str(exc)}) from None
    if cleaned and len(cleaned) > AGREEMENTS_MAX:
        raise InvalidInput(
            {
                "afspraken": f"Houd het korter: hoogstens {AGREEMENTS_MAX:_} tekens.".replace(
                    "_", "."
                )
            }
        )
    live.agreements = cleaned
    session.add(live)
    session.flush()
    return live


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
    "ingestuurd",
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
            "",
        ]
        if live.agreements:
            yield ["afspraken en vervolgstappen", *[""] * 4, live.agreements]
        if any(paper.values()):
            yield [
                "papieren stembiljetten",
                *[""] * 6,
                sum(paper.values()),
                sum(paper.values()),
                *[paper[p] for p in scoring.PERSPECTIVES],
                "",
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
                    "",
                ]
            # Every proposal as it was sent, with what became of it.
            for sent in entry.sent:
                marks = ", ".join(
                    sent.marks[1:] + ([f"herschreven tot: {sent.now}"] if sent.now else [])
                )
                yield [
                    r.title,
                    r.kind.label,
                    r.status.label,
                    "",
                    sent.item.code,
                    sent.text,
                    *[""] * (len(HEADER) - 7),
                    marks or "zoals getoond",
                ]

    yield "\ufeff"  # so that Excel reads the file as UTF-8
    yield from csv_lines(HEADER, rows())


def filename(live: LiveSession, extension: str = "csv") -> str:
    return f"verslag {live.title} {live.held_on.isoformat()}.{extension}"
