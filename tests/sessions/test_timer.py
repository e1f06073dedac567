"""A round's timer: the end time is stored when the round opens and shown without JavaScript
on the phones, the projector and the control screen; the server closes a round that closes
itself at its end, once, and votes after it are refused."""

import re
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine

from app.choices import Perspective
from app.formatting import format_time
from app.sessions import joining, running, timer, voting
from app.sessions import live as live_updates
from app.sessions.models import Round, RoundStatus
from app.tables import utc_now
from tests import factories
from tests.sessions.test_routes import post, send


@pytest.fixture
def cycle(session, organisation):
    return factories.make_cycle(session, organisation)


def test_every_screen_shows_the_end_time_and_who_voted(client, session, cycle, phones):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", dots=2, minutes=10, closes_itself=True)
    item = running.add_item(session, round_, "Meer inwoners doen mee")
    running.add_item(session, round_, "Minder terugval")
    first, second = phones(live.join_code), phones(live.join_code, "provider")
    started = utc_now()
    post(client, f"/rondes/{round_.id}/starten")
    round_ = session.get_one(Round, round_.id)
    assert started + timedelta(minutes=10) <= round_.ends_at <= utc_now() + timedelta(minutes=10)
    end = format_time(round_.ends_at)
    pages = {
        "phone": first.get(f"/doe-mee/{live.join_code}/ronde").text,
        "projector": client.get(f"/sessies/{live.id}/scherm").text,
        "control": client.get(f"/sessies/{live.id}").text,
    }
    for where, page in pages.items():
        assert re.search(rf"Sluit om <time datetime=\"[^\"]+\">{end}</time>", page), where
    assert "<strong>0 van 2</strong> hebben gestemd" in pages["control"]
    assert send(first, "stemmen", ronde=round_.id, keuze=item.id).status_code == 200
    control = client.get(f"/sessies/{live.id}").text
    assert "<strong>1 van 2</strong> heeft gestemd" in control
    assert second.get(f"/doe-mee/{live.join_code}/ronde").status_code == 200


def test_the_server_closes_the_round_at_its_end(session, cycle, monkeypatch):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "dots", minutes=5, closes_itself=True)
    other = factories.make_round(session, live, "dots", minutes=5)  # a clock only
    item = running.add_item(session, round_, "Keuze")
    running.add_item(session, other, "Keuze")
    running.start_round(session, round_)
    _, person = joining.join(session, live, Perspective.RESIDENT, None)

    @contextmanager
    def opened(_engine):  # `live._read` opens a session of its own: here the test's
        yield session

    monkeypatch.setattr(live_updates, "Session", opened)
    if True:
        stamp, state, ends = live_updates._read(live.id)
        assert ends == round_.ends_at and state.endswith(":open:running")
        with time_machine.travel(round_.ends_at + timedelta(seconds=1)):
            closed_stamp, state, ends = live_updates._read(live.id)
            assert state == f"{round_.id}:closed:running" and ends is None
            assert closed_stamp != stamp  # every screen hears of it
            session.refresh(round_)
            assert round_.status is RoundStatus.CLOSED and round_.closed_at == round_.ends_at
            with pytest.raises(voting.Refused):
                voting.cast_dot(session, person, round_.id, item.id, str(uuid.uuid4()))
            assert timer.close_expired(session, live.id) == 0  # once, whoever comes next

            # a round with a clock but without closing itself stays open past its end
            running.start_round(session, other)
            with time_machine.travel(other.ends_at + timedelta(minutes=1)):
                assert timer.close_expired(session, live.id) == 0
                session.refresh(other)
                assert other.status is RoundStatus.OPEN


def test_a_resumed_round_keeps_its_end_until_the_time_ran_out(session, cycle):
    live = factories.make_live_session(session, cycle)
    round_ = factories.make_round(session, live, "input", minutes=3)
    running.start_round(session, round_)
    end = round_.ends_at
    running.pause_round(session, round_)
    running.start_round(session, round_)
    assert round_.ends_at == end  # a pause does not stop the clock
    running.pause_round(session, round_)
    with time_machine.travel(end + timedelta(minutes=1)):
        running.start_round(session, round_)
        assert round_.ends_at > end + timedelta(minutes=3)  # a fresh three minutes
