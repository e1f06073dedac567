"""`python -m bench.session [sqlite|postgresql] [--quick | --tiny] [--workers=N]`
(make bench-session): a live session under load on a real server.

On SQLite and on PostgreSQL, uvicorn (127.0.0.1, as many processes as `kompas serve` starts)
serves the app; this process is the phones' and the projector's load generator, and the
facilitator runs in a process of its own. A dot-voting round: a room's phones join, then
each casts VOTES_EACH dots at random moments within its round (open load: a vote is sent
when it is due, whether or not earlier ones were answered, and its latency counts from that
moment). Meanwhile a projector follows the live results and a facilitator loads the control
screen and a step page once a second. Some votes are sent again with the same key, as a phone
does after a dropped connection; some are dropped for real (the connection closed before the
answer) and resent.

Before the round, every phone follows its live stream (each on a connection of its own) while
a welcome round is open; the facilitator opens the measured round and every phone's stream
brings it, rendered once per app process, for the phone to swap in (as the page's script does;
a phone fetches its page only when the event carries no round): the round switch is the time
from that commit until a phone showed the new round (`round_switch_p95_s`), with the server's
open connections counted while the streams are up.

Then a closed-loop run at the server's limit: votes per second, and in the same run the
requests per second of a bare endpoint doing one INSERT (bench/session_app.py), alternating.

Figures: vote latency p50/p95/p99, votes lost (stored count against confirmed count), votes
counted twice, the time from the last confirmed vote until the projector shows the final
count, the facilitator's pages p95, the server's peak memory and CPU (psutil, the server's
process tree), the load generator's own CPU, and the ratio of votes/s to bare inserts/s.
"""

import asyncio
import contextlib
import json
import os
import random
import resource
import tempfile
import time
from argparse import Namespace
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.cli import default_workers
from app.db import make_engine
from bench import load, machine, options
from bench.databases import BACKENDS, fresh_database, postgres_problem
from bench.facilitator import FacilitatorProcess
from bench.pages import sign_in
from bench.server import start
from bench.session_clients import (
    Failed,
    Phone,
    PhoneStream,
    Projector,
    VotePool,
    bare_insert,
    join,
    new_key,
    pool,
    vote,
)
from bench.session_setup import (
    Setup,
    open_measured_round,
    prepare,
    start_limit_round,
    stored_votes,
)


@dataclass(frozen=True)
class Room:
    """How many phones vote, for how long, and how long the closed loop at the limit runs
    (`limit_phases` of votes and of bare inserts each, after a warm-up of each)."""

    participants: int
    round_seconds: float
    limit_warmup_seconds: float
    limit_phase_seconds: float
    limit_phases: int


FULL = Room(2000, 60.0, 2.0, 6.0, 2)
# `--quick`, to try the benchmark out; its figures mean little. 150 phones: 50 ran out of dots
# in the closed loop (2 500 votes in 4.5 s).
QUICK = Room(150, 5.0, 0.5, 2.0, 2)
# `--tiny`, seconds, to prove the benchmark still runs: 1 000 dots for at most 0.4 s of votes
# at the limit.
TINY = Room(20, 1.0, 0.1, 0.3, 1)
STREAMS_TIMEOUT = 120.0  # s: every phone's stream connected and its first event read
SWITCH_TIMEOUT = 30.0  # s: a phone that has not shown the new round by then counts as missing
PAGE_CONNECTIONS = 256  # the phones' page fetches after a round switch
VOTES_EACH = 10
# Of the votes: resent once after their confirmation (the page never saw it), and dropped
# before the answer came (the connection closed) and then resent until confirmed.
RESENT_SHARE = 0.02
DROPPED_SHARE = 0.01
RESENDS = 5  # a page gives up (and says so) after this many failed sends
JOINING_AT_ONCE = 16  # phones joining at the same moment
CONNECTIONS = 64  # the phones' keep-alive pool
PROJECTOR_TIMEOUT = 10.0
# The closed loop: workers sending back to back; phases alternate votes and bare inserts.
LIMIT_WORKERS = 16
# The limit round's allowance, the most a round allows: participants x LIMIT_DOTS votes must
# outlast the vote phases at the limit (500 phones: 25 000 votes, over 1 700 votes/s for 14 s).
LIMIT_DOTS = 50

