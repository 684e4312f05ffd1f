"""Audit reports an auditor can file: HTML for a browser, XLSX for a spreadsheet.

Both are made as bytes (the workbench serves them as downloads) and written to files by the CLI.
Everything people typed stays text: escaped in HTML, never a formula in XLSX, and its
invisible, control and bidi characters shown as ``⟨U+202E⟩`` in both.
"""

from __future__ import annotations

import html
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from domain import vocabulary
from domain.moments import beijing_time
from domain.text import visible
from service_layer.story import Line, Story

HEADINGS = ("版本", "时间", "操作人", "角色", "行政区划", "操作", "变更内容", "原因")
HTML_TYPE = "text/html; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def beijing(at: str) -> str:
    """A stored time as people in China read it: ``2026-11-22 14:41:44`` (the report says
    北京时间 once, in its facts)."""
    return beijing_time(at)


def facts(story: Story) -> list[tuple[str, str]]:
    table = story.table
    project = table.content.project
    verdict = (
        "完整：哈希链与登记记录一致"
        if story.chain_break is None
        else f"已被篡改：{story.chain_break.problem}"
    )
    return [
        ("项目名称", visible(project.name)),
        ("主管部门", visible(project.department)),
        ("表格编号", str(table.id)),
        ("行政区划", table.jurisdiction),
        ("年度", str(table.fiscal_year)),
        ("当前状态", vocabulary.STATUS_LABELS.get(table.status.value, table.status.value)),
        ("当前版本", str(table.version)),
        ("哈希链", verdict),
        ("链头", story.chain_head or "—"),
        ("时间", "北京时间（UTC+8）"),
    ]


def html_text(story: Story) -> str:
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in _html_cells(line)) + "</tr>"
        for line in story.lines
    )
    summary = "\n".join(
        f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>"
        for key, value in facts(story)
    )
    title = html.escape(f"绩效目标表变更记录 — {story.table.content.project.name}")
    head = "".join(f"<th>{html.escape(item)}</th>" for item in HEADINGS)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ border: 1px solid #999; padding: 4px 8px; vertical-align: top; text-align: left; }}
th {{ background: #eee; }}
</style></head>
<body>
<h1>{title}</h1>
<table>{summary}</table>
<h2>变更记录（共 {len(story.lines)} 条）</h2>
<table><thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def write_html(story: Story, path: Path) -> None:
    path.write_text(html_text(story), encoding="utf-8")


def _html_cells(line: Line) -> list[str]:
    """The cells of one history row, escaped; changes are one per line."""
    plain = (
        str(line.version),
        beijing(line.at),
        line.actor,
        line.role,
        line.jurisdiction,
        line.action,
    )
    changes = "<br>".join(html.escape(item) for item in line.changes)
    return [*(html.escape(cell) for cell in plain), changes, html.escape(line.reason or "")]


def xlsx_bytes(story: Story) -> bytes:
    book = Workbook()
    summary = book.worksheets[0]
    summary.title = "概况"
    for key, value in facts(story):
        _append(summary, [key, value])
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 80
    history = book.create_sheet("变更记录")
    history.append(list(HEADINGS))
    for cell in history[1]:
        cell.font = Font(bold=True)
    for line in story.lines:
        _append(
            history,
            [
                line.version,
                beijing(line.at),
                line.actor,
                line.role,
                line.jurisdiction,
                line.action,
                "\n".join(line.changes),
                line.reason or "",
            ],
        )
    for column, width in zip("ABCDEFGH", (6, 20, 14, 10, 10, 14, 80, 30), strict=True):
        history.column_dimensions[column].width = width
    for row in history.iter_rows(min_row=2):
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(story: Story, path: Path) -> None:
    path.write_bytes(xlsx_bytes(story))


def _append(sheet: Worksheet, values: list[str | int]) -> None:
    """One row whose text cells stay text: ``=cmd|…`` typed as a reason is never a formula.

    Control characters are shown (``⟨U+001B⟩``): the report shows what was stored, and Excel
    files cannot hold them at all."""
    sheet.append([visible(value) if isinstance(value, str) else value for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell, Cell) and isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
