"""The report as PDF: the print view's HTML laid out by WeasyPrint on A4 pages."""

from pathlib import Path
from typing import Any

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


def render_pdf(html: str) -> bytes:
    # WeasyPrint takes about a second to import: load it only when a PDF is asked for.
    from weasyprint import CSS, HTML

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])  # type: ignore[return-value]


def report_pdf(report: Report) -> bytes:
    return render_pdf(print_html(report, short_tables=PAPER_MEASUREMENTS))