TARGETS = {
    "p95_ms": 50.0,
    "lost": 0,
    "projector_s": 1.0,
    "ratio": 0.7,
    "pages_p95_ms": 50.0,
    "round_switch_p95_s": 1.0,
}
OUTPUT = Path(__file__).resolve().parent / "results" / "session.json"


@dataclass
class Round:
    """What the open-load round found."""

    latencies_ms: list[float]
    confirmed: set[str]
    errors: list[str]
    repeated_answers: int
    resent: int
    dropped: int
    # Votes sent again after a connection error that was not made on purpose.
    retried: int
    last_confirmed: float
    max_start_lag_ms: float


def _say(what: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {what}", flush=True)


async def _join_all(
    client: httpx.AsyncClient, code: str, participants: int
) -> tuple[list[Phone], list[float]]:
    phones = [Phone(n) for n in range(participants)]
    gate = asyncio.Semaphore(JOINING_AT_ONCE)
    latencies: list[float] = []

    async def one(phone: Phone) -> None:
        async with gate:
            started = time.perf_counter()
            await join(client, code, phone)
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(one(p) for p in phones))
    return phones, latencies


async def _voting_round(
    client: VotePool, setup: Setup, phones: list[Phone], rng: random.Random, seconds: float
) -> Round:
    code, round_id = setup.join_code, setup.round_id
    confirmed_keys: set[str] = set()
    errors: list[str] = []
    latencies: list[float] = []
    repeated = resent = dropped = retried = 0
    last = 0.0

    def confirm(key: str) -> None:
        nonlocal last
        confirmed_keys.add(key)
        last = max(last, time.perf_counter())

    async def confirmed(phone: Phone, item: int, key: str) -> dict:
        """Send until the server confirms, as the page does when a connection fails (here:
        the server closed an idle keep-alive connection just as the vote left)."""
        nonlocal retried
        for _ in range(RESENDS - 1):
            try:
                return await vote(client, code, phone, round_id, item, key)
            except httpx.TransportError:
                retried += 1
        return await vote(client, code, phone, round_id, item, key)

    async def normal(phone: Phone, item: int, key: str, due: float) -> None:
        await confirmed(phone, item, key)
        latencies.append((time.perf_counter() - due) * 1000)
        confirm(key)

    async def resend(phone: Phone, item: int, key: str) -> None:
        """Confirmed, but the page did not see it: it sends the same vote again."""
        nonlocal resent, repeated
        await confirmed(phone, item, key)
        confirm(key)
        answer = await confirmed(phone, item, key)
        resent += 1
        repeated += bool(answer.get("herhaald"))

    async def drop(phone: Phone, item: int, key: str) -> None:
        """The connection drops before the answer (the vote may or may not have been stored);
        the page resends until the server confirms."""
        nonlocal dropped
        # On a connection of its own: cutting a request off inside the shared pool can leave
        # the pool (httpcore) with a connection it never hands out again.
        async with pool(str(client.base_url), 1) as own:
            try:
                await asyncio.wait_for(
                    vote(own, code, phone, round_id, item, key), rng.uniform(0.0005, 0.005)
                )
            except TimeoutError:
                dropped += 1
        await confirmed(phone, item, key)
        confirm(key)

    def guarded(request):
        async def run() -> None:
            try:
                await request()
            except (Failed, httpx.HTTPError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

        return run

    started = time.perf_counter()
    schedule = []
    for phone in phones:
        for _ in range(VOTES_EACH):
            offset = rng.uniform(0, seconds)
            item, key, draw = rng.choice(setup.items), new_key(), rng.random()
            if draw < RESENT_SHARE:
                request = lambda p=phone, i=item, k=key: resend(p, i, k)  # noqa: E731
            elif draw < RESENT_SHARE + DROPPED_SHARE:
                request = lambda p=phone, i=item, k=key: drop(p, i, k)  # noqa: E731
            else:
                request = lambda p=phone, i=item, k=key, o=offset: normal(  # noqa: E731
                    p, i, k, started + o
                )
            schedule.append((offset, guarded(request)))
    result = await load.open_load(schedule, started=started)
    return Round(
        latencies,
        confirmed_keys,
        errors,
        repeated,
        resent,
        dropped,
        retried,
        last,
        result.max_start_lag_ms,
    )


async def _round_switch(
    base_url: str, engine, setup: Setup, phones: list[Phone], usage: load.Usage, pages: VotePool
) -> tuple[dict, list[asyncio.Task]]:
    """Every phone follows its stream; the facilitator opens the measured round; how long
    until each phone's page showed it. Returns the figures and the streams (left open)."""
    url = httpx.URL(base_url)
    streams = [PhoneStream(p, setup.join_code, url.host, url.port or 80) for p in phones]
    tasks = [asyncio.create_task(s.follow(pages)) for s in streams]
    connected = asyncio.gather(*(s.connected.wait() for s in streams))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(connected, STREAMS_TIMEOUT)
    following = sum(bool(s.shown) for s in streams)
    connections = usage.connections()
    _say(f"{following} phones follow their stream; server holds {connections} connections")
    opened = f"{setup.round_id}:open"
    started = time.perf_counter()
    await asyncio.to_thread(open_measured_round, engine, setup)
    committed = time.perf_counter()

    async def shown(stream: PhoneStream) -> float | None:
        deadline = started + SWITCH_TIMEOUT
        while not any(state.startswith(opened) for state in stream.shown):
            if stream.error or time.perf_counter() > deadline:
                return None
            stream.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stream.changed.wait(), deadline - time.perf_counter())
        return next(t for state, t in stream.shown.items() if state.startswith(opened))

    moments = await asyncio.gather(*(shown(s) for s in streams))
    switched = [t - started for t in moments if t is not None]
    spread = load.percentiles([t * 1000 for t in switched]) if switched else {}
    _say(f"{len(switched)} phones showed the new round")
    return {
        "phones": len(phones),
        "phones_following": following,
        "open_connections": connections,
        "round_switch_commit_s": round(committed - started, 3),
        "round_switch_p50_s": round(spread["p50"] / 1000, 3) if spread else None,
        "round_switch_p95_s": round(spread["p95"] / 1000, 3) if spread else None,
        "round_switch_missing": len(phones) - len(switched),
        "stream_errors": sum(s.error is not None for s in streams),
        "first_stream_errors": [s.error for s in streams if s.error][:3],
    }, tasks


