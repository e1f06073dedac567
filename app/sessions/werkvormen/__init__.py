"""The werkvormen of a live session, one module each, registered by their kind.

A werkvorm (base.Werkvorm) says how many votes a participant has, how a phone's ballot and a
paper tally are read and stored, how the votes are counted into a round's outcome, and which
templates show it (`templates/sessions/werkvormen/<name>_phone.html`, the phone's part, and
`<name>.html`, the paper ballot's and the tally's). Adding one: a RoundKind (with its Dutch
API code in app/api_names.py), a module here, its templates, an entry in REGISTRY.
"""

from app.sessions.models import RoundKind
from app.sessions.werkvormen import criteria, dots, points, proposals, ranking
from app.sessions.werkvormen.base import Werkvorm
from app.templating import templates

REGISTRY: dict[RoundKind, Werkvorm] = {
    w.kind: w
    for w in (
        proposals.INPUT,
        dots.WERKVORM,
        ranking.WERKVORM,
        criteria.WERKVORM,
        proposals.TERM,
        points.WERKVORM,
    )
}
# Sent whole from a phone, each to its own address (POST /doe-mee/{code}/{path}).
PHONE_PATHS = {w.phone.path: w.phone for w in REGISTRY.values() if w.phone is not None}


def of(kind: RoundKind) -> Werkvorm:
    return REGISTRY[kind]


templates.env.globals["werkvorm"] = lambda round_: of(round_.kind)
