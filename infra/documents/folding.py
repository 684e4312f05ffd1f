"""Line breaks a cell shows only because it wraps, folded out of one-line fields.

In a workbook or a page a long 项目名称 or 指标值 is often broken over two lines inside its cell
(Alt+Enter, ``<br>``): layout, not content. Fields that hold several lines (reasons, goals,
explanations: ``domain.text.MULTI_LINE``) keep their breaks; in every other field a break is
joined away — with one space between two words of a spaced script, else directly (Chinese, a
number and its unit) — so the domain's rule that such fields hold one line is met by what the
form meant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from typing import Any, TypeVar

from domain.text import MULTI_LINE
from domain.values import Value, parse_value

T = TypeVar("T")
_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|[\r\n\u2028\u2029\x0b\x0c\x85])+[ \t\u3000]*")


def fold_lines(part: T) -> T:
    """``part`` (a document or any piece of one) with its one-line fields folded."""
    return _fold(part, multi_line=False)  # type: ignore[no-any-return]


def fold_line(text: str) -> str:
    pieces = _BREAK.split(text)
    folded = pieces[0]
    for piece in pieces[1:]:
        folded += ("" if _joins_directly(folded, piece) else " ") + piece
    return folded


def _joins_directly(before: str, after: str) -> bool:
    """Only two words of a spaced script keep a space between them; Chinese, a number (wrapped
    inside or before its unit) or a symbol join directly."""
    return not (before and after and _spaced(before[-1]) and _spaced(after[0]))


def _spaced(character: str) -> bool:
    return character.isalpha() and unicodedata.east_asian_width(character) not in ("W", "F")


def _fold(part: Any, *, multi_line: bool) -> Any:
    if isinstance(part, Enum):
        return part
    if isinstance(part, str):
        return part if multi_line else fold_line(part)
    if isinstance(part, Value):
        return (
            part if multi_line or not _BREAK.search(part.raw) else parse_value(fold_line(part.raw))
        )
    if isinstance(part, tuple):
        return tuple(_fold(item, multi_line=multi_line) for item in part)
    if isinstance(part, dict):
        return {
            _fold(key, multi_line=False): _fold(value, multi_line=multi_line)
            for key, value in part.items()
        }
    if is_dataclass(part) and not isinstance(part, type):
        changes = {
            item.name: _fold(getattr(part, item.name), multi_line=item.name in MULTI_LINE)
            for item in fields(part)
            if item.init
        }
        return replace(part, **changes)
    return part
