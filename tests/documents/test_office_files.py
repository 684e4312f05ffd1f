"""Workbooks LibreOffice saved read as what their cells show: a literal formula (``=50%``) as
typed, a percent format as a percentage, an error value (#DIV/0!) named with its cell.

The files under tests/fixtures/office/libreoffice were written by LibreOffice 7.4 with
tests/fixtures/office/regenerate.sh; one test saves an export through LibreOffice live.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.documents.cells import DocumentError
from infra.documents.reading import read_documents
from infra.documents.workbook import workbook_bytes
from tests.conftest import JIANGSU, NANCHANG, seed_documents
from tests.support.documents import as_written
from tests.support.office import OFFICE_FIXTURES, convert, pdf_fonts, pdf_pages

SAVED = OFFICE_FIXTURES / "libreoffice"
EXAMPLES = [("jiangsu-320000-provincial", "320000"), ("nanchang-360100-municipal", "360100")]


def read(path: Path, jurisdiction: str) -> list[str]:
    return [as_written(item) for item in read_documents(path.read_bytes(), path.name, jurisdiction)]


def values(path: Path, jurisdiction: str) -> list[str]:
    tables = read_documents(path.read_bytes(), path.name, jurisdiction)
    return [
        value.raw
        for table in tables
        for item in table.indicators
        for value in (item.half_year, item.full_year)
        if value is not None
    ]


@pytest.mark.parametrize("extension", ["xls", "xlsx"])
@pytest.mark.parametrize(("name", "code"), EXAMPLES)
def test_an_example_saved_by_libreoffice_reads_as_the_example(
    name: str, code: str, extension: str
) -> None:
    saved = SAVED / f"{name}.{extension}"
    assert read(saved, code) == read(OFFICE_FIXTURES / f"{name}.xlsx", code)


def test_targets_typed_as_formulas_keep_their_operator_and_unit_in_a_libreoffice_xls() -> None:
    found = values(SAVED / "jiangsu-320000-provincial.xls", "320000")
    assert found.count("=50%") == 4
    assert found.count("=100%") == 12
    assert not {"0.5", "1"} & set(found)
    nanchang = values(SAVED / "nanchang-360100-municipal.xls", "360100")
    assert {"=1次", "=1项", "=12份", "=4次"} <= set(nanchang)


@pytest.mark.parametrize("extension", ["xls", "xlsx"])
def test_a_cell_holding_an_error_value_is_named_with_its_error(extension: str) -> None:
    saved = SAVED / f"error-values.{extension}"
    with pytest.raises(DocumentError) as refused:
        read_documents(saved.read_bytes(), saved.name, "360100")
    assert refused.value.located() == [
        f"error-values.{extension}!项目支出绩效目标表!D16: "
        "单元格为错误值 #DIV/0!（公式无法得出结果），请直接填写内容（如 ≥1次、100%）",
        f"error-values.{extension}!项目支出绩效目标表!D17: "
        "单元格为错误值 #N/A（公式无法得出结果），请直接填写内容（如 ≥1次、100%）",
    ]


@pytest.mark.parametrize("extension", ["xls", "xlsx"])
def test_a_number_under_a_percent_format_reads_as_a_percentage(extension: str) -> None:
    found = values(SAVED / f"percent-values.{extension}", "360100")
    typed = values(OFFICE_FIXTURES / "nanchang-360100-municipal.xlsx", "360100")
    assert found.count("100%") == typed.count("=100%") > 0


def test_an_export_saved_by_libreoffice_comes_back_as_exported(tmp_path: Path) -> None:
    tables = {
        "jiangsu": seed_documents(JIANGSU, "320000"),
        "nanchang": seed_documents(NANCHANG, "360100"),
    }
    for name, documents in tables.items():
        (tmp_path / f"{name}.xlsx").write_bytes(workbook_bytes(documents))
    exported = sorted(tmp_path.glob("*.xlsx"))
    for target in ("xls", "xlsx:Calc MS Excel 2007 XML"):
        for saved in convert(exported, target, tmp_path / target[:4]):
            documents = tables[saved.stem]
            code = documents[0].jurisdiction
            assert read(saved, code) == [as_written(item) for item in documents], saved.name


def test_an_export_prints_in_one_family_of_fonts_with_its_header_on_every_page(
    tmp_path: Path,
) -> None:
    documents = seed_documents(JIANGSU, "320000")
    exported = tmp_path / "jiangsu.xlsx"
    exported.write_bytes(workbook_bytes(documents))
    (pdf,) = convert([exported], "pdf", tmp_path)
    fonts = pdf_fonts(pdf)
    assert fonts
    assert not [name for name in fonts if "Serif" in name], fonts  # digits no longer serif
    pages = pdf_pages(pdf)
    assert len(pages) > len(documents)
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == "江苏省省级项目预算绩效目标表", number  # the page header
        assert lines[-1] == f"第 {number} 页，共 {len(pages)} 页"
    # A table's pages after the one its indicator header first shows on start with it.
    header_seen, repeated = False, 0
    for text in pages:
        first = [line.split() for line in text.splitlines() if line.strip()][1]
        if "项目名称" in text:
            header_seen = False
        elif header_seen:
            assert first[:3] == ["一级指标", "二级指标", "三级指标"], first
            repeated += 1
        header_seen = header_seen or "一级指标" in text
    assert repeated > 0
