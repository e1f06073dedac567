"""Pages for themes and cycles."""

from tests import factories


class TestOverview:
    def test_lists_themes_with_progress(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        response = client.get("/")
        assert response.status_code == 200
        assert cycle.theme.name in response.text
        assert "Lopende cyclus" in response.text


class TestThemePage:
    def test_offers_the_first_cycle_when_there_is_none(self, client, session, organisation):
        theme = factories.make_theme(session, organisation, "Vitaal")
        page = client.get(f"/themas/{theme.id}").text
        assert "Eerste cyclus starten" in page
        response = client.post(
            f"/themas/{theme.id}/cycli",
            data={
                "start_year": "2023",
                "end_year": "2026",
                "horizon_years": "4",
                "current_step": "0",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        cycle_page = client.get(response.headers["location"]).text
        assert "Cyclus 2023–2026" in cycle_page
        assert "Resultaten over 4 jaar" in cycle_page


class TestCyclePage:
    def test_shows_the_six_steps_with_their_questions(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        page = client.get(f"/cycli/{cycle.id}").text
        for name in (
            "Monitoring &amp; ambities",
            "Maatschappelijk resultaat",
            "Activiteiten",
            "Input kwaliteit",
            "Outcome",
            "Verbetercyclus",
        ):
            assert name in page
        assert "Wat willen we bereiken voor en met onze inwoners?" in page

    def test_flags_steps_left_empty_and_means_without_ends(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        factories.make_activity(session, cycle, name="Bingomiddag")
        page = client.get(f"/cycli/{cycle.id}").text
        assert "Stap 2, Maatschappelijk resultaat: nog niets vastgelegd." in page
        assert "Stap 3, Activiteiten: nog niets vastgelegd." not in page
        assert "Stap 0" not in page.split("Aandacht voor alle stappen")[1].split("</ul>")[0]
        assert "Doel of middel? 1 activiteit zonder gekoppeld resultaat." in page


class TestStepStatus:
    def test_status_and_notes_are_saved(self, client, session, organisation):
        cycle = factories.make_cycle(session, organisation)
        step = cycle.steps[2]
        response = client.post(
            f"/stappen/{step.id}",
            data={
                "status": "done",
                "notes": "Prioriteit gezet in sessie 2.",
                "_versie": str(step.version),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "Prioriteit gezet in sessie 2." in page
        assert "Afgerond" in page

    def test_an_unknown_status_is_refused_and_the_notes_kept(self, client, session, organisation):
        step = factories.make_cycle(session, organisation).steps[2]
        form = {"status": "klaar", "notes": "Mijn", "_versie": str(step.version)}
        response = client.post(f"/stappen/{step.id}", data=form)
        assert response.status_code == 422
        assert "Kies een van de opties." in response.text
        assert "Mijn" in response.text
