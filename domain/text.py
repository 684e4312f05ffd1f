"""The characters the platform takes in, and how history shows what it holds.

One policy for every field of every entry point: no control characters (a NUL cannot even be
stored in PostgreSQL text, an ESC steers terminals), no bidi controls (they make text read in
another order than it was stored), no lone surrogates; line breaks and tabs only in fields that
hold several lines. Commands refuse such text with ``UnsafeText`` naming the field; documents
report it as findings. Stored events are never checked again: ``visible`` shows what an old
store may hold in the audit views.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from functools import cache

from domain.errors import UnsafeText

# Fields (by their name in the model, commands and forms) that hold several lines of text.
MULTI_LINE = frozenset(
    {
        "reason",
        "submit_reason",
        "adjustment_reason",
        "comment",
        "indicator_comments",
        "line_comments",
        "explanation",
        "text",  # a goal's text, the text of a value's basis
        "necessity",
        "feasibility",
        "content",
        "long_term",
        "annual",
        "cause_note",
        "measures",
        "goal_progress",
        "goal_result",
        "conclusion",
        "problems",
    }
)
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"  # Cc but tab and breaks; Cs
_REFUSED_IN_TEXT = re.compile(f"[{_CONTROLS}{_BIDI_CONTROLS}]")
_REFUSED_IN_LINE = re.compile(f"[{_CONTROLS}{_BIDI_CONTROLS}\t\n\r\u2028\u2029]")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Unicode gives the C0 controls no names; these are the ones people meet.
_CONTROL_NAMES = {
    "\x00": "NULL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


@dataclass(frozen=True)
class TextProblem:
    """Where a refused character is: ``path`` as the model names it (``indicators[x].full_year``,
    as findings do), ``field`` as the API does (``indicators[x].fullYear``)."""

    path: str
    field: str
    character: str

    def __str__(self) -> str:
        return f"{self.field} contains {describe(self.character)}"

    @property
    def in_document(self) -> str:
        """The problem named by its path in a document, as findings and imports name it."""
        return f"{self.path} contains {describe(self.character)}"


def describe(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character as its code point and name."""
    name = unicodedata.name(character, None) or _CONTROL_NAMES.get(character)
    if name is None:
        surrogate = unicodedata.category(character) == "Cs"
        name = "(a lone surrogate)" if surrogate else "(a control character)"
    return f"U+{ord(character):04X} {name}"


def refused_character(text: str, *, multi_line: bool = False) -> str | None:
    """The first character of ``text`` the policy refuses, if any."""
    found = (_REFUSED_IN_TEXT if multi_line else _REFUSED_IN_LINE).search(text)
    return None if found is None else found.group()


def text_problems(subject: object = None, /, **parts: object) -> Iterator[TextProblem]:
    """Every string in ``subject``'s fields and in ``parts`` that breaks the policy.

    Dataclasses, mappings and sequences are walked; a field's name decides whether it may hold
    several lines; a value is judged by its raw text (its parts are read from it).
    """
    found: list[TextProblem] = []
    if subject is not None and not _clean(subject):
        _walk(subject, (), False, found)
    for name, part in parts.items():
        _walk(part, (name,), name in MULTI_LINE, found)
    return iter(found)


def check_text(subject: object = None, /, **parts: object) -> None:
    """Refuse the command: ``UnsafeText`` for the first field that breaks the policy."""
    for problem in text_problems(subject, **parts):
        raise UnsafeText(problem.field, str(problem))


def visible(text: str) -> str:
    """``text`` with every invisible, control or bidi character shown as ``⟨U+202E⟩``.

    Line breaks and tabs stay as they are; history shows what was stored, read in order.
    """
    if text.isprintable():
        return text
    shown: list[str] = []
    for at, character in enumerate(text):
        kept = character in "\n\t" or (character == "\r" and text[at + 1 : at + 2] == "\n")
        hidden = unicodedata.category(character) in _HIDDEN and not kept
        shown.append(f"⟨U+{ord(character):04X}⟩" if hidden else character)
    return "".join(shown)


@dataclass(frozen=True)
class _Key:
    """A mapping's key or a sequence's item (by id where it has one) on the way to a string."""

    key: object


_Trail = tuple[str | _Key, ...]  # field names and keys from the top; made a path only when needed


