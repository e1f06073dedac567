"""Paper alongside phones: printable ballot sheets (PDF) with item codes, and the tally of
paper ballots, which count like phone votes and are marked as paper. Which werkvormen go on
paper, and how a ballot is read and entered, is each werkvorm's (`Werkvorm.paper`)."""

from sqlmodel import Session

from app.choices import Perspective
from app.errors import Conflict, InvalidInput
from app.pdf import render_pdf
from app.sessions import running, voting, werkvormen
from app.sessions.models import LiveSession, Participant, Round
from app.sessions.werkvormen.base import Paper
from app.templating import templates

MAX_COPIES = 60
# A perspective by its value (mypy reads Perspective(value) as Choice.__new__(value, label)).
_PERSPECTIVES = {p.value: p for p in Perspective}


def paper_of(round_: Round) -> Paper:
    found = werkvormen.of(round_.kind).paper
    if found is None:
        on_paper = " en ".join(
            w.kind.label.lower() for w in werkvormen.REGISTRY.values() if w.paper is not None
        )
        raise Conflict(
            f"Papieren stembiljetten zijn er voor {on_paper}. Bij andere werkvormen schrijft de "
            "procesbegeleider de inbreng over."
        )
    return found


def ballot_pdf(session: Session, live: LiveSession, round_: Round, copies: int) -> bytes:
    """One A4 ballot per page: the choices with their codes and a box per dot."""
    paper_of(round_)
    items = [
        i for i in running.items_of(session, round_) if not i.hidden and i.merged_into_id is None
    ]
    if not items:
        raise Conflict("Deze ronde heeft nog geen keuzes om op papier te zetten.")
    html = templates.get_template("sessions/ballot.html").render(
        live=live,
        round=round_,
        items=items,
        copies=range(max(1, min(copies, MAX_COPIES))),
        perspectives=list(Perspective),
    )
    return render_pdf(html)


def parse_tally(form: dict[str, str], round_: Round) -> tuple[Perspective, dict[int, int]]:
    """The tally form: `perspectief`, and per choice the werkvorm's field (such as
    `stippen-{item}`)."""
    errors = {}
    perspective = _PERSPECTIVES.get(form.get("perspectief", ""))
    if perspective is None:
        errors["perspectief"] = "Kies het perspectief dat op het biljet is aangekruist."
        perspective = Perspective.OTHER
    values: dict[int, int] = {}
    try:
        values = paper_of(round_).read(form, round_)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return perspective, values


def enter_ballot(
    session: Session, round_: Round, perspective: Perspective, values: dict[int, int]
) -> Participant:
    """One paper ballot, a participant of its own, under the rules of a phone."""
    paper = paper_of(round_)
    ballot = voting.paper_participant(session, round_, perspective)
    paper.enter(session, ballot, round_, values)
    return ballot
