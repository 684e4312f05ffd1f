"""Table documents as JSON (schema 1): validated on the way in, exact decimals both ways."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from domain.document import SCHEMA_VERSION, TableDocument
from domain.values import parse_value
from infra.documents.cells import DocumentError

_DOCUMENT: TypeAdapter[TableDocument] = TypeAdapter(TableDocument)
_DOCUMENTS: TypeAdapter[list[TableDocument]] = TypeAdapter(list[TableDocument])
_VALUE_FIELDS = ("kind", "op", "number", "unit", "date", "text")


# Keys added to schema 1 after it was first published are left out while they are empty, so the
# document of a table that does not use them is, byte for byte, what earlier releases wrote.
# (JSON strings escape quotes and newlines, so these patterns only ever match the structure.)
_LATER_KEYS = ("explanation", "basis")
_EMPTY_COMPACT = tuple(f',"{key}":null'.encode() for key in _LATER_KEYS)
_EMPTY_INDENTED = re.compile(
    rb',\n *"(?:' + b"|".join(k.encode() for k in _LATER_KEYS) + rb')": null'
)


def dump_documents(documents: list[TableDocument]) -> str:
    return _EMPTY_INDENTED.sub(b"", _DOCUMENTS.dump_json(documents, indent=2)).decode()


def dump_document(document: TableDocument) -> str:
    return _EMPTY_INDENTED.sub(b"", _DOCUMENT.dump_json(document, indent=2)).decode()


def document_json_schema() -> dict[str, Any]:
    schema = _DOCUMENT.json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Jixiao table document, schema {SCHEMA_VERSION}"
    return schema


def read_json_documents(text: str, source: str) -> list[TableDocument]:
    """One document or a list of them; every problem is named by its line or JSON path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(source, [(error.lineno, f"not valid JSON: {error.msg}")]) from None
    items = data if isinstance(data, list) else [data]
    problems: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        schema = item.get("schema") if isinstance(item, dict) else None
        if schema != SCHEMA_VERSION:
            problems.append((0, f"$[{index}]: unsupported schema version {schema!r}; expected 1"))
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


def _describe(issue: Any) -> str:
    path = "$" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in issue["loc"]
    )
    return f"{path}: {issue['msg']}"


def _consistency(document: TableDocument) -> list[str]:
    """The raw text of each value is authoritative: parsed fields must agree with it."""
    problems: list[str] = []
    seen: set[str] = set()
    for position, item in enumerate(document.indicators):
        if item.id in seen:
            problems.append(f"indicators[{position}].id: duplicate indicator id {item.id!r}")
        seen.add(item.id)
        for period in ("half_year", "full_year"):
            value = getattr(item, period)
            if value is None:
                continue
            expected = parse_value(value.raw)
            for name in _VALUE_FIELDS:
                if getattr(value, name) != getattr(expected, name):
                    problems.append(
                        f"indicators[{position}].{period}.{name}: {value.raw!r} reads as "
                        f"{getattr(expected, name)!r}, the document says {getattr(value, name)!r}"
                    )
    return problems


def document_json(document: TableDocument) -> str:
    """The compact form stored in read models and sent in messages.

    The same bytes pydantic's serializer makes (a test holds them equal), in a third of the
    time: a rebuild writes one for every table it touches.
    """
    return compact_json(document)


def compact_json(value: object) -> str:
    """A document or one of its value objects as compact JSON, decimals as written."""
    text = orjson.dumps(value, default=_decimal_text)
    for empty in _EMPTY_COMPACT:
        text = text.replace(empty, b"")
    return text.decode()


def _decimal_text(value: object) -> str:
    """Amounts and numbers as the exact decimal strings they were written as."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not part of a table document")


def document_from_json(text: str | bytes) -> TableDocument:
    """A document this system wrote itself (read models, messages): trusted, so not re-checked."""
    return _DOCUMENT.validate_json(text)
