"""The report's curves as pictures for Word, which cannot show SVG: the same SVG the print view
draws (`templates/results/_trend_chart.html`), rendered to PNG by CairoSVG."""

import re
from functools import lru_cache

from app.downloads import xml_text
from app.results.trend_chart import TrendChart
from app.templating import templates

_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'
# Pixels across: 150 dpi at the 17 cm the picture takes on the page. (Encoding the PNG is
# most of the work, and grows with the pixels.)
PIXEL_WIDTH = 960


def chart_svg(chart: TrendChart) -> str:
    """The chart's standalone SVG document, cut from the markup the pages and the PDF use."""
    html = templates.env.get_template("results/_trend_chart.html").render(chart=chart)
    found = _SVG.search(html)
    if found is None:  # the template always draws one; guard against it changing
        raise ValueError("The trend chart template drew no <svg>.")
    # As an XML document of its own, without what XML cannot hold (stored before it was
    # refused): HTML does not mind, the SVG parser does.
    return xml_text(found.group(0).replace("<svg ", f"<svg {SVG_NAMESPACE} ", 1))


def chart_png(chart: TrendChart) -> bytes:
    return _png(chart_svg(chart))


# Exporting the same report again draws no curve twice (128 curves: about 4 MB).
@lru_cache(maxsize=128)
def _png(svg: str) -> bytes:
    # CairoSVG loads the cairo library on import: only when a Word file is made.
    import cairosvg

    return cairosvg.svg2png(  # type: ignore[no-any-return]
        bytestring=svg.encode(), output_width=PIXEL_WIDTH, background_color="white"
    )
