"""Files that are not target tables get a clear refusal naming them, never a traceback."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

import pytest

from infra.documents.cells import DocumentError
from infra.documents.reading import read_documents
from tests.documents.layout import Layout
from tests.documents.published import NANCHANG_CODE, SOIL_SHEET, forms, soil, xls, xlsx


def _workbook() -> bytes:
    return xlsx([(SOIL_SHEET, forms(soil()))], Layout()).data


def _old_workbook() -> bytes:
    return xls([(SOIL_SHEET, forms(soil()))], Layout()).data


def _sheet_cut_short() -> bytes:
    """A sound ZIP whose worksheet XML stops half-way, as a failed save leaves it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(item, content)
    return out.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _word_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _noise() -> bytes:
    generator = random.Random(7)
    return bytes(generator.randrange(256) for _ in range(2000))


FILES: dict[str, Callable[[], bytes]] = {
    "truncated.xlsx": lambda: _workbook()[: len(_workbook()) // 2],
    "corrupt.xlsx": lambda: b"PK\x03\x04" + _noise()[:500],
    "cut-sheet.xlsx": _sheet_cut_short,
    "truncated.xls": lambda: _old_workbook()[: len(_old_workbook()) // 2],
    "empty.xlsx": lambda: b"",
    "blank.txt": lambda: b" \r\n\r\n",
    "scan.pdf": lambda: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
    "photo.png": _png,
    "report.docx": _word_document,
    "noise.bin": _noise,
    "minutes.txt": lambda: "会议纪要\n讨论了年度预算安排。\n".encode("gbk"),
    "notice.html": lambda: "<html><body><p>通知</p></body></html>".encode(),
}


@pytest.mark.parametrize("name", FILES)
def test_file_that_is_no_table_is_refused_by_name(name: str) -> None:
    with pytest.raises(DocumentError) as refused:
        read_documents(FILES[name](), name, NANCHANG_CODE)

    assert str(refused.value).startswith(name)
