"""Partner update requests: the signed link, its scope, expiry, revocation and throttling."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from app.activities.models import Spending
from app.audit.models import AuditEntry
from app.organisations.models import Role
from app.partner_requests import service
from app.partner_requests.models import PartnerRequest, PartnerRequestCreate
from app.results.models import Measurement
from app.tables import utc_now
from tests import factories


@pytest.fixture
def world(session, organisation):
    """De Kern with one activity and indicator, another partner with theirs."""
    cycle = factories.make_cycle(session, organisation)
    kern = factories.make_partner(session, organisation, "De Kern")
    other = factories.make_partner(session, organisation, "Welzijn Kampen")
    own = factories.make_activity(session, cycle, partner=kern, name="Maatjesproject")
    foreign = factories.make_activity(session, cycle, partner=other, name="Buurtkamer")
    return {
        "cycle": cycle,
        "kern": kern,
        "own": own,
        "own_indicator": factories.make_indicator(session, activity=own),
        "foreign": foreign,
        "foreign_indicator": factories.make_indicator(session, activity=foreign),
    }


def _link(session, organisation, partner, due=None):
    token, request = service.create_request(
        session,
        organisation,
        PartnerRequestCreate(partner_id=partner.id, due_on=due or utc_now().date()),
        "Joost Mulder",
    )
    return token, request


def _csrf(page: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)


class TestTheRequest:
    def test_the_policy_officer_makes_a_link_shown_once(self, client, session, world):
        response = client.post(
            "/partnerverzoeken",
            data={"partner_id": str(world["kern"].id), "due_on": str(utc_now().date())},
        )
        assert response.status_code == 200
        link = re.search(r"http://testserver/partnerlink/([\w-]+)", response.text)
        assert link is not None
        stored = session.exec(select(PartnerRequest)).one()
        assert link.group(1) not in stored.token_hash  # only a keyed hash is kept
        assert link.group(1) not in client.get("/partnerverzoeken").text

    def test_a_due_date_in_the_past_is_refused(self, client, world):
        response = client.post(
            "/partnerverzoeken",
            data={"partner_id": str(world["kern"].id), "due_on": "2020-01-01"},
        )
        assert response.status_code == 422 and "vanaf vandaag" in response.text

    def test_another_organisations_partner_cannot_be_asked(self, client, session):
        stranger = factories.make_partner(session, factories.make_organisation(session))
        response = client.post(
            "/partnerverzoeken",
            data={"partner_id": str(stranger.id), "due_on": str(utc_now().date())},
        )
        assert response.status_code == 422

    def test_readers_may_not_ask(self, client_as, world):
        reader = client_as(Role.READER)
        assert reader.get("/partnerverzoeken").status_code == 403


class TestTheLink:
    def test_opens_only_the_partners_own_activities(self, anonymous, session, organisation, world):
        token, _ = _link(session, organisation, world["kern"])
        page = anonymous.get(f"/partnerlink/{token}")
        assert page.status_code == 200
        assert "Maatjesproject" in page.text and "Buurtkamer" not in page.text
        assert world["foreign_indicator"].name not in page.text

    def test_the_partner_adds_a_measurement_audited_as_the_partner(
        self, anonymous, session, organisation, world
    ):
        token, _ = _link(session, organisation, world["kern"])
        csrf = _csrf(anonymous.get(f"/partnerlink/{token}").text)
        indicator = world["own_indicator"]
        response = anonymous.post(
            f"/partnerlink/{token}/metingen/{indicator.id}",
            data={"_csrf": csrf, "measured_on": "2021-06-01", "value": "62", "story": "Goed"},
        )
        assert response.status_code == 200 and "De meting is opgeslagen" in response.text
        saved = session.exec(
            select(Measurement).where(Measurement.indicator_id == indicator.id)
        ).one()
        assert saved.value == Decimal(62)
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "measurement")).one()
        assert entry.actor_pseudonym == "De Kern (via partnerlink)"
        assert entry.organisation_id == organisation.id

    def test_the_partner_enters_spending_and_changes_a_year(
        self, anonymous, session, organisation, world
    ):
        token, _ = _link(session, organisation, world["kern"])
        csrf = _csrf(anonymous.get(f"/partnerlink/{token}").text)
        url = f"/partnerlink/{token}/bestedingen/{world['own'].id}"
        anonymous.post(url, data={"_csrf": csrf, "year": "2020", "planned": "12.500"})
        anonymous.post(url, data={"_csrf": csrf, "year": "2020", "actual": "11.000"})
        row = session.exec(select(Spending).where(Spending.activity_id == world["own"].id)).one()
        assert (row.planned, row.actual) == (None, Decimal(11000))

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"year": "2020", "actual": "-10"}, "niet negatief"),
            ({"year": "2020", "planned": "duizend"}, "Vul een getal in"),
        ],
    )
    def test_bad_amounts_get_a_dutch_message(
        self, anonymous, session, organisation, world, data, message
    ):
        token, _ = _link(session, organisation, world["kern"])
        csrf = _csrf(anonymous.get(f"/partnerlink/{token}").text)
        response = anonymous.post(
            f"/partnerlink/{token}/bestedingen/{world['own'].id}", data={"_csrf": csrf, **data}
        )
        assert response.status_code == 422 and message in response.text
        assert session.exec(select(Spending)).all() == []

    def test_another_partners_indicator_and_activity_answer_404(
        self, anonymous, session, organisation, world
    ):
        token, _ = _link(session, organisation, world["kern"])
        csrf = _csrf(anonymous.get(f"/partnerlink/{token}").text)
        measurement = anonymous.post(
            f"/partnerlink/{token}/metingen/{world['foreign_indicator'].id}",
            data={"_csrf": csrf, "measured_on": "2021-06-01", "value": "1"},
        )
        spending = anonymous.post(
            f"/partnerlink/{token}/bestedingen/{world['foreign'].id}",
            data={"_csrf": csrf, "year": "2020", "planned": "1"},
        )
        assert measurement.status_code == 404 and spending.status_code == 404
        assert session.exec(select(Spending)).all() == []

    def test_another_organisations_records_answer_404(
        self, anonymous, session, organisation, world
    ):
        elsewhere = factories.make_organisation(session)
        cycle = factories.make_cycle(session, elsewhere)
        activity = factories.make_activity(session, cycle)
        indicator = factories.make_indicator(session, activity=activity)
        token, _ = _link(session, organisation, world["kern"])
        csrf = _csrf(anonymous.get(f"/partnerlink/{token}").text)
        response = anonymous.post(
            f"/partnerlink/{token}/metingen/{indicator.id}",
            data={"_csrf": csrf, "measured_on": "2021-06-01", "value": "1"},
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("form_token", [None, "é"], ids=["none", "beyond-ascii"])
    def test_a_form_without_its_token_is_refused(
        self, anonymous, session, organisation, world, form_token
    ):
        token, _ = _link(session, organisation, world["kern"])
        extra = {} if form_token is None else {"_csrf": form_token}
        response = anonymous.post(
            f"/partnerlink/{token}/bestedingen/{world['own'].id}",
            data={"year": "2020", "planned": "1", **extra},
        )
        assert response.status_code == 403

    def test_an_expired_link(self, anonymous, session, organisation, world):
        token, request = _link(session, organisation, world["kern"])
        request.expires_at = utc_now() - timedelta(minutes=1)
        session.flush()
        response = anonymous.get(f"/partnerlink/{token}")
        assert response.status_code == 410 and "verlopen" in response.text

    def test_a_revoked_link(self, client, anonymous, session, organisation, world):
        token, request = _link(session, organisation, world["kern"])
        client.post(f"/partnerverzoeken/{request.id}/intrekken")
        response = anonymous.get(f"/partnerlink/{token}")
        assert response.status_code == 410 and "ingetrokken" in response.text
        assert "Ingetrokken" in client.get("/partnerverzoeken").text

    def test_the_link_expires_thirty_days_after_the_due_date(self):
        due = utc_now().date()
        assert service.expiry_for(due).date() == due + timedelta(days=30)

    def test_wrong_tokens_are_throttled_per_address(self, anonymous, session, organisation, world):
        token, _ = _link(session, organisation, world["kern"])
        for _ in range(service.FAILURES_PER_ADDRESS + 5):  # a good link never counts
            assert anonymous.get(f"/partnerlink/{token}").status_code == 200
        for n in range(service.FAILURES_PER_ADDRESS):
            assert anonymous.get(f"/partnerlink/geraden-token-{n:020d}").status_code == 404
        assert anonymous.get("/partnerlink/geraden-token-nog-een-keer-0000").status_code == 429
        assert anonymous.get(f"/partnerlink/{token}").status_code == 429

    def test_a_closed_cycle_is_not_opened(self, anonymous, session, organisation, world):
        from app.cycles.models import CycleStatus

        world["cycle"].status = CycleStatus.CLOSED
        session.flush()
        token, _ = _link(session, organisation, world["kern"])
        page = anonymous.get(f"/partnerlink/{token}").text
        assert "Maatjesproject" not in page


def test_the_audit_log_keeps_no_token_hash(client, session, world):
    client.post(
        "/partnerverzoeken",
        data={"partner_id": str(world["kern"].id), "due_on": str(utc_now().date())},
    )
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "partner_request")).one()
    assert "token_hash" not in entry.after


def test_the_link_page_takes_the_same_queries_however_much_data(
    anonymous, session, organisation, world, count_queries
):
    token, _ = _link(session, organisation, world["kern"])
    with count_queries() as small:
        assert anonymous.get(f"/partnerlink/{token}").status_code == 200
    for _ in range(3):
        activity = factories.make_activity(session, world["cycle"], partner=world["kern"])
        factories.make_measurement(session, factories.make_indicator(session, activity=activity))
    with count_queries() as large:
        assert anonymous.get(f"/partnerlink/{token}").status_code == 200
    assert large.count == small.count