async def _again_after_connection_error(request):
    """The server may close an idle keep-alive connection just as a request leaves on it."""
    try:
        return await request()
    except httpx.TransportError:
        return await request()


async def _limit(
    client: VotePool, setup: Setup, phones: list[Phone], server: load.Usage, room: Room
) -> dict[str, float]:
    """Votes/s and bare inserts/s at the server's limit, alternating, with the server's CPU
    per request of each."""
    counter = 0

    def next_phone() -> Phone:
        nonlocal counter
        counter += 1
        return phones[counter % len(phones)]

    async def cast(worker: int) -> None:
        item, phone, key = (
            setup.limit_items[counter % len(setup.limit_items)],
            next_phone(),
            new_key(),
        )
        await _again_after_connection_error(
            lambda: vote(client, setup.join_code, phone, setup.limit_round_id, item, key)
        )

    async def bare(worker: int) -> None:
        phone, key = next_phone(), new_key()
        await _again_after_connection_error(
            lambda: bare_insert(client, phone, setup.limit_items[0], key)
        )

    await load.closed_loop(LIMIT_WORKERS, room.limit_warmup_seconds, cast)
    await load.closed_loop(LIMIT_WORKERS, room.limit_warmup_seconds, bare)
    rates: dict[str, list[float]] = {"votes": [], "bare": []}
    cpu: dict[str, list[float]] = {"votes": [], "bare": []}
    phase = room.limit_phase_seconds
    for _ in range(room.limit_phases):
        for name, request in (("votes", cast), ("bare", bare)):
            before = server.cpu_now()
            rate = await load.closed_loop(LIMIT_WORKERS, phase, request)
            rates[name].append(rate)
            cpu[name].append((server.cpu_now() - before) / (rate * phase) * 1000)
    votes_per_s = sum(rates["votes"]) / room.limit_phases
    bare_per_s = sum(rates["bare"]) / room.limit_phases
    return {
        "votes_per_s": round(votes_per_s, 1),
        "bare_per_s": round(bare_per_s, 1),
        "ratio": round(votes_per_s / bare_per_s, 2),
        "server_cpu_ms_per_vote": round(sum(cpu["votes"]) / room.limit_phases, 2),
        "server_cpu_ms_per_bare": round(sum(cpu["bare"]) / room.limit_phases, 2),
    }