def _problem(trail: _Trail, character: str) -> TextProblem:
    path = field = ""
    for step in trail:
        if isinstance(step, _Key):
            shown = f"[{visible(str(step.key))}]"
            path, field = path + shown, field + shown
        else:
            path = f"{path}.{step}" if path else step
            field = f"{field}.{_camel(step)}" if field else _camel(step)
    return TextProblem(path or "text", field or "text", character)


def _walk(part: object, trail: _Trail, multi_line: bool, found: list[TextProblem]) -> None:
    """Add the problems of ``part`` to ``found`` (a plain loop: documents are walked often)."""
    if type(part) is str or (isinstance(part, str) and not isinstance(part, Enum)):
        character = refused_character(part, multi_line=multi_line)
        if character is not None:
            found.append(_problem(trail, character))
        return
    kind: type = type(part)
    shape = _text_fields(kind)
    if shape is not None:
        names, is_value, _ = shape
        for name in names:
            step = trail if is_value else (*trail, name)  # a value is named by its field
            _walk(getattr(part, name), step, name in MULTI_LINE, found)
    elif isinstance(part, Mapping):
        for key, item in part.items():
            _walk(key, (*trail, _Key(key)), False, found)
            _walk(item, (*trail, _Key(key)), multi_line, found)
    elif isinstance(part, tuple | list):
        for at, item in enumerate(part):
            key = getattr(item, "id", at)  # indicators are named by id, as findings name them
            _walk(item, (*trail, _Key(key)), multi_line, found)


@cache
def _text_fields(kind: type) -> tuple[tuple[str, ...], bool, bool] | None:
    """The fields of a dataclass to read, whether it is a value (only a value's raw text is
    read, since its other parts are read from it), and whether it is a frozen part worth
    remembering as clean. ``None`` for what is not a dataclass."""
    if not is_dataclass(kind) or issubclass(kind, Enum):
        return None
    names = tuple(field.name for field in fields(kind))
    if "raw" in names:
        return ("raw",), True, False
    return names, False, bool(kind.__dataclass_params__.frozen)  # type: ignore[attr-defined]


def _clean(subject: object) -> bool:
    """Whether no string in ``subject`` breaks the policy: the usual answer, found by searching
    its strings joined (two searches in all) without naming paths; ``_walk`` names what is wrong.
    """
    lines: list[str] = []
    texts: list[str] = []
    parts: list[object] = []
    _gather(subject, False, lines, texts, parts)
    if _REFUSED_IN_LINE.search("".join(lines)) or _REFUSED_IN_TEXT.search("".join(texts)):
        return False
    for part in parts[1:] if parts and parts[0] is subject else parts:  # not the top: see below
        _remember_clean(part)
    return True


def _gather(
    part: object, multi_line: bool, lines: list[str], texts: list[str], parts: list[object]
) -> None:
    """Collect the strings ``_walk`` would judge, as single lines or as text of several lines,
    and the frozen parts they come from."""
    if type(part) is str or (isinstance(part, str) and not isinstance(part, Enum)):
        (texts if multi_line else lines).append(part)
        return
    kind: type = type(part)
    shape = _text_fields(kind)
    if shape is not None:
        names, _, frozen = shape
        if frozen:
            if _known_clean.get(id(part)) is part:
                return
            parts.append(part)
        for name in names:
            value = getattr(part, name)
            if type(value) is str:  # most fields: judged here, without a call
                (texts if name in MULTI_LINE else lines).append(value)
            elif value is not None:
                _gather(value, name in MULTI_LINE, lines, texts, parts)
    elif isinstance(part, Mapping):
        for key, item in part.items():
            _gather(key, False, lines, texts, parts)
            _gather(item, multi_line, lines, texts, parts)
    elif isinstance(part, tuple | list):
        for item in part:
            _gather(item, multi_line, lines, texts, parts)


# Frozen parts (an indicator, a funds block) already found clean, by identity: a table's
# versions share every part an event did not replace, so the document made after an edit reads
# only what the edit changed. Each entry keeps its part alive, so its id stays its own; the memo
# is dropped whole when full. The top of a search (a table's content) is not kept: it is new
# with every event and would keep every version alive.
_known_clean: dict[int, object] = {}
_CLEAN_LIMIT = 65_536


def _remember_clean(part: object) -> None:
    if len(_known_clean) >= _CLEAN_LIMIT:
        _known_clean.clear()
    _known_clean[id(part)] = part


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)
