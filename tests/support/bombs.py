"""Small files built to exhaust a node, as outside testers sent them, and what reading costs.

Each builder makes the file from its description (a page of huge spans, a workbook with one
merge over the whole sheet, a page that declares a codec no document is written in, …).
``measured`` times a call on the monotonic clock and takes the peak of Python's allocations.
"""

from __future__ import annotations

import io
import re
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import xlwt
from openpyxl import Workbook

# What refusing one of these may cost: generous against a loaded 2-core machine, yet far
# below what the files cost before (minutes of CPU, gigabytes of memory).
SECONDS = 1.0
PEAK_BYTES = 50 * 1024**2
_SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_MERGED_CELLS = 0x00E5  # the BIFF8 record listing a sheet's merged ranges


def spanning_page(rows: int = 5, cells: int = 6) -> bytes:
    """A page of ``rowspan="1000" colspan="1000"`` cells: 1.25 KB asking for 30 M places."""
    row = "<tr>" + '<td rowspan="1000" colspan="1000">x</td>' * cells + "</tr>"
    return f"<html><body><table>{row * rows}</table></body></html>".encode()


def wide_tables_page(tables: int = 6, cells: int = 190) -> bytes:
    """A page of tables each within a table's budget, together over the page's."""
    table = "<table><tr>" + '<td colspan="1000">项目名称</td>' * cells + "</tr></table>"
    return (table * tables).encode()


def tall_page(rows: int = 400) -> bytes:
    """A page whose every row has one cell spanning 1,000 columns and as many rows as the
    table has: each span is within a browser's limits, together they are not."""
    row = '<tr><td rowspan="1000" colspan="1000">项目名称</td></tr>'
    return f"<table>{row * rows}</table>".encode()


def many_elements(count: int = 250_000) -> bytes:
    """A page of 250,000 cells (1.25 MB): its tree alone would take 70 MB outside Python."""
    return b"<table><tr>" + b"<td>x" * count


def whole_sheet_merge() -> bytes:
    """A workbook of one cell whose sheet merges A1:XFD1048576 (a few KB)."""
    return _with_merges(_one_cell_workbook(), ["A1:XFD1048576"], dimension=None)


def whole_sheet_merge_declared() -> bytes:
    """The same merge on a sheet that also declares itself that large."""
    return _with_merges(_one_cell_workbook(), ["A1:XFD1048576"], dimension="A1:XFD1048576")


def many_merges(count: int = 300_000) -> bytes:
    """A workbook whose sheet lists 300,000 one-cell merges (1.4 MB): each an object to parse."""
    refs = [f"A{row}:A{row}" for row in range(1, count + 1)]
    return _with_merges(_one_cell_workbook(), refs, dimension=f"A1:A{count}")


