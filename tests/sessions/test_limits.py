"""What one phone or one account may cost a live session: open live streams, proposals per
round, the weight of the control screen with a thousand proposals, and who sees the code."""

import contextlib
import re
import uuid

import pytest

from app.organisations.models import Role
from app.secret_hashing import show_code
from app.sessions import live as live_updates
from app.sessions import participant, running
from app.sessions.models import RoundItem
from tests import factories


@pytest.fixture
def live(session, organisation):
    cycle = factories.make_cycle(session, organisation)
    return factories.make_live_session(session, cycle)


@pytest.fixture
def quiet_hub(monkeypatch):
    """Live streams that read nothing from the app's own database (the test's data lives in
    the test's transaction): a hub of their own, and screens rendered without a query."""
    hub = live_updates.Hub()
    monkeypatch.setattr(live_updates, "hub", hub)

    def read(session_id: int) -> tuple[tuple, str, None]:
        return (session_id,), "open", None

    monkeypatch.setattr(live_updates, "_read", read)

    def in_thread(function, *args):
        async def render(watch):
            return "scherm"

        return render

    monkeypatch.setattr(live_updates, "in_thread", in_thread)
    monkeypatch.setattr(participant, "_shared_round", in_thread(None))
    return hub


# Live streams


def open_stream(stack: contextlib.ExitStack, client, url: str):
    response = stack.enter_context(client.stream("GET", url))
    if response.status_code == 200:
        lines = response.iter_raw()
        next(lines)  # the first line: the stream really runs
        response.lines = lines  # held: a dropped iterator closes the stream
    return response


def test_one_phone_holds_a_few_live_streams_at_most(session, live, phones, quiet_hub):
    round_ = factories.make_round(session, live, "input")
    running.start_round(session, round_)
    phone = phones(live.join_code)
    url = f"/doe-mee/{live.join_code}/live"
    most = live_updates.STREAMS_PER_PARTICIPANT
    with contextlib.ExitStack() as first:
        for _ in range(most):
            assert open_stream(first, phone, url).status_code == 200
        with contextlib.ExitStack() as extra:
            refused = open_stream(extra, phone, url)
            assert refused.status_code == 429
            assert int(refused.headers["Retry-After"]) > 0
            refused.read()
            assert "te veel schermen" in refused.text
        # Another phone in the same room is not affected.
        other = phones(live.join_code)
        with contextlib.ExitStack() as elsewhere:
            assert open_stream(elsewhere, other, url).status_code == 200
    # Closed streams give their place back.
    assert live_updates.streams.open == {}
    with contextlib.ExitStack() as again:
        for _ in range(most):
            assert open_stream(again, phone, url).status_code == 200


def test_one_account_holds_a_few_live_streams_per_screen(client, session, live, quiet_hub):
    session.commit()  # kept in the test's transaction: a stream closes the request's session
    projector = f"/sessies/{live.id}/live"
    control = f"/sessies/{live.id}/live?voor=regie"
    most = live_updates.STREAMS_PER_SCREEN
    with contextlib.ExitStack() as stack:
        for _ in range(most):
            assert open_stream(stack, client, projector).status_code == 200
        with contextlib.ExitStack() as extra:
            refused = open_stream(extra, client, projector)
            assert refused.status_code == 429 and "Retry-After" in refused.headers
        assert open_stream(stack, client, control).status_code == 200  # another screen
    assert live_updates.streams.open == {}


# Proposals


def propose(phone, round_id, text, key=None):
    return phone.post(
        f"/doe-mee/{phone.code}/inbreng",
        data={"ronde": round_id, "sleutel": key or str(uuid.uuid4()), "tekst": text},
        headers={"Accept": "application/json", "X-CSRF-Token": phone.csrf},
    )


def test_a_phone_sends_as_many_proposals_as_the_round_allows(session, live, phones):
    round_ = factories.make_round(session, live, "input", proposals_per_participant=2)
    running.start_round(session, round_)
    phone = phones(live.join_code)
    key = str(uuid.uuid4())
    assert propose(phone, round_.id, "Eerste", key).status_code == 200
    assert propose(phone, round_.id, "Tweede").status_code == 200
    assert propose(phone, round_.id, "Eerste", key).status_code == 200  # a resend still answers
    refused = propose(phone, round_.id, "Derde")
    assert refused.status_code == 409
    assert "al 2 voorstellen" in refused.json()["melding"]
    # Without JavaScript: the round page with the reason.
    page = phone.post(
        f"/doe-mee/{phone.code}/inbreng",
        data={"_csrf": phone.csrf, "ronde": round_.id, "sleutel": str(uuid.uuid4()), "tekst": "x"},
    )
    assert page.status_code == 409 and "al 2 voorstellen" in page.text
    assert len(running.items_of(session, round_)) == 2
    # Another phone has its own allowance.
    assert propose(phones(live.join_code), round_.id, "Van een ander").status_code == 200


