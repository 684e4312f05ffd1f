"""The field catalogue: every leaf a table document holds, derived from its dataclasses.

Declared once, here, by walking the dataclasses themselves, so a field added to the document
later is in the catalogue at once; its completeness test then holds revision, history and the
readers to it. A path is a tuple of names: ``("indicators", "*", "basis", "kind")``, where
``*`` stands for any element of a tuple or any key of a mapping.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from domain.document import TableDocument
from domain.model import TableContent
from domain.values import Value

ANY = "*"
# What a document carries beside its content: the table's identity, workflow and computed
# findings. Admission and the workflow own these, not revision: each is named with its owner.
ENVELOPE_FIELDS = {
    "schema": "the reader (schema version)",
    "id": "admission (table identity)",
    "jurisdiction": "admission (table identity)",
    "fiscal_year": "admission (table identity)",
    "form": "admission (table identity)",
    "status": "the workflow (an admin's keepStatus import)",
    "version": "the store (optimistic concurrency)",
    "findings": "the rules (computed from the content)",
}
# Leaves a view reads through another one, each with why: the completeness test exempts
# exactly these from that view (and fails if one of them is no longer a leaf).
HISTORY_READS_WITH = {
    "project.kind_label": "project.kind (the label is what the kind reads as on the form)",
    "indicators.*.level1_code": "indicators.*.category (codes are normalised from the labels)",
    "indicators.*.level2_code": "indicators.*.category (codes are normalised from the labels)",
    "empty_categories.*.level1_code": "empty_categories.* (codes are normalised from the labels)",
    "empty_categories.*.level2_code": "empty_categories.* (codes are normalised from the labels)",
}
REVISION_MATCHES_BY = {
    "indicators.*.id": "a revised indicator is paired by id, else by category and name",
}
# Written as one text and parsed from it: its parts follow the raw text, never alone.
_ATOMIC = (Value,)


@dataclass(frozen=True)
class Leaf:
    """One field a document holds, and its declared type (``X | None`` when optional)."""

    path: tuple[str, ...]
    type: Any

    @property
    def name(self) -> str:
        return ".".join(self.path)


def content_leaves() -> list[Leaf]:
    """Every leaf of a table's content, in declaration order."""
    return list(_leaves(TableContent, ()))


def envelope_fields() -> list[str]:
    """The document's own fields that are not content (checked against ``ENVELOPE_FIELDS``)."""
    content = {item.name for item in fields(TableContent)}
    return [item.name for item in fields(TableDocument) if item.name not in content]


def _leaves(kind: Any, path: tuple[str, ...]) -> list[Leaf]:
    inner = optional_inner(kind)
    origin = get_origin(inner)
    if origin is tuple:
        return _leaves(get_args(inner)[0], (*path, ANY))
    if origin is dict:
        return _leaves(get_args(inner)[1], (*path, ANY))
    if isinstance(inner, type) and is_dataclass(inner) and not issubclass(inner, _ATOMIC):
        hints = get_type_hints(inner)
        found: list[Leaf] = []
        for item in fields(inner):
            found.extend(_leaves(hints[item.name], (*path, item.name)))
        return found
    return [Leaf(path, kind)]


def optional_inner(kind: Any) -> Any:
    """``X`` for ``X | None``; any other type as it is."""
    if get_origin(kind) in (Union, types.UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return kind
