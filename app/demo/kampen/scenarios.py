"""Budget scenarios for the Kampen demo, modelled on the real 2019 cut: the social domain had to
find EUR 4.3 million, 8% of EUR 57 million. The amounts here are fictional (the demo holds only
a small part of the social domain's budget), as are the legal duties and minimum levels."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.scenarios.models import CutKind

# Activity name -> (legal duty, minimum level in %): what the scenarios may and may not touch.
INPUTS: dict[str, tuple[bool, int | None]] = {
    "Werkfit-trajecten": (True, 60),  # Participatiewet
    "Vroegsignalering betalingsachterstanden": (True, None),  # Wet gemeentelijke schuldhulp
    "CJG-consulent op school en peuterspeelzaal": (True, 80),  # Jeugdwet
    "Mantelzorgondersteuning": (True, 75),  # Wmo 2015
    "Maatje bij werkhervatting": (False, 50),
    "Home-Start: vrijwilligers bij gezinnen thuis": (False, 50),
    "Ambulant jongerenwerk": (False, 60),
    "Maatjesproject": (False, 50),
    "Welzijn op Recept": (False, 50),
    "Boodschappendienst, klussendienst en maaltijdservice": (False, 70),
    "Preventief huisbezoek 75+": (False, 50),
}


@dataclass(frozen=True)
class DemoScenario:
    name: str
    theme: str | None  # None: the whole organisation
    made_on: date
    author: str
    cut_kind: CutKind
    cut_value: Decimal
    max_partner_loss: Decimal | None
    covered_top_results: int | None
    note: str


SCENARIOS = (
    DemoScenario(
        "Taakstelling sociaal domein 2020: 8%",
        None,
        date(2019, 10, 8),
        "Joost Mulder",
        CutKind.PERCENT,
        Decimal(8),
        Decimal(15),
        2,
        "Zoals de raad in 2019 besloot: 8% minder in het hele sociaal domein. Geen partner "
        "verliest meer dan 15%, en de twee belangrijkste resultaten van elk thema houden "
        "minstens één activiteit.",
    ),
    DemoScenario(
        "Taakstelling 2020 zonder grenzen",
        None,
        date(2019, 10, 8),
        "Joost Mulder",
        CutKind.PERCENT,
        Decimal(8),
        None,
        None,
        "Ter vergelijking: dezelfde bezuiniging, alleen de wettelijke taken blijven.",
    ),
    DemoScenario(
        "Werk: eerste stap van € 40.000",
        "Werk",
        date(2019, 9, 24),
        "Sanne Visser",
        CutKind.AMOUNT,
        Decimal(40000),
        Decimal(20),
        1,
        "Wat levert het thema Werk in als het € 40.000 per jaar moet vinden?",
    ),
)