def huge_shared_strings(megabytes: int = 160) -> bytes:
    """A workbook whose shared strings unpack to 160 MB (400 KB zipped)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_one_cell_workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", _SHARED_STRINGS_TYPE + b"</Types>")
            target.writestr(item, content, zipfile.ZIP_DEFLATED)
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>a</t></si>" * 61_681  # about 1 MB
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def many_parts(count: int = 400_000) -> bytes:
    """A ZIP whose directory lists one empty part 400,000 times (19 MB): an object each."""
    name = b"a"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0)
    entry = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0, 0
    )
    directory = (entry + name) * count
    start = len(local) + len(name)
    listed = min(count, 0xFFFF)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, listed, listed, len(directory), start, 0)
    return local + name + directory + end


def whole_sheet_merge_xls() -> bytes:
    """An .xls workbook whose sheet merges every cell it may have (A1:IV65536).

    xlwt writes a blank cell for each merged one, so the sheet is written with a merge of
    A1:B2 and the range in its MERGEDCELLS record is widened afterwards, as a hostile file has it.
    """
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, "项目名称")
    sheet.merge(0, 1, 0, 1)
    out = io.BytesIO()
    book.save(out)
    record = struct.pack("<HHH", _MERGED_CELLS, 10, 1)
    small, whole = struct.pack("<HHHH", 0, 1, 0, 1), struct.pack("<HHHH", 0, 65535, 0, 255)
    data = out.getvalue()
    assert data.count(record + small) == 1
    return data.replace(record + small, record + whole)


def punycode_page(size: int = 256 * 1024) -> bytes:
    """A page declaring ``charset=punycode``, whose body that codec decodes in quadratic time."""
    return b'<meta charset="punycode">-' + b"a" * size


def invalid_punycode_page() -> bytes:
    """A page declaring ``charset=punycode`` that is no punycode at all: ASCII, its Chinese
    written as character references (``&#39033;&#30446;&#21517;&#31216;`` is 项目名称)."""
    cells = "".join(f"<td>{_references(text)}</td>" for text in ("项目名称", "土壤监测"))
    return f'<meta charset="punycode"><table><tr>{cells}</tr></table>'.encode("ascii")


def _references(text: str) -> str:
    return "".join(f"&#{ord(character)};" for character in text)


def bracket_json(depth: int = 100_000) -> bytes:
    """``[`` × 100,000: as JSON it nests deeper than any parser's stack."""
    return b"[" * depth


BOMBS: dict[str, Callable[[], bytes]] = {
    "spans.html": spanning_page,
    "tall-spans.html": tall_page,
    "wide-tables.html": wide_tables_page,
    "elements.html": many_elements,
    "merged.xlsx": whole_sheet_merge,
    "merged-declared.xlsx": whole_sheet_merge_declared,
    "many-merges.xlsx": many_merges,
    "strings.xlsx": huge_shared_strings,
    "parts.xlsx": many_parts,
    "merged.xls": whole_sheet_merge_xls,
    "punycode.html": punycode_page,
    "bad-punycode.html": invalid_punycode_page,
    "brackets.json": bracket_json,
}


@dataclass(frozen=True)
class Cost:
    seconds: float
    peak_bytes: int

    @property
    def within_bounds(self) -> bool:
        return self.seconds < SECONDS and self.peak_bytes < PEAK_BYTES


def measured(call: Callable[[], object]) -> tuple[Exception | None, Cost]:
    """What ``call`` raises, the time it takes, and the peak of Python's allocations in it.

    It runs twice: timed with nothing traced (tracing slows every allocation several times),
    then traced for its memory.
    """
    started = time.monotonic()
    raised = _raised(call)
    seconds = time.monotonic() - started
    tracemalloc.start()
    try:
        _raised(call)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return raised, Cost(seconds, peak)


def _raised(call: Callable[[], object]) -> Exception | None:
    try:
        call()
    except Exception as error:  # what the call raises is the result being measured
        return error
    return None


def _one_cell_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "项目名称"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_merges(data: bytes, merges: list[str], dimension: str | None) -> bytes:
    """The workbook with ``merges`` added to its first sheet (and its dimension replaced)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = _patched_sheet(content.decode(), merges, dimension).encode()
            target.writestr(item, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _patched_sheet(xml: str, merges: list[str], dimension: str | None) -> str:
    if dimension is not None:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
    listed = "".join(f'<mergeCell ref="{merge}"/>' for merge in merges)
    merged = f'<mergeCells count="{len(merges)}">{listed}</mergeCells>'
    return xml.replace("</sheetData>", "</sheetData>" + merged, 1)


def dense_sheet(rows: int = 2_000, columns: int = 200) -> bytes:
    """A workbook of 400,000 one-digit cells in one sheet: under a megabyte zipped."""
    cells = "".join(_dense_row(number, columns) for number in range(1, rows + 1))
    data = _one_cell_workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                replaced = f"<sheetData>{cells}</sheetData>".encode()
                content = re.sub(rb"<sheetData>.*</sheetData>", replaced, content)
            target.writestr(item, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _dense_row(number: int, columns: int) -> str:
    cells = "".join(f'<c r="{_column(column)}{number}"><v>1</v></c>' for column in range(columns))
    return f'<row r="{number}">{cells}</row>'


def _column(index: int) -> str:
    """The letters of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
