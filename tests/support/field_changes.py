"""A document with exactly one leaf of the field catalogue changed, for completeness tests."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from decimal import Decimal
from enum import Enum
from typing import Any, get_type_hints

from domain.catalogue import ANY, Leaf, optional_inner
from domain.document import TableDocument
from domain.values import Value, parse_value


def with_leaf_changed(document: TableDocument, leaf: Leaf) -> TableDocument:
    """``document`` with the leaf's value (its first element, for a tuple or mapping) changed."""
    return _changed(document, leaf.path, TableDocument, leaf)  # type: ignore[no-any-return]


def _changed(value: Any, path: tuple[str, ...], kind: Any, leaf: Leaf) -> Any:
    if not path:
        if leaf.path[-1] == "id":  # an id follows the id rule: letters, digits, '-', '_'
            return f"{value}-r"
        return _other(value, optional_inner(kind))
    inner = optional_inner(kind)
    head, rest = path[0], path[1:]
    if head == ANY and isinstance(value, tuple):
        if not value:
            raise AssertionError(f"the sample document has no element to change for {leaf.name}")
        (element_kind, *_) = getattr(inner, "__args__", (Any,))
        return (_changed(value[0], rest, element_kind, leaf), *value[1:])
    if head == ANY and isinstance(value, dict):
        if not value:
            raise AssertionError(f"the sample document has no entry to change for {leaf.name}")
        key = next(iter(value))
        return {**value, key: _changed(value[key], rest, inner.__args__[1], leaf)}
    if value is None and isinstance(inner, type) and is_dataclass(inner):
        value = _sample(inner)
    hints = get_type_hints(type(value))
    return replace(value, **{head: _changed(getattr(value, head), rest, hints[head], leaf)})


def _other(value: Any, kind: Any) -> Any:
    """A value of ``kind`` different from ``value``."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return next(member for member in kind if member != value)
    if kind is Decimal:
        return Decimal("1") if value is None else value + 1
    if kind is Value:
        raw = "≥7件" if value is None or value.raw != "≥7件" else "≥8件"
        return parse_value(raw)
    if kind is str:
        return "修订后的文字" if value is None else f"{value}（修订）"
    raise AssertionError(f"no way to change a {kind!r}: teach tests/support/field_changes.py")


def _sample(kind: type[Any]) -> Any:
    """An instance of a dataclass with each field given a plain sample value."""
    hints = get_type_hints(kind)
    parts = {item.name: _other(None, optional_inner(hints[item.name])) for item in fields(kind)}
    return kind(**parts)
