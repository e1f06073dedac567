"""What a room does to a real server (uvicorn, SQLite and PostgreSQL) and must keep doing: one
phone's parallel votes stay within its allowance, and a server killed in the middle of a burst
of votes loses none it confirmed; the phones' resends after the restart count once."""

import asyncio
import signal
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session, select

from app import migrate
from app.db import make_engine
from app.sessions import running
from app.sessions.models import Vote
from bench.server import start
from bench.session_clients import Failed, Phone, join, new_key, pool, vote
from tests import factories
from tests.conftest import fresh_database
from tests.event_loop import run

DOTS = 3
PHONES = 40


@pytest.fixture
def database(backend, tmp_path) -> Iterator[tuple[str, dict]]:
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = factories.make_organisation(session)
            live = factories.make_live_session(session, factories.make_cycle(session, organisation))
            round_ = factories.make_round(session, live, "dots", dots=DOTS, several_per_item=True)
            item = running.add_item(session, round_, "Minder eenzaamheid")
            running.start_round(session, round_)
            session.commit()
            facts = {"code": live.join_code, "round_id": round_.id, "item_id": item.id}
        try:
            yield url, {**facts, "engine": engine}
        finally:
            engine.dispose()


def test_fifty_parallel_votes_from_one_phone_keep_its_allowance(database):
    url, facts = database
    with start(url, deployed=False) as server:

        async def fifty() -> list[int]:
            async with pool(server.url, 50) as client:
                phone = Phone(1)
                await join(client, facts["code"], phone)

                async def one() -> int:
                    response = await client.post(
                        f"/doe-mee/{facts['code']}/stemmen",
                        data={
                            "ronde": str(facts["round_id"]),
                            "keuze": str(facts["item_id"]),
                            "sleutel": new_key(),
                        },
                        headers=phone.headers,
                    )
                    return response.status_code

                return await asyncio.gather(*(one() for _ in range(50)))

        statuses = run(fifty())
    assert sorted(statuses) == [200] * DOTS + [409] * (50 - DOTS)
    assert len(_keys(facts["engine"])) == DOTS


def test_a_server_killed_mid_burst_loses_no_confirmed_vote(database):
    url, facts = database
    phones = [Phone(n) for n in range(PHONES)]
    # Each phone's dots, by key: confirmed by the server, or still to be sent.
    confirmed: set[str] = set()
    unconfirmed: dict[str, Phone] = {}

    async def burst(base_url: str, keys: dict[str, Phone], kill: "asyncio.Event | None") -> None:
        async with pool(base_url, PHONES) as client:

            async def send(key: str, phone: Phone) -> None:
                try:
                    await vote(
                        client, facts["code"], phone, facts["round_id"], facts["item_id"], key
                    )
                    confirmed.add(key)
                except (httpx.TransportError, Failed):
                    unconfirmed[key] = phone  # no answer: the phone keeps it and resends

            tasks = [asyncio.create_task(send(k, p)) for k, p in keys.items()]
            if kill is not None:
                await asyncio.sleep(0.3)
                kill.set()
            await asyncio.gather(*tasks)

    with start(url, deployed=False) as server:

        async def join_all() -> None:
            async with pool(server.url, PHONES) as client:
                await asyncio.gather(*(join(client, facts["code"], p) for p in phones))

        run(join_all())
        keys = {new_key(): phone for phone in phones for _ in range(DOTS)}

        async def until_killed() -> None:
            kill = asyncio.Event()

            async def killer() -> None:
                await kill.wait()
                server.process.send_signal(signal.SIGKILL)

            await asyncio.gather(burst(server.url, keys, kill), killer())

        run(until_killed())
        server.process.wait()

    assert confirmed <= set(_keys(facts["engine"]))  # nothing confirmed is lost

    with start(
        url, deployed=False
    ) as again:  # the phones resend what was not confirmed, with the same keys
        resend = dict(unconfirmed)
        unconfirmed.clear()
        run(burst(again.url, resend, None))
    assert not unconfirmed
    keys_stored = _keys(facts["engine"])
    assert len(keys_stored) == len(set(keys_stored)) == len(keys)  # every dot once


def _keys(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Vote.key)).all())
