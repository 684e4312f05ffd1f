"""A refused document's problems are written in Chinese, the way a clerk reads them: the
place the readers put first, then a sentence from the vocabulary (issue 25, point 17)."""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO

import pytest

from infra.documents.cells import DocumentError
from infra.documents.reading import read_documents, read_text_document
from projections.documents import dump_document
from tests.conftest import NANCHANG, seed_documents
from tests.documents.layout import Layout
from tests.documents.published import NANCHANG_CODE, SOIL_SHEET, forms, soil, xlsx

KINDS = "当年项目、上年结转项目、常年安排项目"
# Three or more ASCII words in a row: an English sentence (quoted input is taken out first).
ENGLISH = re.compile(r"[A-Za-z]+(?:[ ,;'()-]+[A-Za-z]+){2,}")
QUOTED = re.compile(r"「[^」]*」")


def problems(data: bytes, source: str) -> list[str]:
    with pytest.raises(DocumentError) as refused:
        read_documents(data, source, NANCHANG_CODE)
    return refused.value.located()


def nanchang_text(original: str, replacement: str) -> bytes:
    text = NANCHANG.read_text(encoding="utf-8")
    assert original in text
    return text.replace(original, replacement, 1).encode()


def test_an_unknown_project_kind_is_named_in_chinese_with_the_kinds_there_are() -> None:
    found = problems(nanchang_text("当年项目", "明年项目"), "n.txt")

    assert found == [f"n.txt:9: 无法识别的项目属性「明年项目」（应为{KINDS}）"]


def test_a_negative_amount_is_named_by_its_label_on_the_form() -> None:
    found = problems(nanchang_text("年度资金总额\t78.00", "年度资金总额\t-78.00"), "n.txt")

    assert found == ["n.txt:7: 资金总额：-78.00 是负数：金额以万元计，不能为负"]


def test_an_indicator_without_its_value_in_a_workbook_is_named_at_its_cell() -> None:
    bad = forms(soil())[0].with_text("indicator.1", "")
    book = xlsx([(SOIL_SHEET, [bad])], Layout())

    found = problems(book.data, "bad.xlsx")

    assert found == [f"bad.xlsx!{SOIL_SHEET}!D13: 指标「土壤监测点位」没有指标值"]


def test_a_damaged_xls_says_so_before_the_library_detail() -> None:
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600

    (found,) = problems(damaged, "损坏.xls")

    prefix = "损坏.xls: 无法打开 .xls 工作簿（文件已损坏或不是 Excel 97–2003 格式）："
    assert found.startswith(prefix)
    assert len(found) > len(prefix)  # xlrd's own words follow, for whoever looks further


def _zip(names: list[str]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def _json(change: str) -> bytes:
    data = json.loads(dump_document(seed_documents(NANCHANG, NANCHANG_CODE)[0]))
    if change == "schema":
        data["schema"] = 2
    elif change == "missing":
        data.pop("indicators")
    elif change == "id":
        data["id"] = "hello"
    elif change == "year":
        data["fiscal_year"] = 3026
    return json.dumps(data).encode()


BAD_FILES = {
    "empty.txt": b"  \n",
    "scan.pdf": b"%PDF-1.7 ...",
    "photo.png": b"\x89PNG\r\n\x1a\n....",
    "letter.docx": _zip(["word/document.xml"]),
    "bundle.zip": _zip(["a.txt"]),
    "odd.txt": bytes(range(128, 256)) * 4,
    "schema.json": _json("schema"),
    "missing.json": _json("missing"),
    "id.json": _json("id"),
    "year.json": _json("year"),
    "untitled.txt": "一些文字\n另一行\n".encode(),
    "kind.txt": nanchang_text("当年项目", "明年项目"),
    "date.txt": nanchang_text("\t2026年12月31日", "\t2026年13月31日"),
    "unlabelled.txt": nanchang_text("年度资金总额\t78.00", "年度资金总额\t78.00\t12"),
    "no-year.txt": nanchang_text("(2026年度)", ""),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_no_problem_of_a_refused_file_is_an_english_sentence(name: str) -> None:
    with pytest.raises(DocumentError) as refused:
        read_documents(BAD_FILES[name], name, NANCHANG_CODE)

    messages = [message for _, message in refused.value.problems]
    assert messages
    for message in messages:
        assert re.search(r"[\u4e00-\u9fff]", message), message
        assert not ENGLISH.search(QUOTED.sub("", message)), message


def test_a_text_form_row_of_the_wrong_shape_is_described_in_chinese() -> None:
    text = nanchang_text("\t\t标气标牌采购费用\t≤18万", "\t\t标气标牌采购费用").decode()
    with pytest.raises(DocumentError) as refused:
        read_text_document(text, "n.txt", NANCHANG_CODE)

    assert [str(error) for error in refused.value.located()] == [
        "n.txt:18: 这一行应有指标名称和指标值，实有 1 个单元格：「标气标牌采购费用」"
    ]
