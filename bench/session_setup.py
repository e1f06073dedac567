"""The benchmark's session: the Gemeente Kampen demo with, in the Werk cycle, a live session
of three dot-voting rounds on the cycle's results: a welcome round open while the phones join,
the measured round the facilitator opens next (every phone must show it), and the round for
the run at the server's limit.

Written through the domain services, as the facilitator's screens would write it.
"""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import migrate
from app.demo.kampen import SLUG
from app.demo.load import load_demo
from app.organisations import service as organisations_service
from app.sessions import running
from app.sessions.models import LiveSessionCreate, Round, RoundCreate, RoundKind, Vote
from bench.generate import _measured_cycle

STEP = 2  # maatschappelijke resultaten and their priority


@dataclass(frozen=True)
class Setup:
    cycle_id: int
    session_id: int
    join_code: str
    # The measured round (opened once the phones follow the welcome round) and the round for
    # the run at the server's limit.
    round_id: int
    limit_round_id: int
    items: tuple[int, ...]
    limit_items: tuple[int, ...]


def prepare(url: str, engine: Engine, dots: int, limit_dots: int) -> Setup:
    """Migrate, load the demo, and make the session with its welcome round open."""
    migrate.upgrade(url)
    load_demo(engine)
    with Session(engine, expire_on_commit=False) as session:
        organisation = organisations_service.get_by_slug(session, SLUG)
        assert organisation is not None
        cycle = _measured_cycle(session, organisation)
        live = running.create_session(
            session,
            cycle,
            LiveSessionCreate(
                title="Werksessie Werk: welke resultaten eerst?",
                step=STEP,
                facilitator="Joost Mulder",
                location="Stadhuis Kampen, raadszaal",
            ),
        )
        rounds = []
        for title, allowance in (
            ("Welkom", 1),
            ("Prioriteiten", dots),
            ("Prioriteiten, tweede ronde", limit_dots),
        ):
            round_ = running.create_round(
                session,
                live,
                RoundCreate(
                    title=title,
                    kind=RoundKind.DOTS,
                    question="Plak je stippen op de resultaten die voor jou het belangrijkst zijn.",
                    dots=allowance,
                    several_per_item=True,
                ),
            )
            items = running.items_from_results(session, round_)
            rounds.append((round_, tuple(i.id for i in items)))
        (welcome, _), (first, items), (limit, limit_items) = rounds
        running.start_round(session, welcome)
        session.commit()
        return Setup(
            cycle_id=cycle.id,  # type: ignore[arg-type]
            session_id=live.id,  # type: ignore[arg-type]
            join_code=live.join_code,
            round_id=first.id,  # type: ignore[arg-type]
            limit_round_id=limit.id,  # type: ignore[arg-type]
            items=items,  # type: ignore[arg-type]
            limit_items=limit_items,  # type: ignore[arg-type]
        )


def open_measured_round(engine: Engine, setup: Setup) -> None:
    """The facilitator opens the measured round (the welcome round pauses): every phone's
    stream brings it, rendered once per app process."""
    with Session(engine, expire_on_commit=False) as session:
        running.start_round(session, session.get_one(Round, setup.round_id))
        session.commit()


def start_limit_round(engine: Engine, setup: Setup) -> None:
    """Close the measured round and open the second one, as the facilitator would."""
    with Session(engine, expire_on_commit=False) as session:
        running.close_round(session, session.get_one(Round, setup.round_id))
        running.start_round(session, session.get_one(Round, setup.limit_round_id))
        session.commit()


def stored_votes(engine: Engine, round_id: int) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).where(Vote.round_id == round_id)).one()
