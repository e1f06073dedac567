"""The accessibility statement (toegankelijkheidsverklaring) at /toegankelijkheid, public, in
the parts of the Dutch government's model statement: commitment, compliance status, how and
when it was tested, known shortcomings and what is done about them, feedback and contact, the
complaints route and the legal basis.

It claims only what was measured. The test run is recorded by the browser tests
(`make audit-accessibility` writes docs/accessibility-audit.json: date, browser, tool versions
and what each check covered); a check that was not recorded is not claimed. The shortcomings
are the known ones, kept here, and leave this list only with the work that ends them.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from fastapi import Request
from starlette.responses import Response

from app.config import ROOT, settings
from app.routing import SectionRouter
from app.templating import render

AUDIT_FILE = ROOT / "docs" / "accessibility-audit.json"
PACKAGE_LOCK = ROOT / "package-lock.json"


@dataclass(frozen=True)
class Check:
    """One kind of test. `claim` names what it covered, filled in from the recorded counts."""

    id: str
    title: str
    claim: str


# Every check the browser tests record, in the order the statement lists them.
CHECKS = (
    Check(
        "axe",
        "Elke soort pagina met axe-core",
        "{pages} pagina's, elke soort pagina die een beheerder via de links bereikt (elk "
        "thema, elke cyclus en stap, de rapportage, de pagina's zonder JavaScript), getoetst "
        "op WCAG 2.1 niveau A en AA: geen fouten.",
    ),
    Check(
        "forms",
        "Formulieren met foutmeldingen",
        "{forms} formulieren leeg verstuurd, zodat ze hun meldingen bij de velden tonen, en "
        "zo opnieuw getoetst met axe-core: geen fouten.",
    ),
    Check(
        "public",
        "Pagina's zonder account",
        "{pages} pagina's die zonder inloggen open zijn (inloggen, deze verklaring, de "
        "API-documentatie, meedoen met de telefoon aan een live sessie), getoetst met "
        "axe-core: geen fouten.",
    ),
    Check(
        "phone",
        "Op een telefoon (375 pixels breed)",
        "{views} weergaven: elke soort pagina die een beheerder, procesbegeleider, partner "
        "of lezer bereikt, de telefoonpagina's van een live sessie, en formulieren in hun "
        "foutstaat. Nergens horizontaal scrollen (WCAG 1.4.10) en genoeg contrast voor alle "
        "zichtbare tekst (WCAG 1.4.3).",
    ),
    Check(
        "keyboard",
        "Met alleen het toetsenbord",
        "{tests} tests: de link Direct naar de inhoud komt eerst en werkt, een resultaat "
        "toevoegen en zijn prioriteit verschuiven gaat zonder muis, de API-documentatie is "
        "te doorlopen van inhoudsopgave tot voorbeeld, alles met op elk moment zichtbare "
        "focus, en Tab gaat een hele stappagina rond zonder ergens vast te blijven (WCAG "
        "2.1.1, 2.1.2, 2.4.1, 2.4.7).",
    ),
)
CHECK_IDS = frozenset(check.id for check in CHECKS)


@dataclass(frozen=True)
class Shortcoming:
    what: str
    effect: str  # what it means for whom
    action: str  # what is done about it, and the way round it meanwhile


SHORTCOMINGS = (
    Shortcoming(
        what="De PDF's van het verslag, de samenvatting en de stembiljetten zijn getagd "
        "volgens PDF/UA-1 (koppen, lijsten, tabellen met kopcellen, grafieken met een "
        "tekstalternatief, Nederlands als taal). Dat is gecontroleerd door de structuur terug "
        "te lezen, niet met een validator zoals veraPDF of met een schermlezer. Een hoofdstuk "
        "of tabel die over een pagina heen loopt, is in de PDF per pagina een apart element.",
        effect="Wie een schermlezer gebruikt, hoort bij zo'n paginawissel een nieuw "
        "hoofdstuk of een nieuwe tabel beginnen.",
        action="We zoeken een manier om die stukken over de pagina's heen samen te voegen. "
        "Tot dan staan het verslag, de samenvatting en het sessieverslag ook als webpagina in "
        "Kompas (onder Rapportage en bij de sessie); die pagina's zijn getoetst.",
    ),
    Shortcoming(
        what="Kompas is alleen onderzocht met de eigen tests hierboven, niet door een "
        "onafhankelijke deskundige volgens de onderzoeksmethode WCAG-EM, en niet met mensen "
        "die een schermlezer, vergroting of spraakbesturing gebruiken.",
        effect="Automatische tests vinden een deel van de problemen; wat alleen een mens "
        "opmerkt (begrijpelijke teksten, zinvolle alternatieve teksten, de volgorde waarin "
        "een schermlezer voorleest) kan nog fout zijn.",
        action="Die tests horen bij de testsuite van Kompas en lopen bij elke "
        "wijziging. Merk je toch iets op, meld het dan (zie Feedback en contact).",
    ),
)


@dataclass(frozen=True)
class Audit:
    tested_on: date
    browser: str
    axe_core: str
    playwright: str
    checks: dict[str, dict[str, int]]

    def claims(self) -> list[tuple[Check, str]]:
        return [
            (check, check.claim.format(**self.checks[check.id]))
            for check in CHECKS
            if check.id in self.checks
        ]


@cache
def recorded_audit() -> Audit | None:
    """The last recorded test run, or None when none was recorded."""
    if not AUDIT_FILE.exists():
        return None
    data: dict[str, Any] = json.loads(AUDIT_FILE.read_text())
    return Audit(
        tested_on=date.fromisoformat(data["tested_on"]),
        browser=data["browser"],
        axe_core=data["axe_core"],
        playwright=data["playwright"],
        checks={id: counts for id, counts in data["checks"].items() if id in CHECK_IDS},
    )


def locked_version(package: str) -> str:
    """The version of an npm package as package-lock.json pins it."""
    lock = json.loads(PACKAGE_LOCK.read_text())
    return lock["packages"][f"node_modules/{package}"]["version"]


router = SectionRouter()


@router.get("/toegankelijkheid", name="accessibility")
def statement(request: Request) -> Response:
    context = {
        "audit": recorded_audit(),
        "axe_core": locked_version("axe-core"),
        "shortcomings": SHORTCOMINGS,
        "operator": settings.operator,
        "contact": settings.accessibility_contact,
        "host": request.url.netloc,
    }
    return render(request, "accessibility.html", context)