async def _measure(
    base_url: str, server_pid: int, setup: Setup, engine, cookies, room: Room
) -> dict:
    rng = random.Random(20261130)
    usage = load.Usage(server_pid)
    usage.start()
    own = load.OwnCpu()
    async with (
        pool(base_url, CONNECTIONS) as phones_pool,
        VotePool(base_url, CONNECTIONS) as votes_pool,
        VotePool(base_url, PAGE_CONNECTIONS) as pages_pool,
        httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=None) as projector_client,
    ):
        load_before = [round(x, 2) for x in os.getloadavg()]
        phones, join_ms = await _join_all(phones_pool, setup.join_code, room.participants)
        _say(f"{len(phones)} phones joined")
        switch, streams = await _round_switch(base_url, engine, setup, phones, usage, pages_pool)
        projector = Projector(projector_client, setup.session_id)
        following = asyncio.create_task(projector.follow())
        facilitating = FacilitatorProcess(
            base_url,
            cookies,
            (f"/sessies/{setup.session_id}", f"/cycli/{setup.cycle_id}/stappen/2"),
        )
        facilitating.start()
        round_cpu = load.OwnCpu()
        round_ = await _voting_round(votes_pool, setup, phones, rng, room.round_seconds)
        loadgen_round_cpu = round_cpu.percent()
        _say(f"{len(round_.confirmed)} votes confirmed")
        shown_at = await projector.wait_for(len(round_.confirmed), PROJECTOR_TIMEOUT)
        page_ms, pages_retried = await asyncio.to_thread(facilitating.stop)
        following.cancel()
        for stream in streams:
            stream.cancel()
        stored = stored_votes(engine, setup.round_id)
        start_limit_round(engine, setup)
        limit = await _limit(votes_pool, setup, phones, usage, room)
        _say("closed loop done")
    await usage.stop()
    latency = load.percentiles(round_.latencies_ms)
    confirmed = len(round_.confirmed)
    return {
        "p50_ms": latency["p50"],
        "p95_ms": latency["p95"],
        "p99_ms": latency["p99"],
        "votes": confirmed,
        "stored": stored,
        "lost": max(0, confirmed - stored),
        "counted_twice": max(0, stored - confirmed),
        "errors": len(round_.errors),
        "first_errors": round_.errors[:5],
        "resent": round_.resent,
        "resent_answered_as_repeat": round_.repeated_answers,
        "dropped_and_resent": round_.dropped,
        "retried_after_connection_error": round_.retried,
        "projector_s": (
            round(max(0.0, shown_at - round_.last_confirmed), 2) if shown_at is not None else None
        ),
        "projector_updates": len(projector.shown),
        "pages_p95_ms": load.percentiles(page_ms)["p95"],
        "pages_requests": len(page_ms),
        "pages_retried": pages_retried,
        "join_p95_ms": load.percentiles(join_ms)["p95"],
        **switch,
        "peak_mib": usage.peak_mib,
        "server_cpu_percent": usage.cpu_percent,
        "loadgen_cpu_percent_round": loadgen_round_cpu,
        "loadgen_cpu_percent": own.percent(),
        "max_start_lag_ms": round_.max_start_lag_ms,
        # The machine is shared: its load average (1, 5, 15 min) before and after.
        "load_average": [load_before, [round(x, 2) for x in os.getloadavg()]],
        **limit,
    }


