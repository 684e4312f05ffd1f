"""Reading table documents from JSON (schema 1): every problem named by its place."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from domain import vocabulary
from domain.document import SCHEMA_VERSION, TableDocument, impossible_values
from domain.values import parse_value
from infra.documents.cells import DocumentError

_DOCUMENTS: TypeAdapter[list[TableDocument]] = TypeAdapter(list[TableDocument])
_VALUE_FIELDS = ("kind", "op", "number", "unit", "date", "text")
# A list of documents nests six deep (list, document, indicators, indicator, value); keys
# added freely may nest more, never this much. The parser recurses per level, so a file of
# 100,000 ``[`` would exhaust the stack: the depth is measured before parsing.
MAX_DEPTH = 64
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def read_json_documents(text: str, source: str) -> list[TableDocument]:
    """One document or a list of them; every problem is named by its line or JSON path."""
    if nesting_depth(text) > MAX_DEPTH:
        raise DocumentError(source, [(0, vocabulary.JSON_TOO_DEEP.format(limit=MAX_DEPTH))])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            source, [(error.lineno, vocabulary.JSON_INVALID.format(detail=error.msg))]
        ) from None
    items = data if isinstance(data, list) else [data]
    problems: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        schema = item.get("schema") if isinstance(item, dict) else None
        if schema != SCHEMA_VERSION:
            words = vocabulary.JSON_SCHEMA_UNSUPPORTED.format(schema=schema)
            problems.append((0, f"$[{index}]：{words}"))
    if problems:
        raise DocumentError(source, problems)
    try:
        documents = _DOCUMENTS.validate_python(items)
    except ValidationError as error:
        raise DocumentError(source, [(0, _describe(issue)) for issue in error.errors()]) from None
    for index, document in enumerate(documents):
        problems.extend((0, f"$[{index}].{problem}") for problem in _consistency(document))
    if problems:
        raise DocumentError(source, problems)
    return documents


def nesting_depth(text: str) -> int:
    """How deep the text's arrays and objects nest, brackets inside strings left out."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if bracket in "[{" else -1 for bracket in brackets), default=0)


def _describe(issue: Any) -> str:
    path = "$" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in issue["loc"]
    )
    if issue["type"] == "missing":
        return vocabulary.JSON_FIELD_MISSING.format(path=path)
    return vocabulary.JSON_FIELD_INVALID.format(path=path, detail=issue["msg"])


def _consistency(document: TableDocument) -> list[str]:
    """The id is a table id, years and amounts are possible ones, and the raw text of each
    value is authoritative: parsed fields must agree with it."""
    problems = [f"{field}：{why}" for field, why in impossible_values(document)]
    if document.id is not None and not _is_table_id(document.id):
        problems.append(f"id：{vocabulary.TABLE_ID_INVALID.format(id=document.id)}")
    seen: set[str] = set()
    for position, item in enumerate(document.indicators):
        if item.id in seen:
            words = vocabulary.INDICATOR_ID_REPEATED.format(id=item.id)
            problems.append(f"indicators[{position}].id：{words}")
        seen.add(item.id)
        for period in ("half_year", "full_year"):
            value = getattr(item, period)
            if value is None:
                continue
            expected = parse_value(value.raw)
            for name in _VALUE_FIELDS:
                if getattr(value, name) != getattr(expected, name):
                    words = vocabulary.VALUE_DISAGREES.format(
                        raw=value.raw,
                        expected=_shown(getattr(expected, name)),
                        stated=_shown(getattr(value, name)),
                    )
                    problems.append(f"indicators[{position}].{period}.{name}：{words}")
    return problems


def _shown(field: object) -> str:
    """A parsed field as the document would write it: an enum by its value, text quoted."""
    shown = getattr(field, "value", field)
    return f"「{shown}」" if isinstance(shown, str) else str(shown)


def _is_table_id(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
