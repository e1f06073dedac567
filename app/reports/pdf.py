"""The report and the A4 summary as PDF: the print view's HTML laid out on A4 pages as a
tagged PDF/UA document (`app/pdf.py`)."""

from pathlib import Path
from typing import Any

from app.pdf import render_pdf
from app.reports.chart_image import chart_data_uri
from app.reports.content import STATUS_RULE, Report
from app.results.trend_chart import FORECAST_RULE
from app.templating import templates

PRINT_CSS = Path(__file__).with_name("print.css")


def print_html(report: Report, template: str = "reports/print.html", **extra: Any) -> str:
    """The standalone HTML of the print view (no site header, no scripts)."""
    return templates.env.get_template(template).render(
        report=report, status_rule=STATUS_RULE, forecast_rule=FORECAST_RULE, **extra
    )


# On paper the curve shows every meting; the table below it lists the most recent ones.
PAPER_MEASUREMENTS = 8


def report_pdf(report: Report) -> bytes:
    # Each curve is a picture whose alternative text is its description (the SVG's <desc>):
    # of an inline SVG WeasyPrint takes only the <title>.
    html = print_html(report, short_tables=PAPER_MEASUREMENTS, chart_image=chart_data_uri)
    return render_pdf(html, PRINT_CSS)


def summary_pdf(report: Report) -> bytes:
    """The A4 summary of a report of one theme."""
    return render_pdf(print_html(report, "reports/summary_print.html"), PRINT_CSS)
