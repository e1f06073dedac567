"""Exports wait their turn: at most the configured number per process are made at once, the
others wait in the order they were asked for and see their place in line; against a real
server, more exports than places at once all arrive and the server's memory stays bounded."""

import asyncio
import html
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from app import exports, main
from app.auth import SESSION_COOKIE
from app.db import make_engine
from app.exports import ExportGate, ExportLine, Ticket
from app.organisations import service as organisations_service
from app.organisations.models import Role
from bench import council_report
from bench.server import start
from tests import factories
from tests.conftest import fresh_database
from tests.event_loop import run

# The line


def test_no_more_than_capacity_at_once_and_in_the_order_asked_not_arrived():
    async def scenario() -> tuple[list[int], int]:
        line = ExportLine(2)
        granted: list[int] = []
        most = 0

        async def export(n: int, hold: float) -> None:
            nonlocal most
            assert await line.turn(Ticket(n), patience=10)
            granted.append(n)
            most = max(most, line.running)
            await asyncio.sleep(hold)
            line.leave()

        first = [asyncio.create_task(export(n, 0.2)) for n in (1, 2)]
        await asyncio.sleep(0.05)
        later = [asyncio.create_task(export(n, 0.01)) for n in (7, 5, 6, 3, 4)]  # arriving
        await asyncio.gather(*first, *later)
        return granted, most

    granted, most = run(scenario())
    assert granted == [1, 2, 3, 4, 5, 6, 7]
    assert most == 2


def test_a_request_sent_back_to_its_page_keeps_its_place():
    async def scenario() -> None:
        line = ExportLine(1)
        assert await line.turn(Ticket(1), patience=1)  # being made
        assert not await line.turn(Ticket(2), patience=0.05)  # back to its page
        assert line.coming(Ticket(3)) == 2  # a later one's page: behind the one away
        assert line.coming(Ticket(2)) == 1
        line.leave()
        # The free place is kept for ticket 2, on its way back: 3 does not slip in.
        assert not await line.turn(Ticket(3), patience=0.1)
        assert line.running == 0
        assert await line.turn(Ticket(2), patience=0.1)

    run(scenario())


def test_a_place_kept_for_a_page_that_was_closed_goes_to_the_next(monkeypatch):
    monkeypatch.setattr(exports, "AWAY_SECONDS", 0.2)

    async def scenario() -> float:
        line = ExportLine(1)
        assert line.coming(Ticket(1)) is None  # its page was shown, its file never asked for
        started = time.monotonic()
        assert await line.turn(Ticket(2), patience=5)
        return time.monotonic() - started

    assert 0.15 < run(scenario()) < 2


def test_a_waiting_request_that_is_gone_hands_its_place_on():
    async def scenario() -> None:
        line = ExportLine(1)
        assert await line.turn(Ticket(1), patience=1)
        gone = asyncio.create_task(line.turn(Ticket(2), patience=10))
        after = asyncio.create_task(line.turn(Ticket(3), patience=10))
        await asyncio.sleep(0.05)
        gone.cancel()
        line.leave()
        assert await after
        assert line.running == 1 and line.waiting == 0

    run(scenario())


def test_a_ticket_cannot_be_forged_nor_kept_for_ever(monkeypatch):
    ticket = Ticket.new()
    assert Ticket.read(str(ticket)) == ticket
    issued, mac = str(ticket).split(".")
    assert Ticket.read(f"{int(issued, 16) - 10**9:x}.{mac}") is None  # a second earlier
    assert Ticket.read("1.0") is None and Ticket.read("") is None and Ticket.read(None) is None
    assert Ticket.read(f"{issued}.é") is None  # beyond ASCII: no match, not a server error
    monkeypatch.setattr(exports, "TICKET_SECONDS", 0)
    assert Ticket.read(str(ticket)) is None


# The gate, in front of the rest of the app


def test_a_file_request_waits_outside_the_app_and_is_sent_back_with_its_ticket():
    async def scenario() -> None:
        release = asyncio.Event()
        inside: list[str] = []

        async def app(scope, receive, send):
            inside.append(scope["path"])
            if scope["path"].endswith("/bestand"):
                await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"%PDF"})

        line = ExportLine(1)
        gate = ExportGate(app, line, patience=0.2)
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://kompas") as client:
            first = asyncio.create_task(client.get("/rondes/1/stembiljet/bestand"))
            await asyncio.sleep(0.05)
            second = await client.get("/rondes/1/stembiljet/bestand?aantal=3")
            assert second.status_code == 303
            page, query = second.headers["location"].split("?")
            assert page == "/rondes/1/stembiljet"
            assert query.startswith("aantal=3&rij=")
            assert inside == ["/rondes/1/stembiljet/bestand"]  # the second never got in
            assert (await client.get("/rondes/1")).status_code == 200  # pages pass
            release.set()
            assert (await first).content == b"%PDF"
            again = await client.get(f"/rondes/1/stembiljet/bestand?{query}")
            assert again.content == b"%PDF"

    run(scenario())


