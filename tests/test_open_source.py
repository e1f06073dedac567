"""What a public body expects of open-source software: the EUPL-1.2 as published, a
publiccode.yml that follows the standard, a changelog in the Keep a Changelog form, a
CONTRIBUTING guide whose paths exist, and a security.txt that does not expire."""

import json
import re
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
import yaml
from fastapi.testclient import TestClient

from app.config import ROOT
from app.main import app
from app.version import VERSION

SPDX = json.loads((ROOT / "node_modules/spdx-license-list/spdx-full.json").read_text())

# The controlled vocabulary of the standard's `categories` (docs/standard/categories-list).
CATEGORIES = """accounting agile-project-management applicant-tracking application-development
appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
business-process-management cad call-center-management cloud-management collaboration
communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design
design-system digital-asset-management digital-citizenship document-management donor-management
e-commerce e-signature educational-content email-management email-marketing employee-management
enterprise-project-management enterprise-social-networking erp event-management
facility-management feedback-and-reviews-management financial-reporting fleet-management
fundraising gamification geographic-information-systems grant-management graphic-design
help-desk hr ide identity-management instant-messaging inventory-management it-asset-management
it-development it-management it-security it-service-management knowledge-management
learning-management-system marketing mind-mapping mobile-marketing mobile-payment
network-management office online-booking online-community payment-gateway payroll
predictive-analysis procurement productivity-suite project-collaboration project-management
property-management real-estate-management remote-support resource-management sales-management
seo service-desk social-media-management survey talent-management task-management
taxes-management test-management time-management time-tracking translation video-conferencing
video-editing visitor-management voip warehouse-management web-collaboration web-conferencing
website-builder whistleblowing workflow-management""".split()  # noqa: SIM905 - as the standard lists them

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
URL = {"type": "string", "pattern": r"^https?://\S+$"}
CONTACT = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[a-z]+$"},
    },
}
DEPENDENCY = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "versionMin": {"type": "string"},
        "versionMax": {"type": "string"},
        "version": {"type": "string"},
        "optional": {"type": "boolean"},
    },
    "additionalProperties": False,
}
# The core standard, version 0.4 (docs/standard/schema.core): its mandatory keys, enumerations
# and lengths.
PUBLICCODE = {
    "type": "object",
    "required": [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ],
    "properties": {
        "publiccodeYmlVersion": {"type": "string", "pattern": r"^0(\.\d+)?$"},
        "name": {"type": "string", "minLength": 1},
        "url": URL,
        "landingURL": URL,
        "softwareVersion": {"type": "string"},
        "releaseDate": DATE,
        "platforms": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "categories": {"type": "array", "minItems": 1, "items": {"enum": CATEGORIES}},
        "developmentStatus": {"enum": ["concept", "development", "beta", "stable", "obsolete"]},
        "softwareType": {
            "enum": [
                "standalone/mobile",
                "standalone/iot",
                "standalone/desktop",
                "standalone/web",
                "standalone/backend",
                "standalone/other",
                "addon",
                "library",
                "configurationFiles",
            ]
        },
        "intendedAudience": {
            "type": "object",
            "properties": {
                "countries": {"type": "array", "items": {"pattern": "^[a-z]{2}$"}},
            },
        },
        "description": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["shortDescription", "longDescription", "features"],
                "properties": {
                    "localisedName": {"type": "string"},
                    "shortDescription": {"type": "string", "maxLength": 150},
                    "longDescription": {"type": "string", "minLength": 150, "maxLength": 10000},
                    "features": {"type": "array", "items": {"type": "string"}},
                    "documentation": URL,
                    "apiDocumentation": URL,
                },
            },
        },
        "legal": {
            "type": "object",
            "required": ["license"],
            "properties": {"license": {"enum": sorted(SPDX)}},
        },
        "maintenance": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["internal", "contract", "community", "none"]},
                "contacts": {"type": "array", "items": CONTACT},
            },
            "if": {"properties": {"type": {"enum": ["internal", "community"]}}},
            "then": {"required": ["contacts"]},
        },
        "localisation": {
            "type": "object",
            "required": ["localisationReady", "availableLanguages"],
            "properties": {
                "localisationReady": {"type": "boolean"},
                "availableLanguages": {"type": "array", "minItems": 1},
            },
        },
        "dependsOn": {
            "type": "object",
            "properties": {
                kind: {"type": "array", "items": DEPENDENCY}
                for kind in ("open", "proprietary", "hardware")
            },
            "additionalProperties": False,
        },
    },
}


def test_the_licence_is_the_eupl_as_published():
    assert (ROOT / "LICENSE").read_text() == SPDX["EUPL-1.2"]["licenseText"].rstrip("\n") + "\n"


def test_publiccode_yml_follows_the_standard():
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    jsonschema.validate(publiccode, PUBLICCODE)
    assert publiccode["legal"]["license"] == "EUPL-1.2"
    assert publiccode["softwareVersion"] == VERSION


def test_publiccode_yml_names_the_source_and_maintainers_the_docs_name():
    """The README names the same repository; SECURITY.md sends reports to the maintainers'
    address, so they have one."""
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    readme = " ".join((ROOT / "README.md").read_text().split())
    security = " ".join((ROOT / "SECURITY.md").read_text().split())
    assert publiccode["url"] in readme
    (maintainer,) = publiccode["maintenance"]["contacts"]
    assert maintainer["email"] in security and maintainer["email"] in readme
    assert maintainer["name"] in security


def test_the_changelog_keeps_a_changelog():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    versions = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", changelog, re.M)
    assert versions[0] == ("Unreleased", "")
    assert (VERSION, versions[1][1]) == versions[1]  # the newest release is the running one
    assert all(date for _, date in versions[1:])
    kinds = set(re.findall(r"^### (.+)$", changelog, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_every_path_contributing_names_exists():
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    paths = set(
        re.findall(r"`((?:app|tests|templates|migrations|docs|bench|deploy)/[^`]*)`", contributing)
    )
    paths |= {name for name in re.findall(r"`([A-Za-z]+\.(?:md|yaml|yml))`", contributing)}
    assert len(paths) > 10
    for path in paths:
        assert (ROOT / path.rstrip("/")).exists(), path


@pytest.mark.parametrize(
    "contact", ["security@kampen.example.org", "https://kampen.example.org/cvd"]
)
def test_security_txt_names_the_contact_and_expires_within_a_year(monkeypatch, contact):
    monkeypatch.setattr("app.security_txt.settings.security_contact", contact)
    answer = TestClient(app, base_url="https://kompas.kampen.example.org").get(
        "/.well-known/security.txt"
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in answer.text.splitlines())
    assert fields["Contact"] in (f"mailto:{contact}", contact)
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now + timedelta(days=30) < expires < now + timedelta(days=365)
    assert fields["Canonical"] == "https://kompas.kampen.example.org/.well-known/security.txt"


def test_no_security_txt_without_a_contact(monkeypatch):
    monkeypatch.setattr("app.security_txt.settings.security_contact", None)
    assert TestClient(app).get("/.well-known/security.txt").status_code == 404
