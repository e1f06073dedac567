"""Pages for themes and cycles."""

from tests import factories


class TestOverview:
    def test_lists_themes_with_progress(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        response = client.get("/")
        assert response.status_code == 200
        assert cycle.theme.name in response.text
        assert "Lopende cyclus" in response.text