def test_publishing_waits_for_a_place_however_long_and_is_never_sent_back():
    """A published version's files are made in the POST that publishes it: a form cannot be
    sent again by a refresh, so it waits (and passes the other POSTs by)."""

    async def scenario() -> None:
        done: list[str] = []

        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})
            done.append(scope["path"])

        line = ExportLine(1)
        gate = ExportGate(app, line, patience=0.05, held=main._publishing())
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://kompas") as client:
            assert await line.turn(Ticket.new(), patience=1)  # a file is being made
            publishing = asyncio.create_task(client.post("/publicaties/cyclus/7"))
            await asyncio.sleep(0.3)  # six times the patience of a file request
            assert not publishing.done()
            assert (await client.post("/publicaties/7/intrekken")).status_code == 200
            line.leave()
            assert (await publishing).status_code == 200
        assert done == ["/publicaties/7/intrekken", "/publicaties/cyclus/7"]

    run(scenario())


# Against a real server: more exports at once than places


@pytest.fixture
def large_organisation(backend, tmp_path) -> Iterator[tuple[str, str]]:
    """The benchmark's organisation at 1x (its PDF: 46 pages, about 80 MiB to make) and a
    signed-in lezer's cookie."""
    with fresh_database(backend, str(tmp_path)) as url:
        council_report.generate(url, 1)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = organisations_service.get_by_slug(session, council_report.SLUG)
            assert organisation is not None
            member = factories.make_member(session, organisation, Role.READER)
            cookie = factories.sign_in(session, member).cookie
            session.commit()
        engine.dispose()
        yield url, cookie


REFRESH = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]+)">')
PLACE = re.compile(r"<title>Nummer (\d+) in de rij")


async def download(client: httpx.AsyncClient, page: str) -> tuple[httpx.Response, list[int]]:
    """As a browser without JavaScript: open the export page and follow its refresh (and the
    gate's way back to the page) until the file comes; the places in line it showed."""
    places: list[int] = []
    response = await client.get(page)
    for _ in range(500):
        if response.status_code == 303:
            response = await client.get(response.headers["location"])
        elif response.headers["content-type"].startswith("text/html"):
            assert response.status_code == 200, response.text[:500]
            if place := PLACE.search(response.text):
                places.append(int(place[1]))
            response = await client.get(html.unescape(REFRESH.search(response.text)[1]))
        else:
            return response, places
    raise AssertionError(f"{page}: no file after 500 steps")


def peak_mib(pid: int) -> float:
    """The process's peak resident set so far (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


AT_ONCE = 4


def test_more_exports_than_places_all_arrive_in_bounded_memory(large_organisation):
    url, cookie = large_organisation
    page = "/rapportage/organisatie/pdf"
    peaks: list[float] = []
    # One process, so that its peak memory shows the gate at work (several processes have
    # places each). Not "deployed": the cookie was made under the development secret.
    with start(url, deployed=False, env={"KOMPAS_MAX_CONCURRENT_EXPORTS": "1"}) as server:

        async def exports() -> tuple[httpx.Response, list[tuple[httpx.Response, list[int]]]]:
            headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
            async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=300) as c:
                peaks.append(peak_mib(server.process.pid))
                alone, _ = await download(c, page)
                peaks.append(peak_mib(server.process.pid))
                at_once = await asyncio.gather(*(download(c, page) for _ in range(AT_ONCE)))
                peaks.append(peak_mib(server.process.pid))
                return alone, at_once

        alone, at_once = run(exports())
    assert alone.status_code == 200 and alone.content.startswith(b"%PDF")
    for response, places in at_once:
        assert response.status_code == 200 and response.content == alone.content
        assert places == sorted(places, reverse=True), places  # a place only goes down
    # One export alone (WeasyPrint's first) raised the server's peak memory by about 110 MiB;
    # four at once, with one place, raise it by less than that again. Without the gate they
    # raised it by four exports' worth (from 0.31 to 0.75 GiB).
    before, after_one, after_four = peaks
    assert after_four - after_one < after_one - before, peaks
    assert max(max(places, default=0) for _, places in at_once) >= 2  # they waited in line
