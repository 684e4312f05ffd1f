"""HTML pages as governments publish them: each data table as lines of the form's grid.

A data table is a ``<table>`` holding no other table (pages often lay themselves out with
outer tables). ``rowspan``/``colspan`` place each cell in its columns, the way a browser does;
``<p>`` and ``<br>`` inside a cell are line breaks. Every cell spends what it covers from
the budgets of its table and of the page (``infra.documents.coverage``). Outside the data
tables only a title or a year line (``2026年度``) is kept: the page's navigation, dates and
buttons are not the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import cast

import lxml.html
from lxml import etree

from domain import vocabulary
from infra.documents.cells import Container, DocumentError, Line, Origin, fiscal_year_in, is_title
from infra.documents.coverage import MAX_PAGE_CELLS, MAX_TABLE_CELLS, CellBudget, GridRefused

_BREAKING = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_OUTSIDE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "caption", "span", "td"})
_SKIPPED = frozenset({"script", "style", "head", "noscript", "template"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MAX_SPAN = 1000
# Elements a page may have: its tree takes some 300 bytes each, outside Python, before a cell
# is read. The largest pages of forms published hold tens of thousands.
MAX_PAGE_ELEMENTS = 200_000
_OPENING_TAG = re.compile(r"<[A-Za-z]")


def page_sheets(text: str, source: str) -> Iterator[list[Line]]:
    """The page as one sheet: titles and year lines, then each data table's rows, in order."""
    if next(islice(_OPENING_TAG.finditer(text), MAX_PAGE_ELEMENTS, None), None) is not None:
        words = vocabulary.PAGE_TOO_MANY_ELEMENTS.format(limit=MAX_PAGE_ELEMENTS)
        raise DocumentError(source, [(0, words)])
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text) or "<html/>")
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(
            source, [(0, vocabulary.PAGE_UNREADABLE.format(detail=error))]
        ) from None
    for skipped in list(root.iter(*_SKIPPED)):
        if skipped.getparent() is not None:
            cast(lxml.html.HtmlElement, skipped).drop_tree()
    lines: list[Line] = []
    count = 0
    page = CellBudget(MAX_PAGE_CELLS, vocabulary.GRID_PAGE)
    tables = {table for table in root.iter("table") if not table.xpath(".//table")}
    inside = {node for table in tables for node in table.iter()}
    for element in root.iter():
        if element in tables:
            count += 1
            origin = Origin(Container.PAGE, str(count))
            caption = element.find("caption")
            if caption is not None:
                lines.extend(_outside_line(caption, origin))
            try:
                lines.extend(_table_lines(element, origin, page))
            except GridRefused as refused:
                raise refused.of(source) from None
        elif element not in inside and element.tag in _OUTSIDE:
            lines.extend(_outside_line(element, Origin(Container.PAGE, str(count + 1))))
    yield lines


def _outside_line(element: lxml.html.HtmlElement, origin: Origin) -> list[Line]:
    """A title or year line outside the tables, or nothing."""
    own = _own_text(element)
    line = Line(0, (own,), origin)
    if own and (is_title(line) or fiscal_year_in(line) is not None):
        return [line]
    return []


def _own_text(element: lxml.html.HtmlElement) -> str:
    """The element's text without that of its block children (they are read on their own)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BREAKING and child.tag != "table":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _table_lines(table: lxml.html.HtmlElement, origin: Origin, page: CellBudget) -> list[Line]:
    """The table's rows, each cell at the columns it covers (rowspan/colspan applied; a
    rowspan ends at the table's last row, as in a browser)."""
    taken: set[tuple[int, int]] = set()
    lines: list[Line] = []
    budget = CellBudget(MAX_TABLE_CELLS, vocabulary.GRID_TABLE)
    rows = list(table.iter("tr"))
    for index, row in enumerate(rows):
        cells: dict[int, str] = {}
        spans: list[tuple[int, int]] = []
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (index, column) in taken:
                column += 1
            width = _span(cell.get("colspan"))
            height = min(_span(cell.get("rowspan")), len(rows) - index)
            for spent in (budget, page):
                spent.spend(width * height, origin, index + 1, column)
            # The rows below are marked; in this row the next cell starts after this one.
            for down in range(1, height):
                for across in range(width):
                    taken.add((index + down, column + across))
            text = _cell_text(cell)
            if text:
                cells[column] = text
                if width > 1:
                    spans.append((column, width))
            column += width
        if cells:
            texts = tuple(cells.get(at, "") for at in range(max(cells) + 1))
            lines.append(Line(index + 1, texts, origin, tuple(spans)))
    return lines


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """The cell's text, a line per ``<p>``, ``<div>``, ``<br>`` …, its spaces folded.

    The lines are kept apart as a list while the cell is walked, never marked by a character
    put into the text: any character a page holds (U+E000 names a rare character) is content.
    """
    lines: list[list[str]] = [[]]
    for event, element in etree.iterwalk(cell, events=("start", "end", "comment", "pi")):
        tag = element.tag
        if not isinstance(tag, str):  # a comment: only the text after it is the cell's
            lines[-1].append(element.tail or "")
        elif event == "start":
            if tag == "br" or tag in _BREAKING:
                lines.append([])
            lines[-1].append(element.text or "")
        else:
            if tag in _BREAKING:
                lines.append([])
            if element is not cell:
                lines[-1].append(element.tail or "")
    parts = (re.sub(r"\s+", " ", "".join(line)).strip() for line in lines)
    return "\n".join(part for part in parts if part)
