"""The table document as JSON (schema 1): how read models, messages and exports write it.

Amounts and numbers are the exact decimal strings they were written as, never floats.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import orjson
from pydantic import TypeAdapter

from domain.document import SCHEMA_VERSION, TableDocument

_DOCUMENT: TypeAdapter[TableDocument] = TypeAdapter(TableDocument)
_DOCUMENTS: TypeAdapter[list[TableDocument]] = TypeAdapter(list[TableDocument])


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
