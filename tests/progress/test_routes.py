"""The theme page shows who sat at the table, and warns when inwoners did not."""

from app.ambitions import service as ambitions_service
from app.ambitions.models import TableMemberCreate
from app.choices import Perspective
from tests import factories

WARNING = "Inwoners of de doelgroep hebben in deze cyclus niet aan tafel gezeten."


def test_the_theme_page_warns_until_inwoners_are_at_the_table(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    ambitions_service.create_table_member(
        session, cycle, TableMemberCreate(name="Wethouder", perspective=Perspective.MUNICIPALITY)
    )
    page = client.get(f"/themas/{cycle.theme_id}").text
    assert "gemeente (1)" in page and "inwoner of doelgroep (0)" in page
    assert WARNING in page

    client.post(
        f"/cycli/{cycle.id}/aan-tafel",
        data={"name": "Cliëntenraad Sociaal Domein", "perspective": "resident"},
    )
    page = client.get(f"/themas/{cycle.theme_id}").text
    assert "inwoner of doelgroep (1)" in page
    assert WARNING not in page
    assert "Cliëntenraad Sociaal Domein" in client.get(f"/cycli/{cycle.id}/stappen/0").text


def test_flags_on_the_cycle_page(client, session, organisation):
    cycle = factories.make_cycle(session, organisation)
    factories.make_result(session, cycle)
    factories.make_activity(session, cycle)
    page = client.get(f"/cycli/{cycle.id}").text
    assert "1 resultaat zonder indicator" in page
    assert "1 activiteit zonder indicator voor “Is iemand er beter van geworden?”" in page
    assert "4 van 6 stappen afgerond" not in page and "0 van 6 stappen afgerond" in page
