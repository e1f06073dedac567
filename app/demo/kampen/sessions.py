"""Live sessions of the theme Werk (fictional): the finished werksessie 2 of March 2019, in
which a broader group with professionals put the results in order of priority, and a session
prepared for today, to try out on a phone."""

from dataclasses import dataclass
from datetime import date

from app.choices import Perspective
from app.sessions.models import RoundKind, Target

M, P, R, X = (
    Perspective.MUNICIPALITY,
    Perspective.PROVIDER,
    Perspective.RESIDENT,
    Perspective.OTHER,
)

THEME = "Werk"
FINISHED_TITLE = "Werksessie 2: resultaten en prioriteit"
FINISHED_ON = date(2019, 3, 12)
FACILITATOR = "Marieke de Groot (Movisie)"
LOCATION = "Stadhuis Kampen, Burgwal"

# Who took part: perspective and (optional) display name.
PARTICIPANTS: tuple[tuple[Perspective, str | None], ...] = (
    (M, "Evi (beleid)"), (M, None), (M, "Klantmanager W&I"), (M, None),
    (P, "De Kern"), (P, None), (P, "Welzijn Kampen"), (P, None), (P, "MEE IJsseloevers"), (P, None),
    (R, "Ervaringsdeskundige"), (R, None), (R, None),
    (X, "UWV"),
)  # fmt: skip

# Round 1, inbreng: what participants wrote (participant index, text); pairs merged after.
PROPOSALS: tuple[tuple[int, str], ...] = (
    (0, "Minder mensen vallen terug in de bijstand nadat ze aan het werk gingen."),
    (4, "Wie gaat werken, houdt het thuis ook vol: kinderopvang, boodschappen, administratie."),
    (10, "Als je weer werkt, wil je niet na een half jaar terug bij af zijn."),
    (6, "Meer mensen doen mee naar vermogen, ook als betaald werk (nog) niet lukt."),
    (2, "Klantmanager en maatschappelijk werk werken met één plan per huishouden."),
    (8, "Eerder hulp bij geldzorgen, voordat schulden problematisch worden."),
    (12, "Jongeren zonder diploma krijgen een tweede kans op school of werk."),
    (13, "Werkgevers weten de gemeente te vinden bij uitval van een werknemer."),
)
MERGED = ((2, 0), (1, 0))  # proposal index -> merged into proposal index

# Round 2, dots on the cycle's results (3 dots each): result code per dot, per participant,
# so that the session's order is the priority the cycle has (W1 first).
DOTS: tuple[tuple[str, ...], ...] = (
    ("W1", "W3", "W4"), ("W1", "W2", "W3"), ("W1", "W3", "W2"), ("W1", "W4", "W2"),
    ("W1", "W2", "W3"), ("W1", "W2", "W4"), ("W2", "W1", "W3"), ("W1", "W3", "W5"),
    ("W2", "W4", "W1"), ("W1", "W2", "W5"), ("W1", "W2", "W4"), ("W2", "W5", "W3"),
    ("W1", "W2", "W5"), ("W3", "W4", "W1"),
)  # fmt: skip

# Round 3, begrip: what "duurzame uitstroom" means, per participant.
MEANINGS: tuple[tuple[int, str], ...] = (
    (0, "Iemand ontvangt na twaalf maanden nog steeds geen bijstand."),
    (2, "Uitstroom naar werk zonder herinstroom binnen een jaar."),
    (4, "Iemand heeft werk én het thuis op orde, zodat het werk blijft."),
    (7, "De persoon voelt zich zeker genoeg om het zelf te redden."),
    (11, "Dat ik niet na een paar maanden weer bij de gemeente moet aankloppen."),
)


@dataclass(frozen=True)
class PreparedRound:
    title: str
    kind: RoundKind
    target: Target
    question: str
    dots: int = 3
    criteria: str | None = None
    source: int | None = None  # index of the inbreng round whose proposals become the choices


PREPARED_TITLE = "Oefensessie: activiteiten bij de resultaten"
PREPARED_ROUNDS = (
    PreparedRound(
        "Welke activiteiten helpen bij W1?",
        RoundKind.INPUT,
        Target.NONE,
        "Wat moet er gebeuren zodat mensen die aan het werk gaan niet terugvallen?",
    ),
    PreparedRound(
        "Welke activiteiten eerst?",
        RoundKind.DOTS,
        Target.ACTIVITIES,
        "Plak je drie stippen op de activiteiten die het meeste bijdragen.",
        source=0,
    ),
    PreparedRound(
        "Scoren op impact, urgentie en haalbaarheid",
        RoundKind.SCORING,
        Target.NONE,
        "Geef elke activiteit een score van 1 tot 5 per criterium.",
        criteria="impact:2, urgentie:1, haalbaarheid:1",
        source=0,
    ),
    PreparedRound(
        "Warme overdracht",
        RoundKind.TERM,
        Target.TERMS,
        "Wat betekent 'warme overdracht' voor jou, vanuit jouw werk of ervaring?",
    ),
)
