"""Moderating a room's proposals: approval before the projector, several proposals clustered
at once (no target chosen for the facilitator), and refusals that change nothing."""

from sqlmodel import select

from app.sessions import routes, running
from app.sessions.models import Round, RoundItem
from tests import factories
from tests.sessions.test_routes import post, send


def _sent(session, round_id: int) -> dict[str, RoundItem]:
    session.expire_all()
    found = session.exec(select(RoundItem).where(RoundItem.round_id == round_id)).all()
    return {i.text: i for i in found}


def _room(session, organisation, phones, approve_first: bool, *texts: str):
    live = factories.make_live_session(session, factories.make_cycle(session, organisation))
    inbreng = factories.make_round(session, live, "input", approve_first=approve_first)
    running.start_round(session, inbreng)
    session.commit()
    phone = phones(live.join_code, "resident")
    for text in texts:
        assert send(phone, "inbreng", ronde=inbreng.id, tekst=text).status_code == 200
    return live, inbreng, phone


def test_an_unapproved_proposal_stays_off_the_projector_until_approved(
    client, session, organisation, phones
):
    live, inbreng, phone = _room(session, organisation, phones, True, "Buurtcoach", "Reclame")
    sent = _sent(session, inbreng.id)
    assert all(i.pending for i in sent.values())

    screen = client.get(f"/sessies/{live.id}/scherm").text
    assert "Buurtcoach" not in screen and "Reclame" not in screen
    assert "wacht op goedkeuring" in phone.get(f"/doe-mee/{live.join_code}/ronde").text
    control = client.get(f"/sessies/{live.id}").text
    assert "2 voorstellen wachten op goedkeuring" in control
    assert f'formaction="/voorstellen/{sent["Buurtcoach"].id}/goedkeuren"' in control

    post(client, f"/voorstellen/{sent['Buurtcoach'].id}/goedkeuren")
    post(client, f"/voorstellen/{sent['Reclame'].id}/verbergen")
    screen = client.get(f"/sessies/{live.id}/scherm").text
    assert "Buurtcoach" in screen and "Reclame" not in screen

    # A round without approval shows a proposal at once.
    _, other, _ = _room(session, organisation, phones, False, "Maatje")
    assert not _sent(session, other.id)["Maatje"].pending


def test_several_proposals_are_approved_or_clustered_at_once(client, session, organisation, phones):
    live, inbreng, _ = _room(
        session, organisation, phones, True, "Maatje", "Een maatje", "Buddy", "Vacaturebank"
    )
    sent = _sent(session, inbreng.id)
    ids = {f"voorstel-{sent[t].id}": "1" for t in ("Maatje", "Een maatje", "Buddy")}

    form = client.post(f"/rondes/{inbreng.id}/voorstellen", data={**ids, "actie": "samenvoegen"})
    assert form.status_code == 200
    assert "Wat blijft staan?" in form.text and " checked" not in form.text  # nothing chosen
    post(
        client,
        f"/rondes/{inbreng.id}/samenvoegen",
        {**ids, "doel": "nieuw", "tekst": "Een maatje voor wie het moeilijk heeft"},
    )
    sent = _sent(session, inbreng.id)
    head = sent["Een maatje voor wie het moeilijk heeft"]
    assert head.sent_text == "Maatje" and not head.pending
    assert {sent["Een maatje"].merged_into_id, sent["Buddy"].merged_into_id} == {head.id}
    screen = client.get(f"/sessies/{live.id}/scherm").text
    assert "Een maatje voor wie het moeilijk heeft" in screen and "Vacaturebank" not in screen

    post(
        client,
        f"/rondes/{inbreng.id}/voorstellen",
        {f"voorstel-{sent['Vacaturebank'].id}": "1", "actie": "goedkeuren"},
    )
    assert not _sent(session, inbreng.id)["Vacaturebank"].pending


def test_a_bad_choice_of_proposals_is_refused_and_changes_nothing(
    client, session, organisation, phones
):
    _, inbreng, _ = _room(session, organisation, phones, False, "Maatje", "Buddy", "Vacaturebank")
    sent = _sent(session, inbreng.id)
    one = {f"voorstel-{sent['Maatje'].id}": "1"}
    two = {**one, f"voorstel-{sent['Buddy'].id}": "1"}

    refused = client.post(f"/rondes/{inbreng.id}/voorstellen", data={**one, "actie": "samenvoegen"})
    assert refused.status_code == 422
    assert "Kies minstens twee voorstellen om samen te voegen." in refused.text
    assert "Regie" in refused.text  # the control screen again, the choice kept ticked
    on_round = client.post(
        f"/rondes/{inbreng.id}/voorstellen",
        data={**one, "actie": "samenvoegen", "_terug": "ronde"},
    )
    assert on_round.status_code == 422 and 'id="voorstel-fout"' in on_round.text
    assert f'id="kies-{sent["Maatje"].id}" name="voorstel-{sent["Maatje"].id}"' in on_round.text
    assert 'value="1" form="voorstellen-kiezen" hx-preserve checked' in on_round.text
    nothing = client.post(f"/rondes/{inbreng.id}/voorstellen", data={"actie": "verbergen"})
    assert nothing.status_code == 422 and "Kies eerst een of meer voorstellen." in nothing.text
    no_target = client.post(f"/rondes/{inbreng.id}/samenvoegen", data=two)
    assert no_target.status_code == 422
    assert "Kies welk voorstel blijft staan, of schrijf een nieuwe tekst." in no_target.text
    empty = client.post(f"/rondes/{inbreng.id}/samenvoegen", data={**two, "doel": "nieuw"})
    assert empty.status_code == 422 and "Schrijf eerst iets op." in empty.text
    outside = client.post(
        f"/rondes/{inbreng.id}/samenvoegen", data={**two, "doel": str(sent["Vacaturebank"].id)}
    )
    assert outside.status_code == 422 and "Kies een van de gekozen voorstellen." in outside.text

    after = _sent(session, inbreng.id)
    assert all(i.merged_into_id is None and not i.hidden for i in after.values())
    assert [i.text for i in after.values()] == ["Maatje", "Buddy", "Vacaturebank"]
    assert session.get_one(Round, inbreng.id).status.value == "open"


def test_the_moderation_list_follows_the_room_without_a_reload(
    client, session, organisation, phones
):
    """The control screen's live stream carries the moderation list (out of band into
    #moderatie), so a proposal sent after the page loaded appears in it."""
    live, inbreng, phone = _room(session, organisation, phones, True, "Buurtcoach")
    control = client.get(f"/sessies/{live.id}").text
    assert '<div id="moderatie">' in control and "?voor=regie" in control
    assert send(phone, "inbreng", ronde=inbreng.id, tekst="Taalcafé").status_code == 200

    session.expire_all()
    update = routes.control_fragment(session, live.id, True, "formulier-token")
    listed = update[update.index('<div id="moderatie" hx-swap-oob="true">') :]
    assert "Buurtcoach" in listed and "Taalcafé" in listed
    assert "2 voorstellen wachten op goedkeuring" in listed
    assert 'name="_csrf" value="formulier-token"' in listed  # its forms work as sent
    reader = routes.control_fragment(session, live.id, False, None)
    assert "Taalcafé" in reader and "Goedkeuren" not in reader
