"""What makes a werkvorm: how many votes a participant has, what a phone and a paper ballot
send and how that is read, how the votes are counted, and the templates that show it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.choices import Perspective
from app.sessions.models import Participant, Round, RoundItem, RoundKind
from app.sessions.tally import Outcome
from app.sessions.voting import Receipt

# Counting: the round, its items in order (hidden and merged ones too) and who is present.
Count = Callable[[Session, Round, list[RoundItem], dict[Perspective, int]], Outcome]


@dataclass(frozen=True)
class Phone:
    """A ballot a phone sends whole (a ranking, scores, points, a proposal): `read` takes the
    form's fields (InvalidInput when they can never be right), `submit` stores it under the
    page's key. Its route is POST /doe-mee/{code}/{path}."""

    path: str
    saved: str  # the confirmation, in Dutch
    read: Callable[[dict[str, str]], Any]
    submit: Callable[[Session, Participant, int, Any, str], Receipt]


@dataclass(frozen=True)
class Paper:
    """Paper ballots: the sheet's cell per choice and the tally form's field per choice (the
    werkvorm's `ballot` and `tally` macros), what a typed-in tally holds and how it is
    entered (the same rules as a phone)."""

    field: str  # the tally's field per choice: `{field}{item id}`
    read: Callable[[dict[str, str], Round], dict[int, int]]
    enter: Callable[[Session, Participant, Round, dict[int, int]], Receipt]


@dataclass(frozen=True)
class Werkvorm:
    kind: RoundKind
    allowance: Callable[[Round, int], int]  # votes per participant, given the choices
    count: Count
    score_label: str  # the results' column
    rule: str | None  # how it counts, on the round page (Dutch)
    # Its templates, templates/sessions/werkvormen/{name}_phone.html (the phone's part, included
    # by the phone's page) and, when it goes on paper, {name}.html (the ballot's and the tally's).
    name: str
    phone: Phone | None = None  # None: dots, one request per dot (dots.cast_dot)
    paper: Paper | None = None

    @property
    def phone_template(self) -> str:
        return f"sessions/werkvormen/{self.name}_phone.html"

    @property
    def paper_template(self) -> str:
        return f"sessions/werkvormen/{self.name}.html"
