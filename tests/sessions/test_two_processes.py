"""Scale out: two app processes (uvicorn, real servers) on one PostgreSQL database. A vote
cast through one appears on a projector served by the other, and the other way round: nothing
a live screen needs is kept in one process's memory."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session

from app import migrate
from app.auth import SESSION_COOKIE
from app.db import make_engine
from app.organisations.models import Role
from app.sessions import live as live_updates
from app.sessions import running
from bench.server import start
from bench.session_clients import Phone, Projector, join, new_key, pool, vote
from tests import factories
from tests.conftest import BACKENDS, fresh_database
from tests.event_loop import run

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="no PostgreSQL server")

# Well before the safety poll: what brings the vote across is the notification.
ARRIVES_WITHIN = live_updates.SAFETY_POLL - 1


@pytest.fixture
def two_servers(tmp_path) -> Iterator[tuple[str, str, dict]]:
    """Two uvicorn processes on one fresh PostgreSQL database with a running dot round."""
    with fresh_database("postgresql", str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                organisation = factories.make_organisation(session)
                facilitator = factories.make_member(session, organisation, Role.FACILITATOR)
                cookie = factories.sign_in(session, facilitator).cookie
                live = factories.make_live_session(
                    session, factories.make_cycle(session, organisation)
                )
                round_ = factories.make_round(session, live, "dots", dots=3, several_per_item=True)
                item = running.add_item(session, round_, "Minder jongeren zonder startkwalificatie")
                running.start_round(session, round_)
                session.commit()
            facts = {
                "cookie": cookie,
                "session_id": live.id,
                "code": live.join_code,
                "round_id": round_.id,
                "item_id": item.id,
            }
            with start(url, deployed=False) as first, start(url, deployed=False) as second:
                yield first.url, second.url, facts
        finally:
            engine.dispose()


def test_a_vote_through_one_process_reaches_the_projector_of_the_other(two_servers):
    first, second, facts = two_servers

    async def session_in_two_processes() -> list[int]:
        cookies = {SESSION_COOKIE: facts["cookie"]}
        async with (
            pool(first, 2) as phones_first,
            pool(second, 2) as phones_second,
            httpx.AsyncClient(base_url=first, cookies=cookies, timeout=None) as screen_first,
            httpx.AsyncClient(base_url=second, cookies=cookies, timeout=None) as screen_second,
        ):
            projectors = [
                Projector(screen_first, facts["session_id"]),
                Projector(screen_second, facts["session_id"]),
            ]
            following = [asyncio.create_task(p.follow()) for p in projectors]
            try:
                while not all(p.events for p in projectors):  # both screens are up
                    await asyncio.sleep(0.05)
                phone = Phone(1)
                await join(phones_first, facts["code"], phone)
                shown = []
                # A vote through the first process, then one through the second; each time
                # both projectors show the new count.
                for through, total in ((phones_first, 1), (phones_second, 2)):
                    answer = await vote(
                        through,
                        facts["code"],
                        phone,
                        facts["round_id"],
                        facts["item_id"],
                        new_key(),
                    )
                    assert answer["gebruikt"] == total
                    for projector in projectors:
                        moment = await projector.wait_for(total, ARRIVES_WITHIN)
                        assert moment is not None, f"a projector did not show {total} vote(s)"
                        shown.append(projector.shown[-1][1])
                return shown
            finally:
                for task in following:
                    task.cancel()

    assert run(session_in_two_processes()) == [1, 1, 2, 2]
