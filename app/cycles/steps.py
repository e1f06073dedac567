"""The six steps of the Kwaliteitskompas as Movisie (2019) names and asks them, preceded by
step 0, "Wat er vooraf gaat": the preparation, which the method does not count as a step."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StepDefinition:
    number: int
    name: str
    question: str
    level: str
    produces: str

    @property
    def preparation(self) -> bool:
        return self.number == 0


STEPS: tuple[StepDefinition, ...] = (
    StepDefinition(
        0,
        "Wat er vooraf gaat",
        "Wie werken er samen, met welk belang, en spreken we dezelfde taal?",
        "Samenwerking",
        "Begrippen met hun betekenis per perspectief en de afgesproken definitie.",
    ),
    StepDefinition(
        1,
        "Monitoring & ambities",
        "Hoe gaat het met onze inwoners op het gebied van participatie, eenzaamheid, armoede, "
        "etc.? Wat zijn onze politieke en beleidsambities?",
        "Beleid",
        "Een gedeeld beeld van cijfers en signalen, en één gezamenlijke ambitie.",
    ),
    StepDefinition(
        2,
        "Maatschappelijk resultaat",
        "Wat willen we bereiken voor en met onze inwoners? Welke indicatoren en instrumenten "
        "maken dit zichtbaar?",
        "Beleid: lokale samenleving",
        "Geprioriteerde maatschappelijke resultaten met hun indicatoren.",
    ),
    StepDefinition(
        3,
        "Activiteiten",
        "Welke activiteiten dragen bij aan de gewenste resultaten? Hoe sluiten ze op elkaar aan "
        "en hangen ze samen? Wie voert welke activiteiten uit?",
        "Beleid en praktijk",
        "Activiteiten met uitvoerder en budget, gekoppeld aan de resultaten.",
    ),
    StepDefinition(
        4,
        "Input kwaliteit",
        "Hoe zorgen voorzieningen voor kwaliteit? Gebeurt dat via scholing, kennis over wat "
        "werkt, effectieve methoden en tools, organisatorische voorwaarden?",
        "Praktijk",
        "Werkzame elementen, kwaliteitsvoorwaarden en erkenning per activiteit.",
    ),
    StepDefinition(
        5,
        "Outcome",
        "Boeken we resultaat met wat we doen? Hoe maken we dat zichtbaar met indicatoren en "
        "instrumenten die tellen en vertellen?",
        "Praktijk: voorzieningen",
        "Metingen met het verhaal achter de cijfers.",
    ),
    StepDefinition(
        6,
        "Verbetercyclus",
        "Zijn inwoners er beter van geworden? Wat gaat goed, wat kan beter en hoe dan?",
        "Beleid en praktijk",
        "Reflecties, verbeteracties en een besluit per activiteit.",
    ),
)


STEP_OPTIONS = [(str(s.number), f"{s.number}. {s.name}") for s in STEPS]

STEP_PATH = "/cycli/{cycle_id}/stappen/%d"


def step_url(cycle_id: int | None, number: int, anchor: str | None = None) -> str:
    """Where a step's page lives; `anchor` points at one record on it."""
    path = STEP_PATH.replace("{cycle_id}", str(cycle_id)) % number
    return f"{path}#{anchor}" if anchor else path


def cycle_url(cycle_id: int | None) -> str:
    return f"/cycli/{cycle_id}"