def _facilitator_cookies(base_url: str) -> httpx.Cookies:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        sign_in(client)
        return client.cookies


def run_backend(backend: str, folder: Path, room: Room, workers: int | None) -> dict:
    """The session on a fresh database of `backend`, served by `workers` app processes (None:
    as many as `kompas serve` starts by default, one per core on PostgreSQL, one on SQLite)."""
    with fresh_database(backend, folder, prefix="kompas_bench") as url:
        engine = make_engine(url)
        processes = workers or default_workers(url)
        try:
            setup = prepare(url, engine, VOTES_EACH, LIMIT_DOTS)
            with start(
                url,
                app="bench.session_app:app",
                env={"KOMPAS_SERVER_TIMING": "false"},
                workers=processes,
            ) as server:
                cookies = _facilitator_cookies(server.url)
                with load.no_collection_pauses():
                    figures = asyncio.run(
                        _measure(server.url, server.process.pid, setup, engine, cookies, room)
                    )
            return {"server_workers": processes, **figures}
        finally:
            engine.dispose()


def misses(figures: dict) -> list[str]:
    found = []
    for key in ("p95_ms", "projector_s", "pages_p95_ms", "round_switch_p95_s"):
        value = figures.get(key)
        if value is None or value > TARGETS[key]:
            found.append(f"{key} {value} > {TARGETS[key]}")
    if figures["round_switch_missing"] or figures["stream_errors"]:
        found.append(
            f"{figures['round_switch_missing']} phones did not show the new round, "
            f"{figures['stream_errors']} streams failed"
        )
    if figures["lost"] or figures["counted_twice"] or figures["errors"]:
        found.append(
            f"lost {figures['lost']}, counted twice {figures['counted_twice']}, "
            f"errors {figures['errors']}"
        )
    if figures["ratio"] < TARGETS["ratio"]:
        found.append(f"ratio {figures['ratio']} < {TARGETS['ratio']}")
    return found


def print_backend(backend: str, f: dict) -> None:
    print(f"\n{backend}:")
    print(
        f"  votes: {f['votes']} confirmed, {f['stored']} stored; lost {f['lost']}, counted "
        f"twice {f['counted_twice']}, errors {f['errors']}; {f['resent']} resent after their "
        f"confirmation ({f['resent_answered_as_repeat']} answered as a repeat), "
        f"{f['dropped_and_resent']} dropped before the answer and resent"
    )
    print(
        f"  vote latency: p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, p99 {f['p99_ms']} ms "
        f"(scheduler lag at most {f['max_start_lag_ms']} ms); joining p95 {f['join_p95_ms']} ms"
    )
    print(
        f"  projector: final count shown {f['projector_s']} s after the last confirmed vote "
        f"({f['projector_updates']} updates)"
    )
    print(
        f"  round switch: {f['phones_following']} of {f['phones']} phones followed their "
        f"stream ({f['open_connections']} connections open at the server); the new round "
        f"shown p50 {f['round_switch_p50_s']} s, p95 {f['round_switch_p95_s']} s after the "
        f"facilitator opened it; {f['round_switch_missing']} phones missing"
    )
    print(f"  facilitator pages p95: {f['pages_p95_ms']} ms ({f['pages_requests']} requests)")
    print(
        f"  server: peak {f['peak_mib']} MiB, CPU {f['server_cpu_percent']}% of a core; "
        f"load generator CPU {f['loadgen_cpu_percent_round']}% during the round"
    )
    print(
        f"  at the limit: {f['votes_per_s']} votes/s, {f['bare_per_s']} bare inserts/s, ratio "
        f"{f['ratio']}; server CPU per vote {f['server_cpu_ms_per_vote']} ms, per bare insert "
        f"{f['server_cpu_ms_per_bare']} ms"
    )
    for error in f["first_errors"]:
        print(f"  error: {error}")
    found = misses(f)
    print("  targets: " + ("held" if not found else "MISSED: " + "; ".join(found)))


