"""The verslag as PDF and as Word, in the report's house style: the PDF a tagged PDF/UA-1
document (app/pdf.py: structure, language nl-NL, title) laid out with the report's print
stylesheet; the Word file through the report's writer (A4, Dutch, page numbers)."""

from dataclasses import dataclass

from sqlmodel import Session

from app.choices import Perspective
from app.cycles.models import Cycle
from app.cycles.steps import STEPS
from app.formatting import format_date, format_number
from app.pdf import render_pdf
from app.reports.pdf import PRINT_CSS
from app.sessions import adoption, record, scoring, werkvormen
from app.sessions.models import LiveSession
from app.templating import templates


@dataclass
class Verslag:
    """Everything the verslag holds, read once for the page, the PDF and the Word file."""

    live: LiveSession
    cycle: Cycle
    organisation: str
    attendance: dict[Perspective, int]  # people on phones
    paper: dict[Perspective, int]  # paper ballots, not people
    records: list[record.RoundRecord]

    @property
    def title(self) -> str:
        return f"Verslag: {self.live.title}"

    @property
    def facts(self) -> list[tuple[str, str]]:
        live = self.live
        facts = [
            ("Datum", format_date(live.held_on)),
            ("Thema en cyclus", f"{self.cycle.theme.name}, {self.cycle.period}"),
            ("Stap", f"{live.step}. {STEPS[live.step].name}"),
        ]
        if live.facilitator:
            facts.append(("Procesbegeleider", live.facilitator))
        if live.location:
            facts.append(("Plaats", live.location))
        return facts

    @property
    def present(self) -> str:
        people = sum(self.attendance.values())
        groups = ", ".join(f"{p.label.lower()} {n}" for p, n in self.attendance.items())
        return (
            f"{people} {'deelnemer' if people == 1 else 'deelnemers'} met een telefoon: {groups}."
        )

    @property
    def ballots(self) -> str | None:
        ballots = sum(self.paper.values())
        if not ballots:
            return None
        groups = ", ".join(f"{p.label.lower()} {n}" for p, n in self.paper.items() if n)
        kind = "papieren stembiljet" if ballots == 1 else "papieren stembiljetten"
        return (
            f"Daarnaast {ballots} {kind} ingevoerd ({groups}): hun stemmen tellen mee in de "
            "uitslag, niet als extra deelnemers (wie op papier stemde, kan ook een telefoon "
            "hebben gehad)."
        )


def verslag(session: Session, live: LiveSession, cycle: Cycle, organisation: str) -> Verslag:
    paper = record.paper_ballots(session, live)
    return Verslag(
        live=live,
        cycle=cycle,
        organisation=organisation,
        attendance=record.on_phones(scoring.attendance(session, live), paper),
        paper=paper,
        records=record.record(session, live),
    )


def _score_label(entry: record.RoundRecord) -> str:
    return werkvormen.of(entry.round.kind).score_label


def verslag_pdf(v: Verslag) -> bytes:
    html = templates.env.get_template("sessions/record_print.html").render(
        v=v, summary=adoption.evidence_summary, score_label=_score_label
    )
    return render_pdf(html, PRINT_CSS)


def verslag_docx(v: Verslag) -> bytes:
    # python-docx loads when a file is made, not with every app process (app/reports/formats.py).
    from app.reports.word import About, Writer

    w = Writer(
        About(
            title=v.title,
            subject=f"{v.cycle.theme.name}, {v.cycle.period}",
            author=v.organisation,
            header=f"{v.organisation} · {v.title} · {format_date(v.live.held_on)}",
        )
    )
    w.heading(v.title, level=0)
    for label, value in v.facts:
        line = w.paragraph(f"{label}: ")
        line.runs[0].bold = True
        line.add_run(value)
    w.heading("Aanwezig", 1)
    w.paragraph(v.present)
    if v.ballots:
        w.paragraph(v.ballots)
    w.heading("Afspraken en vervolgstappen", 1)
    for paragraph in (v.live.agreements or "Nog niet vastgelegd.").split("\n"):
        if paragraph.strip():
            w.paragraph(paragraph)
    for entry in v.records:
        r = entry.round
        w.heading(f"{r.position}. {r.title}", 1)
        w.paragraph(" · ".join(filter(None, [r.kind.label, r.status.label.lower(), r.question])))
        outcome = entry.outcome
        w.paragraph(entry.counted)
        if outcome is not None and outcome.rows:
            if outcome.ranked:
                w.table(
                    ("Plaats", "Keuze", _score_label(entry), "Stemmen"),
                    [
                        (
                            row.rank,
                            f"{row.item.text} (nr. {row.item.code})",
                            format_number(row.score),
                            row.votes,
                        )
                        for row in outcome.rows
                    ],
                    numeric=(0, 2, 3),
                    caption=f"Uitslag van {r.title}",
                )
            else:
                w.heading("Op het scherm", 2)
                w.numbered(
                    [
                        row.item.text + (f" (+{len(row.members)} gelijk)" if row.members else "")
                        for row in outcome.rows
                    ]
                )
        if entry.sent:
            w.heading(
                f"Alle {len(entry.sent)} voorstellen zoals ingestuurd, van {entry.senders} "
                f"{'deelnemer' if entry.senders == 1 else 'deelnemers'}",
                2,
            )
            w.numbered([_sent_line(s) for s in entry.sent])
        if entry.adoptions:
            w.heading(f"Overgenomen als {r.target.label.lower()}", 2)
            for a in entry.adoptions:
                w.paragraph(f"{a.label} ({adoption.evidence_summary(a.evidence)})", "ListBullet")
    return w.finish()


def _sent_line(sent: record.Sent) -> str:
    marks = ", ".join(sent.marks)
    rewritten = f"; op het scherm als: {sent.now}" if sent.now else ""
    return f"{sent.text} ({marks}{rewritten})"
