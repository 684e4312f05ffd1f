"""Seed text in the encodings and line ends offices save it in: told from content only."""

from __future__ import annotations

import pytest

from domain.document import TableDocument
from infra.documents.reading import read_documents
from tests.conftest import JIANGSU, NANCHANG
from tests.documents.published import (
    JIANGSU_CODE,
    NANCHANG_CODE,
    SOIL_TEXT,
    jiangsu,
    nanchang,
    soil,
)

ENCODINGS = [
    pytest.param("gbk", "\r\n", id="gbk-crlf"),
    pytest.param("gb18030", "\r\n", id="gb18030-crlf"),
    pytest.param("utf-8-sig", "\n", id="utf8-bom-lf"),
    pytest.param("utf-8-sig", "\r\n", id="utf8-bom-crlf"),
    pytest.param("utf-16", "\r\n", id="utf16-bom-crlf"),  # as Notepad saves "Unicode"
    pytest.param("utf-16-le", "\n", id="utf16le-no-bom-lf"),
    pytest.param("utf-16-be", "\r\n", id="utf16be-no-bom-crlf"),
]


def _seed(name: str) -> tuple[str, str, tuple[TableDocument, ...]]:
    if name == "jiangsu":
        return JIANGSU.read_text(encoding="utf-8"), JIANGSU_CODE, jiangsu()
    return NANCHANG.read_text(encoding="utf-8"), NANCHANG_CODE, nanchang()


@pytest.mark.parametrize("seed", ["jiangsu", "nanchang"])
@pytest.mark.parametrize(("encoding", "newline"), ENCODINGS)
def test_seed_text_in_any_office_encoding_reads_as_the_seed(
    seed: str, encoding: str, newline: str
) -> None:
    text, jurisdiction, expected = _seed(seed)
    data = text.replace("\n", newline).encode(encoding)

    assert read_documents(data, "upload.bin", jurisdiction) == list(expected)


def test_gb18030_text_with_characters_gbk_lacks() -> None:
    data = SOIL_TEXT.replace("\n", "\r\n").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")

    [table] = read_documents(data, "soil.txt", NANCHANG_CODE)

    assert table == soil()[0]
    assert "䶮山、𠮷岭" in (table.goals.annual or "")
