"""Exported workbooks and pages import back as the documents they came from; hostile text stays
inert text in both."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from domain.document import TableDocument
from domain.model import BasisKind, EmptyCategory, Status, ValueBasis
from domain.values import parse_value
from infra.documents.printable import printable_html
from infra.documents.reading import read_documents
from infra.documents.workbook import workbook_bytes
from tests.conftest import JIANGSU, NANCHANG, seed_documents
from tests.support.documents import as_written, comparable

SEEDS = [(JIANGSU, "320000"), (NANCHANG, "360100")]
FORMULA = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert('x')</script>"


def read_back(documents: list[TableDocument], data: bytes, source: str) -> list[TableDocument]:
    return [comparable(item) for item in read_documents(data, source, documents[0].jurisdiction)]


@pytest.mark.parametrize(("path", "code"), SEEDS)
def test_every_seed_table_comes_back_from_its_workbook(path: Path, code: str) -> None:
    documents = seed_documents(path, code)
    stored = [dataclasses.replace(item, status=Status.APPROVED, version=7) for item in documents]
    back = read_back(documents, workbook_bytes(stored), "x.xlsx")
    assert back == [comparable(item) for item in documents]


def page_bytes(documents: list[TableDocument]) -> bytes:
    return printable_html(documents).encode("utf-8")


@pytest.mark.parametrize(("path", "code"), SEEDS)
@pytest.mark.parametrize(("export", "source"), [(workbook_bytes, "x.xlsx"), (page_bytes, "x.html")])
def test_amounts_come_back_from_an_export_exactly_as_written(
    path: Path, code: str, export: Callable[[list[TableDocument]], bytes], source: str
) -> None:
    documents = seed_documents(path, code)
    # The last has more digits than a spreadsheet number holds (15), within the amounts rule.
    amounts = [Decimal("249"), Decimal("36.20"), Decimal("0.125"), Decimal("123456789012.345678")]
    first = dataclasses.replace(
        documents[0],
        funds=dataclasses.replace(documents[0].funds, total=amounts[0]),
        expenditures=tuple(
            dataclasses.replace(line, half_year=amount, full_year=amount)
            for line, amount in zip(documents[0].expenditures, amounts, strict=False)
        ),
    )
    sources = dict(zip(first.funds.sources, amounts, strict=False))
    written = [dataclasses.replace(first, funds=dataclasses.replace(first.funds, sources=sources))]
    back = read_documents(export([*written, *documents[1:]]), source, code)
    assert [as_written(item) for item in back] == [
        as_written(item) for item in [*written, *documents[1:]]
    ]


@pytest.mark.parametrize(("path", "code"), SEEDS)
def test_every_seed_table_comes_back_from_its_printable_page(path: Path, code: str) -> None:
    documents = seed_documents(path, code)
    back = read_back(documents, printable_html(documents).encode("utf-8"), "x.html")
    assert back == [comparable(item) for item in documents]


def test_the_page_puts_each_table_on_its_own_landscape_a4_page() -> None:
    page = printable_html(seed_documents(JIANGSU, "320000"))
    assert "@page { size: A4 landscape" in page
    assert page.count('<section class="sheet"') == 4
    assert page.count("<h1>江苏省省级项目预算绩效目标表</h1>") == 4
    assert page.count('<p class="year">2026年度</p>') == 4
    assert "break-after: page" in page
    # 宋体 where the PC has it, a Chinese sans of this machine before any generic family.
    assert 'font-family: "SimSun", "宋体", "FangSong", "仿宋",' in page
    assert '"WenQuanYi Micro Hei", sans-serif;' in page
    for outside in ("<link", "<script", "http"):
        assert outside not in page
    assert '<td class="category" rowspan="6">决策</td>' in page
    assert '<td class="amount">249</td>' in page


def hostile(document: TableDocument) -> TableDocument:
    """The document with a formula, markup and control characters wherever text is written."""
    first, *rest = document.indicators
    project = dataclasses.replace(document.project, name=f"{SCRIPT}项目", implementing_unit=FORMULA)
    goals = dataclasses.replace(document.goals, annual="第一\x07段\n第二段 & <b>粗</b>")
    indicator = dataclasses.replace(
        first, name=f"{FORMULA} 指标", full_year=parse_value(FORMULA), half_year=None
    )
    return dataclasses.replace(
        document, project=project, goals=goals, indicators=(indicator, *rest)
    )


def test_hostile_text_stays_text_in_the_workbook() -> None:
    document = hostile(seed_documents(NANCHANG, "360100")[0])
    data = workbook_bytes([document])
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    assert sheet.title == "<script>alert('x')<_script>项目"
    unit, value = sheet["D4"], sheet["D11"]
    assert (unit.value, unit.data_type, value.value, value.data_type) == (
        FORMULA,
        "s",
        FORMULA,
        "s",
    )
    assert sheet["B9"].value == "第一\ufffd段\n第二段 & <b>粗</b>"
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())
    (back,) = read_documents(data, "x.xlsx", "360100")
    assert back.project.implementing_unit == FORMULA
    assert back.indicators[0].full_year.raw == FORMULA
    assert back.project.name == document.project.name


def test_hostile_text_is_escaped_on_the_page() -> None:
    document = hostile(seed_documents(NANCHANG, "360100")[0])
    page = printable_html([document])
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;项目" in page
    assert "第一\ufffd段<br>第二段 &amp; &lt;b&gt;粗&lt;/b&gt;" in page
    assert "\x07" not in page
    (back,) = read_documents(page.encode("utf-8"), "x.html", "360100")
    assert back.project.name == document.project.name
    assert back.goals.annual == "第一\ufffd段\n第二段 & <b>粗</b>"
    assert back.indicators[0].name == f"{FORMULA} 指标"


def test_an_empty_category_whose_level1_has_no_indicator_comes_back_in_its_place() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    kept = tuple(item for item in document.indicators if item.level1_code != "benefit")
    empty = EmptyCategory("效益指标", "benefit", "社会效益指标", "social_benefit")
    changed = dataclasses.replace(document, indicators=kept, empty_categories=(empty,))
    page = printable_html([changed])
    assert page.index("时效指标") < page.index("社会效益指标") < page.index("服务对象满意度")
    for data, source in ((workbook_bytes([changed]), "x.xlsx"), (page.encode(), "x.html")):
        assert read_back([changed], data, source) == [comparable(changed)]


def test_explanations_and_bases_come_back_from_both_formats() -> None:
    document = seed_documents(JIANGSU, "320000")[1]
    first, second, *rest = document.indicators
    explained = (
        dataclasses.replace(
            first, explanation="反映立项依据是否充分", basis=ValueBasis(BasisKind.PLAN)
        ),
        dataclasses.replace(second, basis=ValueBasis(BasisKind.HISTORY, "2025年实际完成值")),
        *rest,
    )
    changed = dataclasses.replace(document, indicators=explained)
    for data, source in (
        (workbook_bytes([changed]), "x.xlsx"),
        (printable_html([changed]).encode(), "x.html"),
    ):
        assert read_back([changed], data, source) == [comparable(changed)]
