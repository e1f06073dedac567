"""The demo a newcomer sees after `make run`: Gemeente Kampen with content in every step."""

import pytest
from sqlmodel import Session

from app import migrate
from app.cycles import service as cycles_service
from app.db import make_engine
from app.demo.load import load_demo
from app.organisations import service as organisations_service
from app.progress import service as progress_service
from tests.conftest import fresh_database


@pytest.fixture
def demo_engine(backend, tmp_path):
    with fresh_database(backend, str(tmp_path)) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_loads_once_and_again_changes_nothing(demo_engine):
    assert load_demo(demo_engine) is True
    assert load_demo(demo_engine) is False
    with Session(demo_engine) as session:
        kampen = organisations_service.get_by_slug(session, "kampen")
        themes = cycles_service.list_themes(session, kampen)
        assert [t.name for t in themes] == ["Jong", "Werk", "Meedoen", "Vitaal"]
        # Jong was handed over from 2019–2022 to 2023–2026; the others run their first cycle
        assert [len(t.cycles) for t in themes] == [2, 1, 1, 1]
        assert {p.name for p in organisations_service.list_partners(session, kampen)} >= {
            "De Kern",
            "Welzijn Kampen",
        }


def test_every_theme_has_content_in_every_step(demo_engine):
    load_demo(demo_engine)
    with Session(demo_engine) as session:
        kampen = organisations_service.get_by_slug(session, "kampen")
        cycles = [c for t in cycles_service.list_themes(session, kampen) for c in t.cycles]
        for cycle_progress in progress_service.progress(session, cycles).values():
            assert not cycle_progress.empty_steps, cycle_progress.cycle.theme_id
            assert all(not step.empty for step in cycle_progress.steps)
