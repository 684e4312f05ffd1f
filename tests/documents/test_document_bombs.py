"""Small files built to exhaust a node are refused at once, naming the file and the place.

Each file (``tests.support.bombs``) once cost minutes of CPU or gigabytes of memory; now
reading it stops within a second and ~50 MB of Python allocations, measured here.
"""

from __future__ import annotations

import pytest

from infra.documents.cells import DocumentError
from infra.documents.jsondoc import MAX_DEPTH
from infra.documents.reading import read_documents
from infra.documents.webpage import MAX_PAGE_ELEMENTS
from tests.documents.published import NANCHANG_CODE
from tests.support.bombs import BOMBS, PEAK_BYTES, SECONDS, dense_sheet, measured


@pytest.mark.parametrize("name", BOMBS)
def test_a_small_file_that_would_exhaust_a_node_is_refused_quickly_naming_it(name: str) -> None:
    data = BOMBS[name]()

    refused, cost = measured(lambda: read_documents(data, name, NANCHANG_CODE))

    assert isinstance(refused, DocumentError), refused
    assert str(refused).startswith(name)
    assert cost.seconds < SECONDS, cost
    assert cost.peak_bytes < PEAK_BYTES, cost


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("merged.xlsx", "merged.xlsx!Sheet!A1: ", "合并单元格 A1:XFD1048576 超出"),
        ("merged-declared.xlsx", "merged-declared.xlsx!Sheet!A1: ", "工作表的单元格"),
        ("many-merges.xlsx", "many-merges.xlsx!Sheet!A1: ", "工作表的单元格"),
        ("merged.xls", "merged.xls!Sheet1!A1: ", "工作表的单元格"),
        ("strings.xlsx", "strings.xlsx: ", "xl/sharedStrings.xml 解压后有 160 MB"),
        ("parts.xlsx", "parts.xlsx: ", "部件清单有 17 MB"),
        ("tall-spans.html", "tall-spans.html!表格1!第", "表格的单元格"),
        ("wide-tables.html", "wide-tables.html!表格6!第1行: ", "网页的单元格"),
        ("elements.html", "elements.html: ", f"HTML 元素超过 {MAX_PAGE_ELEMENTS} 个"),
        ("brackets.json", "brackets.json: ", f"嵌套超过 {MAX_DEPTH} 层"),
    ],
)
def test_the_refusal_names_the_sheet_and_cell_where_the_budget_ran_out(
    name: str, where: str, words: str
) -> None:
    with pytest.raises(DocumentError) as refused:
        read_documents(BOMBS[name](), name, NANCHANG_CODE)

    [problem] = refused.value.located()
    assert problem.startswith(where), problem
    assert words in problem


def test_a_page_declaring_a_codec_no_document_is_written_in_is_read_by_its_content() -> None:
    with pytest.raises(DocumentError) as refused:
        read_documents(BOMBS["bad-punycode.html"](), "declared.html", NANCHANG_CODE)

    # Read as the UTF-8 it is: the form's cells are found, and what the form lacks is named.
    assert "缺少主管部门，或主管部门为空" in str(refused.value)


def test_a_deep_but_real_json_document_list_still_reads() -> None:
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH

    with pytest.raises(DocumentError) as refused:
        read_documents(nested.encode(), "deep.json", NANCHANG_CODE)

    assert "嵌套" not in str(refused.value)


def test_a_sheet_of_more_cells_than_a_form_has_stops_being_read_at_the_budget() -> None:
    data = dense_sheet()  # 400,000 cells; reading stops past 200,000, in row 1,001

    with pytest.raises(DocumentError) as refused:
        read_documents(data, "dense.xlsx", NANCHANG_CODE)

    [problem] = refused.value.located()
    assert problem.startswith("dense.xlsx!Sheet!GR1001: "), problem
    assert "工作表的单元格" in problem
