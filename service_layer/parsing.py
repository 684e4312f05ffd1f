"""Reading what entry points are given (text) into domain values: once, for all of them.

Each refusal is an ``InvalidArgument`` naming the field as the API and the forms name it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from domain import vocabulary
from domain.errors import UnknownValueBasis
from domain.model import BasisKind, Expenditure, ValueBasis
from domain.text import text_problems
from domain.values import Value, amount_problem, parse_amount, parse_value, value_problem
from service_layer.errors import InvalidArgument

MAX_TEXT = 20_000
MAX_NAME = 500
MAX_PAGE = 100


def table_id_of(text: str) -> UUID:
    try:
        return UUID(str(text))
    except ValueError:
        raise InvalidArgument("tableId", f"{text!r} is not a table id (a UUID)") from None


def text_of(field: str, text: str | None, limit: int = MAX_TEXT) -> str | None:
    if text is not None and len(text) > limit:
        raise InvalidArgument(field, f"{field} is {len(text)} characters; the limit is {limit}")
    return text


def name_of(field: str, text: str) -> str:
    name = (text_of(field, text, MAX_NAME) or "").strip()
    if not name:
        raise InvalidArgument(field, f"{field} cannot be empty")
    return name


def amount_of(field: str, text: str | None) -> Decimal | None:
    """An amount in 万元 as a decimal string (``"36.20"``); never a float."""
    if text is None:
        return None
    amount = parse_amount(text) if len(text) <= 32 else None
    if amount is None or not amount.is_finite() or amount < 0:
        raise InvalidArgument(field, f"{field}: {text!r} is not an amount in 万元 such as 36.20")
    beyond = amount_problem(amount)
    if beyond is not None:
        raise InvalidArgument(field, f"{field}: {beyond}")
    return amount


def required_amount_of(field: str, text: str) -> Decimal:
    amount = amount_of(field, text)
    if amount is None:
        raise InvalidArgument(field, f"{field} cannot be empty")
    return amount


def value_of(field: str, text: str | None) -> Value | None:
    """A value as written, refused unless it is a number, a date or qualitative text."""
    if text is None:
        return None
    raw = (text_of(field, text, MAX_NAME) or "").strip()
    if not raw:
        raise InvalidArgument(field, f"{field} cannot be empty; send null to clear it")
    unsafe = next(text_problems(**{field: raw}), None)
    if unsafe is not None:
        raise InvalidArgument(field, str(unsafe))
    problem = value_problem(raw)
    if problem is not None:
        raise InvalidArgument(field, f"{field}: {problem}")
    return parse_value(raw)


def required_value_of(field: str, text: str) -> Value:
    value = value_of(field, text)
    if value is None:
        raise InvalidArgument(field, f"{field} cannot be empty")
    return value


def source_of(text: str) -> str:
    """A funding source by code or by label (``财政拨款``)."""
    if text in vocabulary.FUND_SOURCES:
        return text
    code = vocabulary.fund_source_for(text)
    if code is None:
        known = ", ".join(f"{label} ({code})" for code, label in vocabulary.FUND_SOURCES.items())
        raise InvalidArgument("source", f"unknown funding source {text!r}; expected one of {known}")
    return code


def line_of(name: str, full_year: str, half_year: str | None) -> Expenditure:
    return Expenditure(
        name=name_of("line.name", name),
        half_year=amount_of("line.halfYear", half_year),
        full_year=required_amount_of("line.fullYear", full_year),
    )


def basis_of(kind: str | None, text: str | None) -> ValueBasis | None:
    """指标值设定依据: a kind by code (``plan``) or label (``计划标准``), and its text."""
    if kind is None or not kind.strip():
        if text and text.strip():
            raise InvalidArgument("basis.kind", "a basis text needs its kind, e.g. 计划标准")
        return None
    wanted = kind.strip()
    for code, label in vocabulary.BASIS_LABELS.items():
        if wanted in (code, label, label.removesuffix("标准")):
            cleaned = (text_of("basis.text", text) or "").strip()
            return ValueBasis(BasisKind(code), cleaned or None)
    raise UnknownValueBasis(wanted, [*vocabulary.BASIS_LABELS.values()])


def moment_of(field: str, text: str | datetime) -> datetime:
    """A point in time, which must carry its zone: ``2026-03-01T09:00:00+08:00``."""
    try:
        moment = text if isinstance(text, datetime) else datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgument(
            field, f"{text!r} is not a time such as 2026-03-01T09:00:00+08:00"
        ) from None
    if moment.tzinfo is None:
        raise InvalidArgument(field, f"{field} needs a time zone, e.g. 2026-03-01T09:00:00+08:00")
    try:
        moment.astimezone(UTC)  # every time is compared in UTC
    except OverflowError:
        raise InvalidArgument(field, f"{text!r} is outside the times this node keeps") from None
    return moment


def page_size_of(field: str, first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidArgument(field, f"{field} must be between 1 and {MAX_PAGE}, not {first}")
    return first
