"""The files a report is exported as: declared once, for the export links, the downloads and the
published versions (app/publications)."""

from collections.abc import Callable
from dataclasses import dataclass

from app.errors import NotFound
from app.reports.content import Report
from app.reports.pdf import report_pdf


# python-docx and openpyxl load when a file is made (as WeasyPrint does, app/pdf.py): every
# app process, a server's workers and each test server alike, starts half a second sooner.
def report_docx(report: Report) -> bytes:
    from app.reports.word import report_docx

    return report_docx(report)


def report_xlsx(report: Report) -> bytes:
    from app.reports.spreadsheet import report_xlsx

    return report_xlsx(report)


@dataclass(frozen=True)
class ExportFormat:
    key: str  # the file extension, also the last part of the export's address
    label: str
    media_type: str
    make: Callable[[Report], bytes]


FORMATS = {
    f.key: f
    for f in (
        ExportFormat("pdf", "PDF", "application/pdf", report_pdf),
        ExportFormat(
            "docx",
            "Word-bestand",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            report_docx,
        ),
        ExportFormat(
            "xlsx",
            "Excel-bestand",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            report_xlsx,
        ),
    )
}


def export_format(key: str) -> ExportFormat:
    if key not in FORMATS:
        raise NotFound("Dit bestandsformaat bestaat niet.")
    return FORMATS[key]
