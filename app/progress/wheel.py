"""Geometry of the Kwaliteitskompas wheel: steps 1-6 around, step 0 in the middle."""

import math
from dataclasses import dataclass

CENTRE = 200.0
OUTER = 190.0
INNER = 78.0
LABEL_RADIUS = (OUTER + INNER) / 2


# Segment labels, split so they fit their segment.
LABELS = {
    1: ("Monitoring", "& ambities"),
    2: ("Maatschappelijk", "resultaat"),
    3: ("Activiteiten",),
    4: ("Input", "kwaliteit"),
    5: ("Outcome",),
    6: ("Verbeter-", "cyclus"),
}


@dataclass(frozen=True)
class Segment:
    number: int
    path: str
    label_x: float
    label_y: float

    @property
    def lines(self) -> tuple[str, ...]:
        return LABELS[self.number]


def _point(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def segment(number: int, gap: float = 1.5) -> Segment:
    """The ring segment of step `number` (1-6), clockwise from the top."""
    start = -90 + (number - 1) * 60 + gap
    end = -90 + number * 60 - gap
    ox1, oy1 = _point(OUTER, start)
    ox2, oy2 = _point(OUTER, end)
    ix2, iy2 = _point(INNER, end)
    ix1, iy1 = _point(INNER, start)
    path = (
        f"M{ox1:.1f},{oy1:.1f} A{OUTER},{OUTER} 0 0 1 {ox2:.1f},{oy2:.1f} "
        f"L{ix2:.1f},{iy2:.1f} A{INNER},{INNER} 0 0 0 {ix1:.1f},{iy1:.1f} Z"
    )
    lx, ly = _point(LABEL_RADIUS, (start + end) / 2)
    return Segment(number, path, round(lx, 1), round(ly, 1))


SEGMENTS = tuple(segment(n) for n in range(1, 7))
