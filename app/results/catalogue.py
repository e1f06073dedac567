"""The statutory BBV beleidsindicatoren a municipality reports in its programme budget, numbers
17 to 32 (onderwijs, sport and the sociaal domein), to pick when adding an indicator.

Names, units and sources as waarstaatjegemeente.nl publishes them (Besluit begroting en
verantwoording, Regeling beleidsindicatoren). A picked indicator keeps its number
(`Indicator.bbv_number`), so the report can gather them in its BBV annex; a free indicator has
none.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from app.results.models import Direction, Frequency


@dataclass(frozen=True)
class BbvIndicator:
    number: int
    name: str
    unit: str
    definition: str
    source: str
    taakveld: str
    direction: Direction
    frequency: Frequency = Frequency.YEARLY

    @property
    def option_label(self) -> str:
        return f"{self.number}. {self.name} ({self.unit})"


_EDUCATION = "4 Onderwijs"
_SPORT = "5 Sport, cultuur en recreatie"
_SOCIAL = "6 Sociaal domein"
_KIDS_IN_TEL = "Verwey-Jonker Instituut, Kinderen in Tel"
_CBS = "CBS, Monitor Sociaal Domein"

CATALOGUE: tuple[BbvIndicator, ...] = (
    BbvIndicator(
        17,
        "Absoluut verzuim",
        "per 1.000 leerlingen",
        "Het aantal leerplichtigen dat niet staat ingeschreven op een school, per 1.000 "
        "inwoners van 5 tot en met 18 jaar.",
        "DUO, Ingrado",
        _EDUCATION,
        Direction.LOWER,
    ),
    BbvIndicator(
        18,
        "Relatief verzuim",
        "per 1.000 leerlingen",
        "Het aantal leerplichtigen dat wel staat ingeschreven op een school, maar ongeoorloofd "
        "afwezig is, per 1.000 inwoners van 5 tot en met 18 jaar.",
        "DUO, Ingrado",
        _EDUCATION,
        Direction.LOWER,
    ),
    BbvIndicator(
        19,
        "Voortijdige schoolverlaters zonder startkwalificatie (vsv-ers)",
        "% deelnemers aan vo en mbo",
        "Het percentage van het totaal aantal leerlingen (12 tot 23 jaar) dat vroegtijdig, "
        "zonder startkwalificatie, het onderwijs verlaat.",
        "DUO",
        _EDUCATION,
        Direction.LOWER,
    ),
    BbvIndicator(
        20,
        "Niet-sporters",
        "% inwoners van 19 jaar en ouder",
        "Het percentage inwoners van 19 jaar en ouder dat niet wekelijks sport.",
        "RIVM, GGD Gezondheidsmonitor",
        _SPORT,
        Direction.LOWER,
        Frequency.BIENNIAL,
    ),
    BbvIndicator(
        21,
        "Banen",
        "per 1.000 inwoners van 15-64 jaar",
        "Het aantal banen (voltijd en deeltijd, uitzendkrachten meegeteld) per 1.000 inwoners "
        "van 15 tot en met 64 jaar.",
        "LISA",
        _SOCIAL,
        Direction.HIGHER,
    ),
    BbvIndicator(
        22,
        "Jongeren met een delict voor de rechter",
        "% 12 t/m 21-jarigen",
        "Het percentage jongeren van 12 tot en met 21 jaar dat met een delict voor de rechter "
        "is verschenen.",
        _KIDS_IN_TEL,
        _SOCIAL,
        Direction.LOWER,
    ),
    BbvIndicator(
        23,
        "Kinderen in uitkeringsgezin",
        "% kinderen tot 18 jaar",
        "Het percentage kinderen tot 18 jaar dat in een gezin leeft dat van een "
        "bijstandsuitkering moet rondkomen.",
        _KIDS_IN_TEL,
        _SOCIAL,
        Direction.LOWER,
    ),
    BbvIndicator(
        24,
        "Netto arbeidsparticipatie",
        "% van de beroepsbevolking",
        "Het percentage van de werkzame beroepsbevolking ten opzichte van de beroepsbevolking.",
        "CBS",
        _SOCIAL,
        Direction.HIGHER,
    ),
    BbvIndicator(
        25,
        "Achterstandsleerlingen",
        "% leerlingen 4 t/m 12 jaar",
        "Het percentage leerlingen in het basisonderwijs met een risico op een "
        "onderwijsachterstand.",
        _KIDS_IN_TEL,
        _SOCIAL,
        Direction.LOWER,
    ),
    BbvIndicator(
        26,
        "Werkloze jongeren",
        "% 16 t/m 22-jarigen",
        "Het percentage werkloze jongeren van 16 tot en met 22 jaar.",
        _KIDS_IN_TEL,
        _SOCIAL,
        Direction.LOWER,
    ),
    BbvIndicator(
        27,
        "Personen met een bijstandsuitkering",
        "per 10.000 inwoners van 18 jaar en ouder",
        "Het aantal personen met een bijstandsuitkering (Participatiewet) per 10.000 inwoners "
        "van 18 jaar en ouder.",
        "CBS",
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
    BbvIndicator(
        28,
        "Lopende re-integratievoorzieningen",
        "per 10.000 inwoners van 15-64 jaar",
        "Het aantal lopende re-integratievoorzieningen per 10.000 inwoners van 15 tot en met 64 "
        "jaar.",
        "CBS",
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
    BbvIndicator(
        29,
        "Jongeren met jeugdhulp",
        "% van alle jongeren tot 18 jaar",
        "Het percentage jongeren tot 18 jaar met jeugdhulp ten opzichte van alle jongeren tot "
        "18 jaar.",
        _CBS,
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
    BbvIndicator(
        30,
        "Jongeren met jeugdbescherming",
        "% van alle jongeren tot 18 jaar",
        "Het percentage jongeren tot 18 jaar met een jeugdbeschermingsmaatregel ten opzichte "
        "van alle jongeren tot 18 jaar.",
        _CBS,
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
    BbvIndicator(
        31,
        "Jongeren met jeugdreclassering",
        "% van alle jongeren van 12 t/m 22 jaar",
        "Het percentage jongeren van 12 tot en met 22 jaar met een "
        "jeugdreclasseringsmaatregel ten opzichte van alle jongeren van 12 tot en met 22 jaar.",
        _CBS,
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
    BbvIndicator(
        32,
        "Cliënten met een maatwerkarrangement Wmo",
        "per 10.000 inwoners",
        "Het aantal cliënten met een maatwerkarrangement in het kader van de Wmo per 10.000 "
        "inwoners.",
        _CBS,
        _SOCIAL,
        Direction.LOWER,
        Frequency.HALF_YEARLY,
    ),
)

_BY_NUMBER = {entry.number: entry for entry in CATALOGUE}


def bbv_indicator(number: int | None) -> BbvIndicator | None:
    """The catalogue entry with this number, or None (a free indicator, or no such number)."""
    return _BY_NUMBER.get(number) if number is not None else None


def options() -> list[tuple[str, str]]:
    """The catalogue as the options of a select."""
    return [(str(entry.number), entry.option_label) for entry in CATALOGUE]


def form_values(query: Mapping[str, str]) -> dict[str, object] | None:
    """A new indicator's form filled from the catalogue entry `?bbv=` names, or None."""
    text = query.get("bbv", "").strip()
    entry = (
        bbv_indicator(int(text)) if text.isascii() and text.isdigit() and len(text) < 4 else None
    )
    if entry is None:
        return None
    return {
        "bbv_number": entry.number,
        "name": entry.name,
        "unit": entry.unit,
        "definition": entry.definition,
        "source": entry.source,
        "direction": entry.direction,
        "expected_frequency": entry.frequency,
    }
