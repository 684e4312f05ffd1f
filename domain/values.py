"""The value grammar of an indicator cell: numeric, date or qualitative text.

The raw text is always kept; the parsed parts sit beside it and never replace it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from domain.text import visible
from domain.vocabulary import UNIT_ALIASES, normalise_label


class ValueKind(StrEnum):
    NUMERIC = "numeric"
    DATE = "date"
    TEXT = "text"


_OPERATORS = {
    ">=": ">=",
    "<=": "<=",
    "≥": ">=",
    "≤": "<=",
    "≧": ">=",
    "≦": "<=",
    "=": "=",
    ">": ">",
    "<": "<",
}
_OP = "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True))
_NUMERIC = re.compile(
    rf"^(?P<op>{_OP})?(?P<number>[+-]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?)(?P<unit>.*)$"
)
_DATE = re.compile(
    rf"^(?P<op>{_OP})?(?P<y>\d{{4}})(?:年|-|/|\.)(?P<m>\d{{1,2}})(?:月|-|/|\.)(?P<d>\d{{1,2}})日?$"
)
_AMOUNT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_LEADING_OP = re.compile(rf"^(?:{_OP})")
_NOT_FINITE = re.compile(r"^[+-]?(?:s?nan|inf(?:inity)?|∞)(?![a-z])", re.IGNORECASE)
_EXPONENT = re.compile(r"^[+-]?\d+(?:\.\d+)?e[+-]?\d", re.IGNORECASE)
_UNIT = re.compile(r"^[^\d\s,;，；、]{1,8}$")


@dataclass(frozen=True)
class Value:
    """One indicator value as written, with what it means."""

    raw: str
    kind: ValueKind
    op: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    date: str | None = None
    text: str | None = None


def parse_value(raw: str) -> Value:
    """Read a cell such as ``≥66块``, ``2026年4月30日`` or ``序时进度``.

    Anything else is kept as text; ``value_problem`` says whether that text is a value at all.
    """
    folded = _fold(raw)
    return _parse_date(raw, folded) or _parse_numeric(raw, folded) or _text(raw)


# Every document checks every value again; a table's values change one edit at a time.
@lru_cache(maxsize=65536)
def value_problem(raw: str) -> str | None:
    """Why ``raw`` breaks the value grammar, or None for a number, a date or qualitative text.

    Text that starts like a number or a date must be one: a comparison needs a number (or a
    date) after it, a date must exist, and NaN, infinities and exponents are not amounts
    anyone writes on the form.
    """
    folded = _fold(raw)
    if _parse_date(raw, folded) or _parse_numeric(raw, folded):
        return None
    shown = f"'{visible(raw)}'"
    date_like = _DATE.match(folded)
    if date_like is not None:
        written = f"{date_like['y']}年{int(date_like['m'])}月{int(date_like['d'])}日"
        return f"{shown} is not a value: there is no {written}"
    operator = _LEADING_OP.match(folded)
    rest = folded[operator.end() :] if operator else folded
    if _NOT_FINITE.match(rest):
        return f"{shown} is not a value: a number must be finite"
    if _EXPONENT.match(rest):
        return f"{shown} is not a value: write the number in full, without an exponent"
    if operator is not None:
        return (
            f"{shown} is not a value: a comparison ({operator.group()}) needs a number or a "
            "date after it, such as ≥66块 or ≤2026年6月30日"
        )
    return None


def _fold(raw: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))


def _parse_date(raw: str, folded: str) -> Value | None:
    match = _DATE.match(folded)
    if match is None:
        return None
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    op = _OPERATORS[match["op"]] if match["op"] else None
    return Value(raw=raw, kind=ValueKind.DATE, op=op, date=day.isoformat())


def _parse_numeric(raw: str, folded: str) -> Value | None:
    match = _NUMERIC.match(folded)
    if match is None:
        return None
    unit = match["unit"] or None
    if unit is not None and not _UNIT.match(unit):
        return None
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        return None
    op = _OPERATORS[match["op"]] if match["op"] else "="
    if unit is not None:
        unit = UNIT_ALIASES.get(unit, unit)
    return Value(raw=raw, kind=ValueKind.NUMERIC, op=op, number=number, unit=unit)


def _text(raw: str) -> Value:
    return Value(raw=raw, kind=ValueKind.TEXT, text=raw.strip())


def looks_like_value(cell: str) -> bool:
    """True when a cell reads as a number or a date rather than as prose."""
    return parse_value(cell).kind is not ValueKind.TEXT


def parse_amount(cell: str) -> Decimal | None:
    """An amount in 万元 exactly as written, or None when the cell is not a number."""
    folded = normalise_label(cell).replace(",", "")
    if not _AMOUNT.match(folded):
        return None
    try:
        return Decimal(folded)
    except InvalidOperation:
        return None
