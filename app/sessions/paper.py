"""Paper alongside phones: printable ballot sheets (PDF) with item codes, and the tally of
paper ballots, which count like phone votes and are marked as paper."""

from sqlmodel import Session

from app.choices import Perspective
from app.errors import Conflict, InvalidInput
from app.ids import UNKNOWN_CHOICE, parse_id
from app.pdf import render_pdf
from app.sessions import running, voting
from app.sessions.models import LiveSession, Participant, Round, RoundKind
from app.templating import templates

MAX_COPIES = 60


PAPER_KINDS = (RoundKind.DOTS, RoundKind.RANKING)


def check_paper_round(round_: Round) -> None:
    if round_.kind not in PAPER_KINDS:
        raise Conflict(
            "Papieren stembiljetten zijn er voor stippen plakken en rangschikken. Bij andere "
            "werkvormen schrijft de procesbegeleider de inbreng over."
        )


def ballot_pdf(session: Session, live: LiveSession, round_: Round, copies: int) -> bytes:
    """One A4 ballot per page: the choices with their codes and a box per dot."""
    check_paper_round(round_)
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
    """The tally form: `perspectief`, and per choice `stippen-{item}` (dots) or
    `plaats-{item}` (a place in the ranking, 1 is first)."""
    errors = {}
    try:
        perspective = Perspective(form.get("perspectief", ""))
    except ValueError:
        errors["perspectief"] = "Kies het perspectief dat op het biljet is aangekruist."
        perspective = Perspective.OTHER
    prefix = "stippen-" if round_.kind is RoundKind.DOTS else "plaats-"
    most = round_.dots if round_.kind is RoundKind.DOTS else 99
    values: dict[int, int] = {}
    for name, value in form.items():
        if not name.startswith(prefix) or not value.strip():
            continue
        item, count = parse_id(name.removeprefix(prefix)), value.strip()
        if item is None:
            errors[name] = UNKNOWN_CHOICE
            continue
        if not (count.isascii() and count.isdigit() and len(count) < 3 and int(count) <= most):
            errors[name] = (
                f"Vul een aantal stippen in van 0 tot en met {round_.dots}."
                if round_.kind is RoundKind.DOTS
                else "Vul een plaats in: 1, 2, 3, ..."
            )
            continue
        if int(count):
            values[item] = int(count)
    if round_.kind is RoundKind.RANKING and len(set(values.values())) != len(values):
        errors["__all__"] = "Geef elke keuze op het biljet een andere plaats."
    if errors:
        raise InvalidInput(errors)
    return perspective, values


def enter_ballot(
    session: Session, round_: Round, perspective: Perspective, values: dict[int, int]
) -> Participant:
    check_paper_round(round_)
    if round_.kind is RoundKind.RANKING:
        order = sorted(values, key=lambda item: values[item])
        return voting.paper_ranking(session, round_, perspective, order)
    return voting.paper_ballot(session, round_, perspective, values)
