"""Loads the demo's live sessions (app/demo/kampen/sessions.py) through the sessions services,
so the finished session's votes, results and adoption are exactly what the app would make."""

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from app.cycles import service as cycles_service
from app.demo.kampen import sessions as demo
from app.organisations.models import Organisation
from app.results import service as results_service
from app.sessions import adoption, joining, running, voting
from app.sessions.models import (
    LiveSessionCreate,
    Participant,
    Round,
    RoundCreate,
    RoundItem,
    RoundKind,
    RoundStatus,
    Target,
)
from app.tables import row_id


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(19, 30), tzinfo=UTC) + timedelta(minutes=minutes)


def load_sessions(session: Session, organisation: Organisation) -> None:
    theme = next(
        t for t in cycles_service.list_themes(session, organisation) if t.name == demo.THEME
    )
    cycle = cycles_service.active_cycle(theme)
    if cycle is None:
        return
    _finished(session, organisation, cycle)
    _prepared(session, cycle)


def _finished(session: Session, organisation: Organisation, cycle) -> None:
    day = demo.FINISHED_ON
    live = running.create_session(
        session,
        cycle,
        LiveSessionCreate(
            title=demo.FINISHED_TITLE,
            step=2,
            held_on=day,
            facilitator=demo.FACILITATOR,
            location=demo.LOCATION,
        ),
    )
    people: list[Participant] = []
    for n, (perspective, name) in enumerate(demo.PARTICIPANTS):
        _, person = joining.join(session, live, perspective, name)
        person.joined_at = _at(day, n // 4)
        people.append(person)

    def run(round_, minutes: int) -> None:
        running.start_round(session, round_)
        round_.started_at = _at(day, minutes)

    def close(round_, minutes: int) -> None:
        running.close_round(session, round_)
        round_.closed_at = _at(day, minutes)

    inbreng = running.create_round(
        session,
        live,
        RoundCreate(
            title="Wat willen we over drie jaar zien?",
            kind=RoundKind.INPUT,
            question="Schrijf één maatschappelijk resultaat op: wat is er over drie jaar anders "
            "voor inwoners van Kampen?",
        ),
    )
    run(inbreng, 5)
    items = []
    for n, (who, text) in enumerate(demo.PROPOSALS):
        receipt = voting.submit_proposal(
            session, people[who], row_id(inbreng), text, f"demo-inbreng-{n:04d}"
        )
        items.append(session.get_one(RoundItem, receipt.item_id))
    for duplicate, into in demo.MERGED:
        running.merge_item(session, items[duplicate], items[into])
    close(inbreng, 25)

    dots = running.create_round(
        session,
        live,
        RoundCreate(
            title="Welke resultaten eerst?",
            kind=RoundKind.DOTS,
            question="Plak je drie stippen op de resultaten die het eerst aandacht moeten "
            "krijgen, ook als het budget krapper wordt.",
            target=Target.RESULTS,
            dots=3,
        ),
    )
    choices = {}
    for item in running.items_from_results(session, dots):
        assert item.result_id is not None  # an item made from a result
        choices[results_service.get_result(session, organisation, item.result_id).code] = item
    run(dots, 40)
    for who, codes in enumerate(demo.DOTS):
        for n, code in enumerate(codes):
            voting.cast_dot(
                session,
                people[who],
                row_id(dots),
                row_id(choices[code]),
                f"demo-stip-{who:02d}-{n}",
            )
    close(dots, 50)
    for entry in adoption.adopt(session, dots, organisation, demo.FACILITATOR):
        entry.adopted_at = _at(day, 55)

    term = running.create_round(
        session,
        live,
        RoundCreate(
            title="Duurzame uitstroom",
            kind=RoundKind.TERM,
            question="Wat betekent 'duurzame uitstroom' voor jou?",
        ),
    )
    run(term, 60)
    for n, (who, text) in enumerate(demo.MEANINGS):
        key = f"demo-begrip-{n:04d}"
        voting.submit_proposal(session, people[who], row_id(term), text, key)
    close(term, 75)
    running.close_session(session, live)
    live.closed_at = _at(day, 90)
    session.flush()


def _prepared(session: Session, cycle) -> None:
    live = running.create_session(
        session,
        cycle,
        LiveSessionCreate(
            title=demo.PREPARED_TITLE,
            step=3,
            held_on=date.today(),
            facilitator=demo.FACILITATOR,
            location=demo.LOCATION,
        ),
    )
    made: list[Round] = []
    for r in demo.PREPARED_ROUNDS:
        made.append(
            running.create_round(
                session,
                live,
                RoundCreate(
                    title=r.title,
                    kind=r.kind,
                    target=r.target,
                    question=r.question,
                    dots=r.dots,
                    criteria=r.criteria,
                    source_round_id=made[r.source].id if r.source is not None else None,
                ),
            )
        )
    assert all(r.status is RoundStatus.PREPARED for r in made)
