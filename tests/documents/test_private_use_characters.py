"""A user-defined character is content: a rare character in a name survives every reader.

GB18030 maps its user-defined area to Unicode's Private Use Area; offices type rare
characters of people's and places' names there (0xAAA1 is U+E000, the first of them).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.document import TableDocument
from infra.documents.reading import read_documents, read_text_document
from tests.documents.layout import Layout
from tests.documents.pages import Page
from tests.documents.published import NANCHANG_CODE, SOIL_TEXT, forms, page, xls, xlsx

RARE = "\ue000"  # GB18030 0xAAA1
NAME = f"{RARE}山土壤污染状况监测项目"
GOAL = f"完成{RARE}山片区土壤监测,{RARE}岭片区随后。"


def _named() -> tuple[str, TableDocument]:
    text = SOIL_TEXT.replace("土壤污染状况监测项目", NAME, 1)
    text = text.replace("完成全市重点地块", f"{GOAL}完成全市重点地块", 1)
    [document] = read_text_document(text, "soil.txt", NANCHANG_CODE)
    return text, document


def _page(encoding: str) -> Callable[[TableDocument, str], bytes]:
    return lambda document, _: page(
        forms([document]), Layout(), Page(encoding=encoding, meta_charset=encoding)
    )


WRITERS: dict[str, Callable[[TableDocument, str], bytes]] = {
    "page in GB18030": _page("gb18030"),
    "page in UTF-8": _page("utf-8"),
    "xlsx": lambda document, _: xlsx([("土壤", forms([document]))], Layout()).data,
    "xls": lambda document, _: xls([("土壤", forms([document]))], Layout()).data,
    "text in GB18030": lambda _, text: text.replace("\n", "\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("container", WRITERS)
def test_a_name_with_a_user_defined_character_reads_as_written(container: str) -> None:
    text, expected = _named()
    assert expected.project.name == NAME
    data = WRITERS[container](expected, text)

    [table] = read_documents(data, "soil.bin", NANCHANG_CODE)

    assert table.project.name == NAME
    assert GOAL in (table.goals.annual or "")
    assert table == expected


def test_the_page_carries_the_character_as_gb18030_writes_it() -> None:
    _, expected = _named()

    data = _page("gb18030")(expected, "")

    assert b"\xaa\xa1" in data
