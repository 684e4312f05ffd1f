"""Fuzzing the readers: whatever arrives, the answer is tables or a DocumentError, never a crash.

Files are damaged byte by byte, and grids of random cells (merges, blank rows, hostile text)
are written as workbooks and pages; documents that do read must be well formed.
"""

from __future__ import annotations

import html
import io
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from domain.document import TableDocument
from infra.documents.cells import DocumentError
from infra.documents.reading import read_documents
from tests.conftest import NANCHANG

SEED_TEXT = NANCHANG.read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Cells that steer the reader: labels of both forms, values, and hostile text.
WORDS = st.sampled_from(
    [
        "项目名称",
        "主管部门",
        "实施单位",
        "项目属性",
        "项目类型",
        "当年项目",
        "项目日期范围",
        "项目资金(万元)",
        "年度资金总额",
        "其中:财政拨款",
        "其他资金",
        "收入",
        "支出",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "半年(程)指标值",
        "全年(程)指标值",
        "指标解释",
        "指标值设定依据",
        "产出指标",
        "数量指标",
        "成本指标",
        "满意度",
        "效益指标",
        "计划标准",
        "(2026年度)",
        "项目支出绩效目标表",
        "注:若为空表",
        "≥95%",
        "=100%",
        "12.50",
        "2026年2月30日",
        "-",
        "[/red]",
        "=cmd|' /C calc'!A0",
        "<script>x</script>",
        "\u202e",
        "\x00",
        "\x1b[31m",
    ]
)
CELL = st.one_of(
    WORDS, st.text(max_size=12), st.integers(-(10**20), 10**20), st.floats(allow_nan=False)
)
ROWS = st.lists(st.lists(st.one_of(st.none(), CELL), max_size=6), max_size=40)


def _read(data: bytes, name: str) -> list[TableDocument] | DocumentError:
    try:
        return read_documents(data, name, "360100", 2026)
    except DocumentError as error:
        return error


def _well_formed(found: list[TableDocument] | DocumentError, name: str) -> None:
    """Read tables have a name and indicators; a refusal names the file on every line."""
    if isinstance(found, DocumentError):
        lines = str(found).splitlines()
        assert lines
        assert all(line.startswith(name) for line in lines), str(found)
        return
    for document in found:
        assert document.project.name
        assert document.indicators


@FUZZ
@given(st.binary(max_size=2_000))
def test_random_bytes_read_or_refuse(data: bytes) -> None:
    _well_formed(_read(data, "random.bin"), "random.bin")


def _seed_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in SEED_TEXT.splitlines()[:30]:
        sheet.append(line.split("\t"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Made once: a workbook's bytes carry the time it was saved.
SEED_WORKBOOK = _seed_workbook()


@FUZZ
@given(st.randoms(use_true_random=False), st.integers(1, 40))
def test_a_damaged_workbook_reads_or_refuses(chance: random.Random, damage: int) -> None:
    data = bytearray(SEED_WORKBOOK)
    for _ in range(damage):
        data[chance.randrange(len(data))] = chance.randrange(256)
    _well_formed(_read(bytes(data), "damaged.xlsx"), "damaged.xlsx")


@FUZZ
@given(ROWS, st.lists(st.tuples(st.integers(1, 40), st.integers(1, 6)), max_size=6))
@example(rows=[["注:若为空表", "项目名称"]], merges=[])  # a note naming 项目名称 crashed the reader
def test_random_grids_in_a_workbook_read_or_refuse(
    rows: list[list[object]], merges: list[tuple[int, int]]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([_cell_value(cell) for cell in row])
    for first, column in merges:
        sheet.merge_cells(
            start_row=first, start_column=column, end_row=first + 2, end_column=column
        )
    buffer = io.BytesIO()
    book.save(buffer)
    _well_formed(_read(buffer.getvalue(), "grid.xlsx"), "grid.xlsx")


@FUZZ
@given(ROWS, st.integers(0, 3), st.integers(0, 3))
def test_random_tables_in_a_page_read_or_refuse(
    rows: list[list[object]], rowspan: int, colspan: int
) -> None:
    cells = [
        "".join(
            f'<td rowspan="{rowspan}" colspan="{colspan}">{html.escape(str(cell))}</td>'
            if index == 0
            else f"<td>{html.escape(str(cell or ''))}<br>&nbsp;</td>"
            for index, cell in enumerate(row)
        )
        for row in rows
    ]
    page = (
        "<html><body><h2>项目支出绩效目标表</h2><table>"
        + "".join(f"<tr>{row}</tr>" for row in cells)
        + "</table></body></html>"
    )
    _well_formed(_read(page.encode("utf-8"), "page.html"), "page.html")


@FUZZ
@given(st.lists(st.integers(0, len(SEED_TEXT) - 1), max_size=8), st.text(max_size=4))
def test_damaged_text_in_gbk_reads_or_refuses(places: list[int], inserted: str) -> None:
    text = SEED_TEXT
    for place in sorted(places, reverse=True):
        text = text[:place] + inserted + text[place + 1 :]
    data = text.encode("gb18030", errors="replace")
    _well_formed(_read(data, "damaged.txt"), "damaged.txt")


def _cell_value(cell: object) -> object:
    """What openpyxl may hold: no control characters it refuses to write."""
    if isinstance(cell, str):
        return "".join(char for char in cell if char >= " " or char in "\t\n")
    return cell
