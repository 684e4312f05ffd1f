"""Monitoring rounds and self-evaluations as Excel workbooks in the Ministry of Finance's layouts.

Both forms are written by ``workbook.write_form`` (title and period merged above the grid,
widths, bold shaded headings, borders, A4 landscape; amounts as numbers shown with the
decimals they were written with; every text cell text, so that ``=…`` is never a formula;
control characters replaced), one sheet each, and read back through ``xlsx.xlsx_sheets``
(streamed, merged cells known, numbers as their format shows them). Problems name the file,
sheet and cell.

The layouts, and what each form writes and reads, are described in ``monitoring`` and
``evaluation``; how a filled-in sheet is found and its rows matched, in ``reader``.
"""

from __future__ import annotations

from infra.documents.report_sheets.common import TICK
from infra.documents.report_sheets.evaluation import (
    BAND_LABELS,
    EVALUATION_TITLE,
    evaluation_workbook,
)
from infra.documents.report_sheets.evaluation_reading import read_evaluation_workbook
from infra.documents.report_sheets.monitoring import (
    CAUSE_LABELS,
    LIKELIHOOD_LABELS,
    MONITORING_TITLE,
    monitoring_workbook,
    read_monitoring_workbook,
)

__all__ = [
    "BAND_LABELS",
    "CAUSE_LABELS",
    "EVALUATION_TITLE",
    "LIKELIHOOD_LABELS",
    "MONITORING_TITLE",
    "TICK",
    "evaluation_workbook",
    "monitoring_workbook",
    "read_evaluation_workbook",
    "read_monitoring_workbook",
]