def _arguments(arguments: list[str] | None) -> Namespace:
    parser = options.parser(__doc__, OUTPUT)
    # No `choices`: with nargs="*" Python 3.11 checks an empty default against them and fails.
    parser.add_argument("backends", nargs="*", metavar="sqlite|postgresql", help="default: both")
    parser.add_argument(
        "--quick", action="store_true", help="150 phones for 5 s, to try the benchmark out"
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="app processes (uvicorn --workers); default as kompas serve starts them",
    )
    chosen = parser.parse_args(arguments)
    if unknown := sorted(set(chosen.backends) - set(BACKENDS)):
        parser.error(f"unknown database: {', '.join(unknown)}")
    return chosen


def _raise_open_files() -> None:
    """2,000 streams and the server's side of them: as many open files as the system allows
    (the server, started later, inherits the limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(arguments: list[str] | None = None) -> None:
    chosen = _arguments(arguments)
    _raise_open_files()
    room = TINY if chosen.tiny else QUICK if chosen.quick else FULL
    # A tiny run starts one app process: each takes seconds of CPU to start.
    workers = chosen.workers or (1 if chosen.tiny else None)
    output = options.output(chosen)
    backends = chosen.backends or list(BACKENDS)
    problem = postgres_problem() if "postgresql" in backends else None
    if problem:
        print(f"PostgreSQL skipped: {problem}")
        backends.remove("postgresql")
    print(
        f"Live session, {room.participants} phones x {VOTES_EACH} dots in "
        f"{room.round_seconds:.0f} s ({room.participants * VOTES_EACH / room.round_seconds:.0f} "
        f"votes/s), app processes: "
        f"{workers or 'as kompas serve (one per core on PostgreSQL, one on SQLite)'}",
        flush=True,
    )
    results: dict[str, dict] = {}
    info: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="kompas-bench-session-") as folder:
        for backend in backends:
            started = time.perf_counter()
            results[backend] = run_backend(backend, Path(folder), room, workers)
            print(
                f"{backend}: measured in {time.perf_counter() - started:.0f} s, "
                f"{results[backend]['server_workers']} app process(es)",
                flush=True,
            )
            print_backend(backend, results[backend])
            # What was measured so far survives a failure later on.
            info = write(output, room, results)
    print("\n" + machine.summary(info or machine.describe()))
    print(f"Written to {output}.")


def write(output: Path, room: Room, results: dict[str, dict]) -> dict[str, object]:
    """Write what was measured with the machine as it is now; returns the machine."""
    info = machine.describe()
    output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "machine": info,
        "targets": TARGETS,
        "load": {
            "participants": room.participants,
            "phones_following_streams": room.participants,
            "votes_each": VOTES_EACH,
            "round_seconds": room.round_seconds,
            "limit_workers": LIMIT_WORKERS,
            "limit_phase_seconds": room.limit_phase_seconds,
        },
        **results,
    }
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return info


if __name__ == "__main__":
    main()
