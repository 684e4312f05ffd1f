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

from domain import vocabulary
from domain.errors import OutOfRange
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
class Bound:
    """How many digits a figure of one kind may have, before and after the point.

    Bounds keep every figure a report computes from its inputs (a rate, a ratio, a score, all
    to the cent) well inside the 28 digits of the default decimal context.
    """

    what: str
    integer_digits: int
    decimals: int

    def problem(self, number: Decimal) -> str | None:
        """Why ``number`` is outside the bound, in the words of the form, or None."""
        if not number.is_finite():
            return vocabulary.NOT_FINITE.format(number=number)
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # a finite number's exponent is an int
        integers = max(number.adjusted() + 1, 0)
        decimals = max(-exponent, 0)
        if integers <= self.integer_digits and decimals <= self.decimals:
            return None
        return vocabulary.OUT_OF_RANGE.format(
            number=number, what=self.what, integers=self.integer_digits, decimals=self.decimals
        )


# An amount in 万元: at most 999,999,999,999.999999 — hundreds of times a whole year of the
# national budget (about 3 × 10⁹ 万元), to the fen (0.01 元 = 0.000001 万元).
AMOUNTS = Bound(vocabulary.BOUND_NAMES["amount"], integer_digits=12, decimals=6)
# The number of an indicator value (a count, a rate, a concentration): 10¹⁵ − 1 at most, to
# six decimals, so that a ratio of two of them or to an amount keeps to 22 integer digits.
NUMBERS = Bound(vocabulary.BOUND_NAMES["number"], integer_digits=15, decimals=6)


def amount_problem(amount: Decimal) -> str | None:
    """Why ``amount`` (万元) is not a plausible amount, or None: see ``AMOUNTS``."""
    return AMOUNTS.problem(amount)


def number_problem(value: Value) -> str | None:
    """Why the number of ``value`` is outside ``NUMBERS``, or None (also for a non-number)."""
    return None if value.number is None else NUMBERS.problem(value.number)


def check_amount(field: str, amount: Decimal | None) -> None:
    """The rule ``AMOUNTS``: refuses (``OutOfRange``, naming ``field``) what a form cannot hold."""
    problem = None if amount is None else amount_problem(amount)
    if problem is not None:
        raise OutOfRange(field, problem)


def check_number(field: str, value: Value | None) -> None:
    """The rule ``NUMBERS`` for an indicator value given as ``field``."""
    problem = None if value is None else number_problem(value)
    if problem is not None:
        raise OutOfRange(field, problem)


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
    date) after it, a date must exist, a number keeps within ``NUMBERS``, and NaN,
    infinities and exponents are not amounts anyone writes on the form.
    """
    folded = _fold(raw)
    if _parse_date(raw, folded):
        return None
    numeric = _parse_numeric(raw, folded)
    if numeric is not None:
        beyond = number_problem(numeric)
        return None if beyond is None else f"'{visible(raw)}' is not a value: {beyond}"
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
