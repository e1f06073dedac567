"""The audit log to BIO2: result and origin on every entry, sign-ins and refusals logged
without secrets, and the hash chain that `kompas audit verify` checks."""

import json
import threading

import pyotp
import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.audit import chain
from app.audit.models import AuditAction, AuditChain, AuditEntry, AuditResult
from app.db import writer_of
from app.organisations import members as members_service
from app.organisations import second_factor
from app.organisations.models import Organisation, Partner, PartnerType, Role
from tests import factories
from tests.organisations.test_second_factor import account, post_code
from tests.organisations.test_signin import PASSWORD, post_sign_in


def log(session, organisation_id=None) -> list[AuditEntry]:
    session.expire_all()
    stmt = select(AuditEntry).order_by(col(AuditEntry.id))
    if organisation_id is not None:
        stmt = stmt.where(AuditEntry.organisation_id == organisation_id)
    return list(session.exec(stmt).all())


def findings(session) -> list[str]:
    return [f.message for f in chain.verify(session.connection())[1]]


def test_a_change_is_chained_with_its_origin_and_result(client, session, organisation):
    client.post("/partners", data={"name": "De Kern", "partner_type": "provider"})
    client.post("/partners", data={"name": "Humanitas", "partner_type": "provider"})
    first, second = log(session, organisation.id)[-2:]
    assert first.result is AuditResult.SUCCESS and first.origin == "testclient"
    assert second.chain_seq == first.chain_seq + 1 and second.prev_hash == first.hash
    assert findings(session) == []


def test_verify_finds_a_changed_entry(client, session, organisation):
    for name in ("De Kern", "Humanitas", "Travers"):
        client.post("/partners", data={"name": name, "partner_type": "provider"})
    entry = log(session, organisation.id)[1]
    session.exec(
        sa.update(AuditEntry).where(col(AuditEntry.id) == entry.id).values(label="Iets anders")
    )
    assert findings(session) == [f"Regel {entry.chain_seq} (id {entry.id}) is gewijzigd."]


def test_verify_finds_a_removed_entry(client, session, organisation):
    for name in ("De Kern", "Humanitas", "Travers"):
        client.post("/partners", data={"name": name, "partner_type": "provider"})
    entries = log(session, organisation.id)
    session.exec(sa.delete(AuditEntry).where(col(AuditEntry.id) == entries[1].id))
    assert findings(session) == [
        f"1 regel(s) ontbreken vóór regel {entries[2].chain_seq} (id {entries[2].id})."
    ]
    session.exec(sa.delete(AuditEntry).where(col(AuditEntry.id) == entries[-1].id))  # the last
    assert any("eindigt bij regel" in message for message in findings(session))


def test_sign_ins_and_failures_are_logged_without_secrets(anonymous, session, organisation):
    user = account(session, "anna@kampen.example.org", "Anna de Boer")
    members_service.add_member(session, organisation, user, Role.FACILITATOR)
    post_sign_in(anonymous, "anna@kampen.example.org", "fout wachtwoord")
    post_sign_in(anonymous, "niemand@kampen.example.org", "geheim-wachtwoord")
    post_sign_in(anonymous, "anna@kampen.example.org", PASSWORD)
    entries = [e for e in log(session) if e.action is AuditAction.SIGN_IN]
    assert [(e.result, e.organisation_id, e.actor_id) for e in entries] == [
        (AuditResult.FAILED, organisation.id, user.id),
        (AuditResult.FAILED, None, None),  # an unknown account: the installation's chain
        (AuditResult.SUCCESS, organisation.id, user.id),
    ]
    assert all(e.origin == "testclient" for e in entries)
    written = json.dumps([e.model_dump(mode="json") for e in entries])
    for secret in ("fout wachtwoord", "geheim-wachtwoord", PASSWORD, "niemand@"):
        assert secret not in written
    assert findings(session) == []


def test_a_wrong_code_is_logged(anonymous, session, organisation):
    user = account(session, "sanne@kampen.example.org", "Sanne Visser")
    members_service.add_member(session, organisation, user, Role.ADMIN)
    key = pyotp.random_base32()
    second_factor.set_up_with_key(session, user, key)
    post_sign_in(anonymous, "sanne@kampen.example.org", PASSWORD)
    wrong = str((int(pyotp.TOTP(key).now()) + 500_000) % 1_000_000).zfill(6)
    post_code(anonymous, wrong)
    steps = [e for e in log(session, organisation.id) if e.action is AuditAction.SECOND_STEP]
    assert [(e.result, e.actor_id) for e in steps] == [(AuditResult.FAILED, user.id)]
    assert wrong not in json.dumps(steps[0].model_dump(mode="json"))


def test_a_refused_write_is_logged_and_nothing_else_kept(client_as, session, organisation):
    reader = client_as(Role.READER)
    response = reader.post("/partners", data={"name": "De Kern", "partner_type": "provider"})
    assert response.status_code == 403
    refused = log(session, organisation.id)[-1]
    assert (refused.action, refused.result) == (AuditAction.WRITE, AuditResult.REFUSED)
    assert refused.label == "POST /partners" and refused.actor_id == reader.user_id
    assert refused.origin == "testclient"
    assert not session.exec(select(Partner).where(Partner.name == "De Kern")).all()


def test_a_refused_write_through_the_api_is_logged(client_as, session, organisation):
    reader = client_as(Role.READER)
    response = reader.post(
        "/api/v2/partners", json={"naam": "De Kern", "soortPartner": "aanbieder"}
    )
    assert response.status_code == 403, response.text
    refused = log(session, organisation.id)[-1]
    assert (refused.action, refused.result) == (AuditAction.WRITE, AuditResult.REFUSED)
    assert refused.label == "POST /api/v2/partners" and refused.actor_id == reader.user_id
    assert refused.origin == "testclient"
    assert not session.exec(select(Partner).where(Partner.name == "De Kern")).all()


def test_a_role_change_is_logged(client, client_as, session, organisation):
    reader = client_as(Role.READER)
    client.post(f"/leden/{reader.membership_id}", data={"role": "facilitator", "partner_id": ""})
    change = log(session, organisation.id)[-1]
    assert change.entity == "membership" and change.after == {"role": "facilitator"}
    assert change.origin == "testclient"


def test_writers_at_once_keep_one_chain(engine):
    """Writers in parallel, each committing on its own: every entry finds its place."""
    with Session(writer_of(engine)) as setup:
        organisation = factories.make_organisation(setup)
        setup.commit()
        organisation_id = organisation.id
    start, writers, each = threading.Barrier(6), 6, 3

    def write(n: int) -> None:
        start.wait()
        for k in range(each):
            with Session(writer_of(engine)) as session:
                session.add(
                    Partner(
                        organisation_id=organisation_id,
                        name=f"Partner {n}-{k}",
                        partner_type=PartnerType.PROVIDER,
                    )
                )
                session.commit()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        with engine.connect() as connection:
            heads, found = chain.verify(connection)
        assert [f for f in found if f.chain == organisation_id] == []
        assert next(h for h in heads if h.chain == organisation_id).entries == writers * each
    finally:
        with Session(writer_of(engine)) as cleanup:
            cleanup.exec(sa.delete(Organisation).where(col(Organisation.id) == organisation_id))
            cleanup.exec(sa.delete(AuditChain).where(col(AuditChain.chain) == organisation_id))
            cleanup.commit()