def test_the_round_form_sets_the_proposals_per_phone(client, session, live):
    form = client.get(f"/sessies/{live.id}/rondes/nieuw")
    assert form.status_code == 200
    assert "Voorstellen per deelnemer" in form.text
    assert 'name="proposals_per_participant"' in form.text
    made = client.post(
        f"/sessies/{live.id}/rondes",
        data={
            "title": "Ideeën",
            "kind": "input",
            "target": "none",
            "dots": "5",
            "proposals_per_participant": "3",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    round_ = running.list_rounds(session, live)[-1]
    assert round_.proposals_per_participant == 3
    assert factories.make_round(session, live, "input").proposals_per_participant == 5


def test_a_room_behind_one_address_joins_without_limit(session, live, phones):
    for _ in range(40):  # phones() asserts every join succeeded
        phones(live.join_code)


# The control screen with a thousand proposals


def test_the_control_screen_grows_linearly_with_the_proposals(client, session, live):
    """A merge list per proposal made 1,000 proposals a 52 MB control screen."""
    round_ = factories.make_round(session, live, "input")
    running.start_round(session, round_)
    sizes: dict[str, list[int]] = {}
    for first in (1, 501):
        session.add_all(
            [
                RoundItem(round_id=round_.id, number=n, text=f"Voorstel {n} over werk en meedoen")
                for n in range(first, first + 500)
            ]
        )
        session.flush()
        for url in (f"/sessies/{live.id}", f"/rondes/{round_.id}"):
            page = client.get(url)
            assert page.status_code == 200
            assert page.text.count("<datalist") == 1
            assert page.text.count("<option") < first + 600
            sizes.setdefault(url, []).append(len(page.content))
    # Bytes per proposal, before compression: its text, its actions (a checkbox to choose
    # several at once among them) and its edit box; a list per proposal made 52,000.
    for url, (half, full) in sizes.items():
        assert (full - half) / 500 < 2_500, (url, half, full)
        assert full < 2_500_000, (url, full)
    # Merging takes the other proposal's number, as typed or picked from the list.
    round_ = session.get(type(round_), round_.id)
    items = running.items_of(session, round_)
    merged = client.post(
        f"/voorstellen/{items[9].id}/samenvoegen", data={"met": "3"}, follow_redirects=False
    )
    assert merged.status_code == 303
    session.expire_all()
    assert session.get(RoundItem, items[9].id).merged_into_id == items[2].id
    page = client.get(f"/rondes/{round_.id}").text
    assert "samengevoegd met 3" in page
    wrong = client.post(f"/voorstellen/{items[9].id}/samenvoegen", data={"met": "1001"})
    assert wrong.status_code == 422 and "Er is geen voorstel 1001 in deze ronde" in wrong.text


# The join code


@pytest.mark.parametrize("role", [Role.READER, Role.PARTNER])
def test_only_the_facilitators_see_the_join_code(client_as, session, organisation, live, role):
    if role is Role.PARTNER:
        viewer = client_as(role, partner=factories.make_partner(session, organisation))
    else:
        viewer = client_as(role)
    round_ = factories.make_round(session, live, "dots")
    running.add_item(session, round_, "Keuze")
    code = live.join_code
    shown = show_code(code)
    for url in (f"/sessies/{live.id}", f"/sessies/{live.id}/scherm"):
        page = viewer.get(url)
        assert page.status_code == 200
        assert code not in page.text and shown not in page.text
        assert "<svg" not in page.text or "QR-code" not in page.text
    assert viewer.get(f"/sessies/{live.id}/deelnemen").status_code == 403
    record = viewer.get(f"/api/v2/sessies/{live.id}").json()
    assert record["deelnamecode"] is None
    listed = viewer.get(f"/api/v2/cycli/{live.cycle_id}/sessies").json()["items"]
    assert all(item["deelnamecode"] is None for item in listed)
    # The results stay in view.
    running.start_round(session, session.get(type(round_), round_.id))
    assert "Keuze" in viewer.get(f"/sessies/{live.id}/scherm").text

    for runner in (client_as(Role.FACILITATOR), client_as(Role.ADMIN)):
        assert shown in runner.get(f"/sessies/{live.id}").text
        assert shown in runner.get(f"/sessies/{live.id}/deelnemen").text
        assert runner.get(f"/api/v2/sessies/{live.id}").json()["deelnamecode"] == code


def test_the_projector_of_a_reader_shows_no_join_link(client_as, session, live):
    reader = client_as(Role.READER)
    page = reader.get(f"/sessies/{live.id}/scherm").text
    assert not re.search(r"/doe-mee/[A-Z0-9]{10}", page)
