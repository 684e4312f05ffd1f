"""Table documents as files people open: the official-layout workbook, a printable page, JSON.

One place names the formats, their media types and file names, for the CLI, the API and the
workbench alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.document import TableDocument
from domain.model import Form
from infra.documents.printable import printable_html
from infra.documents.template import template_bytes
from infra.documents.workbook import workbook_bytes
from projections.documents import dump_document, dump_documents

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json"


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    HTML = "html"
    JSON = "json"


@dataclass(frozen=True)
class Exported:
    body: bytes
    media_type: str
    name: str = ""


def export_bytes(documents: Sequence[TableDocument], format: ExportFormat) -> Exported:
    if format is ExportFormat.XLSX:
        return Exported(workbook_bytes(documents), XLSX_TYPE)
    if format is ExportFormat.HTML:
        return Exported(printable_html(documents).encode("utf-8"), HTML_TYPE)
    text = dump_document(documents[0]) if len(documents) == 1 else dump_documents(list(documents))
    return Exported(text.encode("utf-8"), JSON_TYPE)


def template_file(form: str, fiscal_year: int | None = None) -> Exported | None:
    """The blank workbook of the form named ``provincial`` or ``municipal``; None for others.

    Its year line names ``fiscal_year``; without one it is left for the bureau to fill in.
    """
    if form not in {item.value for item in Form}:
        return None
    found = Form(form)
    body = template_bytes(found, fiscal_year)
    return Exported(body, XLSX_TYPE, f"绩效目标表模板-{found.value}.xlsx")
