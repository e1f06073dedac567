"""The report's curves as pictures: the SVG the pages draw (`templates/results/_trend_svg.html`)
as a document of its own, for the PDF, and rendered to PNG by CairoSVG for Word, which cannot
show SVG."""

import base64
from functools import lru_cache

from app.downloads import xml_text
from app.results.trend_chart import TrendChart
from app.templating import templates

# Pixels across: 150 dpi at the 17 cm the picture takes on the page. (Encoding the PNG is
# most of the work, and grows with the pixels.)
PIXEL_WIDTH = 960


def chart_svg(chart: TrendChart) -> str:
    """The chart's standalone SVG document, the markup the pages show inline."""
    # As an XML document of its own, without what XML cannot hold (stored before it was
    # refused): HTML does not mind, the SVG parser does.
    return xml_text(templates.env.get_template("results/_trend_svg.html").render(chart=chart))


def chart_data_uri(chart: TrendChart) -> str:
    """The chart's SVG as the address of a picture, for the PDF's <img>."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(chart).encode()).decode()


def chart_png(chart: TrendChart) -> bytes:
    return _png(chart_svg(chart))


# Exporting the same report again draws no curve twice (128 curves: about 4 MB).
@lru_cache(maxsize=128)
def _png(svg: str) -> bytes:
    # CairoSVG loads the cairo library on import: only when a Word file is made.
    import cairosvg

    return cairosvg.svg2png(
        bytestring=svg.encode(), output_width=PIXEL_WIDTH, background_color="white"
    )
