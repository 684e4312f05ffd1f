"""Reading documents as bureaus exchange them, whatever the container, into table documents.

The format comes from the content, never from the file's name alone: an Excel workbook
(.xlsx or .xls), an HTML page, table documents as JSON, or text extracted from PDF in any
encoding (told by charset-normalizer among those Chinese offices use). Workbooks, pages and
text all become lines of the form's grid, read by the one reader in ``infra.documents.form``.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable, Iterator
from enum import StrEnum
from io import BytesIO

from charset_normalizer import from_bytes

from domain import vocabulary
from domain.document import TableDocument
from infra.documents.cells import DocumentError, Line, split_lines
from infra.documents.form import read_form
from infra.documents.jsondoc import read_json_documents
from infra.documents.webpage import page_sheets
from infra.documents.xls import xls_sheets
from infra.documents.xlsx import archive_names, xlsx_sheets

# Encodings text from Chinese offices comes in: UTF-8 (with or without BOM), GBK and its
# superset GB18030, Big5, and UTF-16 from Windows tools. The detector chooses among these
# only, and a page's declared charset counts only when it is one of them: Python's other
# codecs (punycode, utf-7, idna …) are no documents' encodings, and some decode in
# quadratic time.
TEXT_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_HTML_MARKS = ("<!doctype html", "<html", "<table", "<body", "<head", "<meta")
_FOREIGN = {b"%PDF-": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg"}


class DocumentFormat(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    HTML = "html"
    JSON = "json"
    TEXT = "text"


def read_documents(
    data: bytes, source: str, jurisdiction: str, fiscal_year: int | None = None
) -> list[TableDocument]:
    """Every table in the file; raises ``DocumentError`` naming each problem's place."""
    found, text = detect_format(data, source)
    if found is DocumentFormat.JSON:
        return read_json_documents(text, source)
    return read_form(_sheets(found, data, text, source), source, jurisdiction, fiscal_year)


def read_text_document(
    text: str, source: str, jurisdiction: str, fiscal_year: int | None = None
) -> list[TableDocument]:
    """Tab-separated text (as extracted from PDF), already decoded."""
    return read_form([split_lines(text)], source, jurisdiction, fiscal_year)


def detect_format(data: bytes, source: str) -> tuple[DocumentFormat, str]:
    """The file's format from its first bytes, and its text when it is text."""
    if not data.strip():
        raise DocumentError(source, [(0, vocabulary.FILE_EMPTY)])
    if data.startswith(_ZIP):
        return _zipped(data, source), ""
    if data.startswith(_OLE2):
        return DocumentFormat.XLS, ""
    for magic, what in _FOREIGN.items():
        if data.startswith(magic):
            words = vocabulary.NOT_A_DOCUMENT.format(what=vocabulary.FOREIGN_KINDS[what])
            raise DocumentError(source, [(0, words)])
    text = decode_text(data, source)
    head = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if head.startswith(("{", "[")):
        return DocumentFormat.JSON, text
    if any(mark in head for mark in _HTML_MARKS) or "<table" in text[:200_000].lower():
        return DocumentFormat.HTML, text
    return DocumentFormat.TEXT, text


def decode_text(data: bytes, source: str) -> str:
    """The text of the file: in the charset a page declares, when the bytes are valid in it,
    else in the encoding the detector finds (else strictly UTF-8 or GB18030); no BOM."""
    declared = _declared_text(data)
    if declared is not None:
        return declared
    best = from_bytes(data, cp_isolation=TEXT_ENCODINGS).best()
    text = str(best) if best is not None else _strictly_decoded(data)
    if text is None:
        raise DocumentError(source, [(0, vocabulary.UNKNOWN_ENCODING)])
    return text.removeprefix("\ufeff")


# The detector counts user-defined characters (GB18030's, for rare characters in names:
# U+E000…) as unprintable and may choose nothing; bytes that decode strictly in UTF-8 or
# GB18030 to text without control characters are then that text.
_STRICT_ENCODINGS = ("utf_8", "gb18030")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _strictly_decoded(data: bytes) -> str | None:
    for encoding in _STRICT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text) is None:
            return text
    return None


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The codecs a page may declare, by Python's name for them. GB2312 and GBK (cp936) pages are
# read as GB18030, which holds both.
_DECLARABLE = {codecs.lookup(name).name: name for name in TEXT_ENCODINGS} | {
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312"}


def _declared_text(data: bytes) -> str | None:
    """The text in the charset an HTML page's ``<meta>`` declares, if that is a document
    encoding and the bytes decode in it."""
    found = _DECLARED.search(data[:4096])
    if found is None:
        return None
    encoding = _declarable(found.group(1).decode("ascii").lower())
    if encoding is None:
        return None
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeError:
        return None


def _declarable(name: str) -> str | None:
    try:
        codec = codecs.lookup(_ALIASES.get(name, name)).name
    except LookupError:
        return None
    return _DECLARABLE.get(codec)


def _zipped(data: bytes, source: str) -> DocumentFormat:
    names = archive_names(data, source)
    if "xl/workbook.xml" in names:
        return DocumentFormat.XLSX
    words = vocabulary.NOT_AN_EXCEL_WORKBOOK.format(what=_zip_kind(data, names))
    raise DocumentError(source, [(0, words)])


def workbook_sheets(data: bytes, source: str) -> Iterable[list[Line]]:
    """The sheets of an Excel workbook (.xlsx or .xls); any other file is refused, naming what
    it is and the formats wanted."""
    if data.startswith(_OLE2):
        return xls_sheets(data, source)
    if data.startswith(_ZIP):
        names = archive_names(data, source)
        if "xl/workbook.xml" in names:
            return xlsx_sheets(data, source)
        what = _zip_kind(data, names)
    else:
        what = vocabulary.NOT_A_WORKBOOK
    raise DocumentError(source, [(0, vocabulary.WORKBOOK_WANTED.format(what=what))])


def _zip_kind(data: bytes, names: set[str]) -> str:
    """What a ZIP file that is no .xlsx is, by its parts (an OpenDocument file names its type)."""
    if "mimetype" in names:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        for mime, what in vocabulary.OPEN_DOCUMENT_KINDS.items():
            if kind == mime:
                return what
    return vocabulary.ZIP_KINDS["word" if "word/document.xml" in names else "zip"]


def _sheets(found: DocumentFormat, data: bytes, text: str, source: str) -> Iterable[list[Line]]:
    if found is DocumentFormat.XLSX:
        return xlsx_sheets(data, source)
    if found is DocumentFormat.XLS:
        return xls_sheets(data, source)
    if found is DocumentFormat.HTML:
        return page_sheets(text, source)
    return _text_sheets(text)


def _text_sheets(text: str) -> Iterator[list[Line]]:
    yield split_lines(text)


class DocumentsRefused(Exception):
    """One or more files could not be read; none of them is imported."""

    def __init__(self, problems: list[DocumentError]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems

    def located(self) -> list[str]:
        return [line for problem in self.problems for line in problem.located()]


def read_files(
    files: Iterable[tuple[str, bytes]], jurisdiction: str, fiscal_year: int | None = None
) -> list[TableDocument]:
    """Every table in every (name, content) file; one unreadable file refuses them all."""
    documents: list[TableDocument] = []
    problems: list[DocumentError] = []
    for name, data in files:
        try:
            documents.extend(read_documents(data, name, jurisdiction, fiscal_year))
        except DocumentError as error:
            problems.append(error)
    if problems:
        raise DocumentsRefused(problems)
    return documents
