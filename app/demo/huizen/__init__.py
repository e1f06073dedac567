"""Gemeente Huizen: a second, smaller demo organisation, to show that organisations never see
each other's data. Modelled on the Huizen / Versa Welzijn case (Movisie 2019); figures are
fictional."""

from datetime import date

from app.activities.models import ActivityStatus, Contribution, EvidenceLevel, QualityCategory
from app.ambitions.models import Adopter, AmbitionStatus
from app.cycles.models import MonitoringKind, StepStatus
from app.demo.content import (
    DemoActivity,
    DemoIndicator,
    DemoLink,
    DemoMeasurement,
    DemoPartner,
    DemoResult,
    DemoTheme,
)
from app.organisations.models import PartnerType
from app.results.models import Direction, RbaQuestion, ResultType

NAME = "Gemeente Huizen"
SLUG = "huizen"

PARTNERS = (
    DemoPartner("Gemeente Huizen", PartnerType.MUNICIPALITY, "Beleid sociaal domein."),
    DemoPartner("Versa Welzijn", PartnerType.PROVIDER, "Welzijnswerk en beweegcoaches in Huizen."),
    DemoPartner(
        "Huisartsen Huizen", PartnerType.HEALTHCARE, "Huisartsen en praktijkondersteuners (POH)."
    ),
)

BEWEGEN = DemoTheme(
    name="Bewegen en gezondheid",
    description="Inwoners bewegen meer en voelen zich gezonder, met steun dichtbij.",
    start_year=2020,
    end_year=2023,
    current_step=3,
    ambition="Inwoners van Huizen bewegen voldoende en weten de weg naar een gezonde leefstijl.",
    ambition_status=AmbitionStatus.AGREED,
    ambition_on=date(2020, 3, 10),
    ambition_adopted_by=Adopter.COLLEGE,
    monitoring=(
        (
            MonitoringKind.FIGURE,
            "Aandeel volwassenen dat voldoet aan de beweegrichtlijn",
            "46% (2020)",
            "GGD Gezondheidsmonitor",
            "Lager dan in de regio; vooral bij inwoners met weinig geld.",
        ),
        (
            MonitoringKind.SIGNAL,
            "Huisartsen zien veel klachten die met bewegen te maken hebben",
            None,
            "Praktijkondersteuners",
            "Verwijzen kan alleen als er iets in de wijk is.",
        ),
    ),
    results=(
        DemoResult(
            "B1",
            "Over 3 jaar bewegen meer volwassenen voldoende.",
            ResultType.SUBSTANTIVE,
            "Volwassenen die weinig bewegen",
            "Eerste prioriteit in de sessie met huisartsen en Versa Welzijn.",
            (
                DemoIndicator(
                    "Aandeel volwassenen dat voldoet aan de beweegrichtlijn",
                    "%",
                    Direction.HIGHER,
                    "GGD Gezondheidsmonitor",
                    "46",
                    date(2020, 1, 1),
                    "52",
                    date(2023, 12, 31),
                    (DemoMeasurement(date(2022, 1, 1), "48"),),
                ),
            ),
        ),
        DemoResult(
            "B2",
            "Over 3 jaar verwijzen huisartsen vaker naar welzijn in plaats van naar zorg.",
            ResultType.PROCESS,
            "Huisartsen en praktijkondersteuners",
            None,
        ),
    ),
    activities=(
        DemoActivity(
            "Bewegen op Recept",
            "De huisarts of POH verwijst inactieve inwoners naar een beweegcoach van Versa.",
            "Versa Welzijn",
            "Inactieve volwassenen",
            "38.000",
            ActivityStatus.CONTINUE,
            EvidenceLevel.WELL_FOUNDED,
            links=(
                DemoLink("B1", Contribution.LARGE, "Begeleid beginnen maakt volhouden kansrijker."),
                DemoLink("B2", Contribution.MEDIUM, "Een vaste route maakt verwijzen makkelijk."),
            ),
            working_elements=(("Persoonlijk beweegplan met de beweegcoach", None),),
            quality=(
                (QualityCategory.TRAINING, "Beweegcoaches volgen de training Bewegen op Recept."),
            ),
            indicators=(
                DemoIndicator(
                    "Aandeel deelnemers dat na 6 maanden nog wekelijks beweegt",
                    "%",
                    Direction.HIGHER,
                    "Vragenlijst Versa",
                    "50",
                    date(2020, 6, 1),
                    "65",
                    date(2023, 6, 1),
                    (
                        DemoMeasurement(date(2021, 6, 1), "54"),
                        DemoMeasurement(date(2022, 6, 1), "58"),
                    ),
                    rba_question=RbaQuestion.BETTER_OFF,
                ),
            ),
        ),
        DemoActivity(
            "Zelf aan Zet",
            "Een welzijnscoach helpt inwoners met stress of eenzaamheid op weg naar activiteiten.",
            "Versa Welzijn",
            "Inwoners met psychosociale klachten",
            "24.000",
            ActivityStatus.NEW,
            EvidenceLevel.NOT_ASSESSED,
            links=(
                DemoLink("B2", Contribution.MEDIUM, "Alternatief voor een verwijzing naar zorg."),
            ),
        ),
    ),
    step_status={
        0: StepStatus.DONE,
        1: StepStatus.DONE,
        2: StepStatus.DONE,
        3: StepStatus.IN_PROGRESS,
    },
)

THEMES = (BEWEGEN,)
