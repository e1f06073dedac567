"""An integrator's client: openapi-python-client generates a Python client from the document
the application serves, and a real flow runs through it against the app (on the test's own
database transaction): themes, cycles, a result with an indicator and a meting, a priority
change, a round's results, a scenario, and a refused write whose problem details arrive
typed."""

import importlib
import subprocess
import sys
from datetime import date

import pytest
from fastapi.testclient import TestClient

from app.main import API_PREFIX, app

BIN = sys.prefix + "/bin/openapi-python-client"


@pytest.fixture(scope="module")
def kompas(tmp_path_factory):
    """The generated package `kompas_client`, imported."""
    where = tmp_path_factory.mktemp("client")
    with TestClient(app) as anonymous:
        (where / "openapi.json").write_text(anonymous.get(f"{API_PREFIX}/openapi.json").text)
    (where / "config.yaml").write_text("post_hooks: []\n")
    run = subprocess.run(
        [
            *(BIN, "generate", "--path", "openapi.json", "--meta", "none"),
            *("--output-path", "kompas_client", "--config", "config.yaml", "--fail-on-warning"),
        ],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("kompas_client")
    finally:
        sys.path.remove(str(where))


def _op(kompas, tag: str, operation: str):
    return importlib.import_module(f"kompas_client.api.{tag}.{operation}")


def test_a_flow_through_the_generated_client(kompas, client):
    from kompas_client import models as m

    client.base_url = f"http://testserver{API_PREFIX}"
    api = kompas.AuthenticatedClient(base_url=str(client.base_url), token="in-the-headers")
    api.set_httpx_client(client)  # the test's client: its token and database transaction

    def call(tag, operation, **kwargs):
        return _op(kompas, tag, operation).sync_detailed(client=api, **kwargs)

    theme = call("themas", "thema_maken", body=m.ThemaInvoer(naam="Vitaal")).parsed
    assert isinstance(theme, m.Thema) and theme.naam == "Vitaal"
    cycle = call(
        "cycli",
        "cyclus_maken",
        thema_id=theme.id,
        body=m.CyclusInvoer(beginjaar=2024, eindjaar=2027),
    ).parsed
    every = call("cycli", "alle_cycli_opvragen").parsed
    assert [c.id for c in every.items] == [cycle.id] and every.totaal == 1

    first = call(
        "resultaten",
        "resultaat_maken",
        cyclus_id=cycle.id,
        body=m.ResultaatInvoer(tekst="Minder eenzaamheid"),
    ).parsed
    second = call(
        "resultaten",
        "resultaat_maken",
        cyclus_id=cycle.id,
        body=m.ResultaatInvoer(tekst="Meer bewegen"),
    ).parsed
    indicator = call(
        "indicatoren",
        "indicator_maken",
        resultaat_id=first.id,
        body=m.IndicatorInvoer(naam="Eenzaam (%)"),
    ).parsed
    meting = call(
        "metingen",
        "meting_maken",
        indicator_id=indicator.id,
        body=m.MetingInvoer(gemeten_op=date(2024, 6, 1), waarde=12.5),
    ).parsed
    assert meting.gemeten_op == date(2024, 6, 1) and meting.waarde == 12.5

    read = call("resultaten", "resultaat_lezen", resultaat_id=second.id)
    moved = call(
        "resultaten",
        "prioriteit_wijzigen",
        resultaat_id=second.id,
        body=m.Prioriteitswijziging(prioriteit=1),
        if_match=read.headers["etag"],
    )
    assert moved.status_code == 201 or moved.status_code == 200
    assert moved.parsed.prioriteit == 1 and moved.headers["etag"] != read.headers["etag"]
    page = call("resultaten", "resultaten_opvragen", cyclus_id=cycle.id, sorteer=None).parsed
    assert [r.tekst for r in sorted(page.items, key=lambda r: r.prioriteit)] == [
        "Meer bewegen",
        "Minder eenzaamheid",
    ]

    live = call(
        "sessies", "sessie_maken", cyclus_id=cycle.id, body=m.SessieInvoer(titel="Werksessie")
    ).parsed
    round_ = call(
        "rondes",
        "ronde_maken",
        sessie_id=live.id,
        body=m.RondeInvoer(titel="Wat telt?", soort=m.RondeInvoerSoort.STIPPEN),
    ).parsed
    call(
        "sessies",
        "keuze_toevoegen",
        ronde_id=round_.id,
        body=m.NieuweKeuze(tekst="Ontmoeten"),
        if_match="*",
    )
    started = call(
        "sessies",
        "rondestatus_wijzigen",
        ronde_id=round_.id,
        body=m.Rondestatus(status=m.RondestatusStatus.OPEN),
        if_match="*",
    )
    assert started.status_code == 200, started.content
    results = call("sessies", "uitslag_lezen", ronde_id=round_.id).parsed
    assert isinstance(results, m.Uitslag) and [r.tekst for r in results.regels] == ["Ontmoeten"]

    scenario = call(
        "scenarios",
        "scenario_maken",
        body=m.ScenarioInvoer(naam="Min 10%", bezuiniging_waarde=10, cyclus_id=cycle.id),
    )
    assert scenario.status_code == 201, scenario.content
    outcome = call("scenarios", "scenariouitkomst_lezen", scenario_id=scenario.parsed.id).parsed
    assert isinstance(outcome, m.Scenariouitkomst)

    stale = call(
        "themas",
        "thema_wijzigen",
        thema_id=theme.id,
        body=m.ThemaWijziging(omschrijving="Nieuw"),
        if_match='W/"999"',
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, m.Problem) and stale.parsed.status == 412
    refused = call("themas", "thema_maken", body=m.ThemaInvoer(naam=" "))
    assert isinstance(refused.parsed, m.Problem) and refused.status_code == 400
    assert [p.name for p in refused.parsed.invalid_params] == ["naam"]
