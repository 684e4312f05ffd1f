"""A line break inside a cell is layout in one-line fields and content in multi-line ones.

Clerks wrap long names and values inside their cells (Alt+Enter in Excel, ``<br>`` on a page).
The domain refuses line breaks in one-line fields, so the reader folds them; goals keep theirs.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from infra.documents.folding import fold_line
from infra.documents.reading import read_documents
from infra.documents.workbook import workbook_bytes
from tests.conftest import NANCHANG, seed_documents


def wrapped(cell: str) -> str:
    middle = len(cell) // 2
    return f"{cell[:middle]}\n{cell[middle:]}"


def test_wrapped_names_and_values_fold_and_goals_keep_their_lines() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    book = load_workbook(BytesIO(workbook_bytes([document])))
    sheet = book.worksheets[0]
    name, value = document.project.name, document.indicators[0].full_year.raw
    annual = document.goals.annual
    assert annual is not None
    changed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value in (name, value, document.indicators[0].name):
                cell.value = wrapped(str(cell.value))
                changed += 1
            elif cell.value == annual:
                cell.value = annual + "\n二、第二段目标"
                changed += 1
    assert changed >= 4
    saved = BytesIO()
    book.save(saved)

    [read] = read_documents(saved.getvalue(), "wrapped.xlsx", "360100")

    assert read.project.name == name
    assert read.id == document.id  # the identity is the project's, as if it never wrapped
    assert read.indicators[0].name == document.indicators[0].name
    assert read.indicators[0].full_year == document.indicators[0].full_year
    assert read.goals.annual == annual + "\n二、第二段目标"


def test_a_break_joins_chinese_directly_and_other_words_with_a_space() -> None:
    assert fold_line("生态环境\n监控专项") == "生态环境监控专项"
    assert fold_line("Smart\r\nCity 平台") == "Smart City 平台"
    assert fold_line("≥95\n%") == "≥95%"
    assert fold_line("智慧\n  City") == "智慧City"
    assert fold_line("第1\n2项") == "第12项"
    assert fold_line("一行") == "一行"
