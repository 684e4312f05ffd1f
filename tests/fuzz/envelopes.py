"""Envelopes a broken or hostile peer could send: noise, JSON, and real messages bent out of shape.

The real messages are the relays' own, one of each type (a table's submission and its decision,
a monitoring round and its decision); each is bent by dropping a field, giving one a value of
the wrong type, a huge number or hostile text, pointing it at another node, cutting it short,
or burying it deep in brackets.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from service_layer.messages import MessageInvalid, decode
from tests.fuzz.strategies import HOSTILE, TEXT

Path = tuple[str | int, ...]
DROP = object()  # in place of a value: leave the item out
TYPES = ("submission", "decision", "report", "report_decision")
CODES = ("360000", "360100", "360102", "320000", "000000", "36010", "3601000", "")
ODD_NUMBERS = (10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -0.0, 0, -1, 10**4000)
ODD_DATES = ("0001-01-01T00:00:00", "9999-12-31T23:59:59Z", "2026-02-30T00:00:00", "now")

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from(ODD_DATES),
    st.sampled_from(CODES),
    st.sampled_from(TYPES),
    st.uuids().map(str),
    TEXT,
)
CODE = st.one_of(st.sampled_from(CODES), TEXT)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def decodes(value: bytes) -> bool:
    """Whether ``value`` is a well-formed message (for some node)."""
    try:
        decode(value)
    except MessageInvalid:
        return False
    return True


def paths(document: Any, at: Path = ()) -> list[Path]:
    """Every place in a JSON document, its root included, depth first."""
    found = [at]
    if isinstance(document, dict):
        for key, item in document.items():
            found += paths(item, (*at, key))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            found += paths(item, (*at, index))
    return found


def replaced(document: Any, path: Path, value: Any) -> Any:
    """A copy of ``document`` with the item at ``path`` replaced (or dropped, for ``DROP``)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if rest or value is not DROP:
            copy[head] = replaced(document[head], rest, value)
        else:
            del copy[head]
        return copy
    items = list(document)
    if rest or value is not DROP:
        items[int(head)] = replaced(items[int(head)], rest, value)
    else:
        del items[int(head)]
    return items


@st.composite
def bent(draw: st.DrawFn, templates: list[dict[str, Any]]) -> bytes:
    """One of the real messages with one thing wrong (which may still leave it well formed)."""
    message = draw(st.sampled_from(templates))
    if draw(st.booleans()):  # about a table no message has named yet: nothing holds it back
        message = _renamed(message, str(draw(st.uuids())))
    places = paths(message)[1:]
    path = places[draw(st.integers(0, len(places) - 1))]
    change = draw(st.sampled_from(["drop", "value", "number", "text", "address", "type"]))
    if change == "drop":
        message = replaced(message, path, DROP)
    elif change == "value":
        message = replaced(message, path, draw(JSON))
    elif change == "number":
        message = replaced(message, path, draw(st.sampled_from(ODD_NUMBERS)))
    elif change == "text":
        message = replaced(message, path, draw(st.sampled_from(HOSTILE)))
    elif change == "address":
        message = replaced(message, (draw(st.sampled_from(["source", "target"])),), draw(CODE))
    else:
        message = replaced(message, ("type",), draw(st.one_of(st.sampled_from(TYPES), TEXT)))
    return draw(_written(message))


def _renamed(message: dict[str, Any], table_id: str) -> dict[str, Any]:
    """The message about another table: its id wherever the message names it."""
    renamed: dict[str, Any] = replaced(message, ("table_id",), table_id)
    for path in paths(message):
        if path[-1:] in {("id",), ("table_id",)} and path[:1] == ("document",):
            renamed = replaced(renamed, path, table_id)
    return renamed


@st.composite
def _written(draw: st.DrawFn, message: Any) -> bytes:
    """The document as a peer might write it: plain, escaped, cut short, or nested deep."""
    plain = json.dumps(message, ensure_ascii=False).encode()
    how = draw(st.sampled_from(["plain", "escaped", "cut", "deep", "twice addressed"]))
    if how == "escaped":
        return json.dumps(message).encode()
    if how == "cut":
        return plain[: draw(st.integers(0, len(plain)))]
    if how == "deep":
        depth = draw(st.integers(1, 100_000))
        return b"[" * depth + plain + b"]" * depth
    if how == "twice addressed" and plain.startswith(b"{"):
        return b'{"target": "360000", ' + plain[1:]
    return plain


def envelopes(templates: list[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Anything at all, from random bytes to nearly right messages."""
    return st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"", b"null", b'"hello"', b"[]", b"{}", b"\xff\xfe{", b"{" * 50_000]),
        JSON.map(lambda document: json.dumps(document).encode()),
        bent(templates),
        bent(templates),
        bent(templates),
    )
