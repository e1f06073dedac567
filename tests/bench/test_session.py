"""`python -m bench.session --tiny` runs, on SQLite and PostgreSQL: phones join and vote on a
real server while a projector and a facilitator follow, then the closed loop at the limit."""

import json
from concurrent.futures import ThreadPoolExecutor

from bench import session


def test_the_tiny_run_stores_every_confirmed_vote_once(backend, tmp_path):
    output = tmp_path / "session.json"
    # In a thread of its own: the benchmark runs its own event loop (asyncio.run), which a
    # worker that also ran the browser tests' loop would refuse.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(session.main, [backend, "--tiny", "--output", str(output)]).result()
    figures = json.loads(output.read_text())[backend]
    assert figures["votes"] == session.TINY.participants * session.VOTES_EACH
    assert figures["stored"] == figures["votes"]
    assert figures["errors"] == 0
    assert figures["projector_s"] is not None  # the projector showed the final count
    assert figures["votes_per_s"] > 0
    assert figures["bare_per_s"] > 0
    # every phone followed its stream and showed the round the facilitator opened
    assert figures["phones_following"] == figures["phones"] == session.TINY.participants
    assert figures["round_switch_missing"] == 0 and figures["round_switch_p95_s"] is not None
