"""Validation that informs and never rewrites: errors block submission, warnings travel with it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain import vocabulary
from domain.model import Form, Indicator, Kind, TableContent
from domain.text import text_problems, visible
from domain.values import Value, ValueKind, value_problem


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    path: str


def check_table(form: Form, content: TableContent) -> list[Finding]:
    """Every finding for a table's content, in a stable order."""
    return [
        *_check_text(content),
        *_check_funds(form, content),
        *_check_categories(form, content),
        *(finding for item in content.indicators for finding in _check_indicator(content, item)),
    ]


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity is Severity.ERROR]


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def _error(code: str, path: str, message: str) -> Finding:
    return Finding(code, Severity.ERROR, message, path)


def _warning(code: str, path: str, message: str) -> Finding:
    return Finding(code, Severity.WARNING, message, path)


def _check_text(content: TableContent) -> Iterator[Finding]:
    """Characters no field may hold: commands refuse them, but an old store may have them."""
    for problem in text_problems(content):
        yield _error("text.unsafe_character", problem.path, problem.in_document)


def _check_funds(form: Form, content: TableContent) -> Iterator[Finding]:
    total = content.funds.total
    if total is None:
        yield _error("funds.total_missing", "funds.total", "资金总额 is missing")
        return
    sources = content.funds.sources
    funded = _sum(sources.values())
    if sources and funded != total:
        listed = " + ".join(str(amount) for amount in sources.values())
        yield _error(
            "funds.sources_mismatch",
            "funds.sources",
            f"funding sources sum to {funded} ({listed}), not the total {total}",
        )
    yield from _check_expenditures(form, content, total)
    if form is Form.MUNICIPAL and content.project.kind is Kind.CURRENT_YEAR:
        yield from _check_cost_indicators(content, total)


def _check_expenditures(form: Form, content: TableContent, total: Decimal) -> Iterator[Finding]:
    lines = content.expenditures
    if form is Form.PROVINCIAL and not lines:
        yield _warning("expenditures.missing", "expenditures", "no expenditure lines (支出)")
    spent = _sum(line.full_year for line in lines)
    if lines and spent != total:
        yield _error(
            "expenditures.sum_mismatch",
            "expenditures",
            f"expenditure lines sum to {spent} for the full year, not the total {total}",
        )
    for index, line in enumerate(lines):
        if not line.name.strip():
            yield _warning(
                "expenditures.unnamed", f"expenditures[{index}]", "expenditure line has no name"
            )
        if line.half_year is not None and line.half_year > line.full_year:
            yield _warning(
                "expenditures.half_exceeds_full",
                f"expenditures[{index}]",
                f"half-year plan {line.half_year} exceeds the full-year budget {line.full_year}",
            )


def _check_cost_indicators(content: TableContent, total: Decimal) -> Iterator[Finding]:
    amounts = [
        item.full_year.number
        for item in content.indicators
        if item.level1_code == "cost"
        and item.full_year.number is not None
        and item.full_year.unit == "万元"
    ]
    costs = _sum(amounts)
    if amounts and costs != total:
        yield _warning(
            "cost.sum_mismatch",
            "indicators",
            f"cost indicators sum to {costs}万元, not the annual funds {total}万元",
        )


def _check_categories(form: Form, content: TableContent) -> Iterator[Finding]:
    present = {item.level1_code for item in content.indicators}
    for code in vocabulary.REQUIRED_LEVEL1[form.value]:
        if code not in present:
            label = vocabulary.LEVEL1_BY_CODE[code].label
            yield _error("indicators.level1_missing", "indicators", f"no indicator under {label}")
    for category in content.empty_categories:
        yield _warning(
            "indicators.empty_category",
            f"categories[{category.level1_code}.{category.level2_code}]",
            f"{category.level1} / {category.level2} has no indicator",
        )


def _check_indicator(content: TableContent, item: Indicator) -> Iterator[Finding]:
    path = f"indicators[{item.id}]"
    if item.level2_code == vocabulary.UNKNOWN_LEVEL2:
        yield _warning("indicators.unknown_category", path, f"unknown category {item.level2!r}")
    for period, value in (("half_year", item.half_year), ("full_year", item.full_year)):
        if value is None:
            continue
        problem = value_problem(value.raw)
        if problem is not None:
            where, name = f"{path}.{period}", visible(item.name)
            yield _error("indicators.invalid_value", where, f"{name}: {problem}")
        yield from _check_unit(item, value, f"{path}.{period}")
        yield from _check_bounds(item, value, f"{path}.{period}")
        yield from _check_period(content, item, value, f"{path}.{period}")
    half, full = item.half_year, item.full_year
    if (
        half is not None
        and half.number is not None
        and full.number is not None
        and half.unit == full.unit
        and half.unit in vocabulary.COUNT_UNITS
        and half.number > full.number
    ):
        yield _warning(
            "indicators.half_exceeds_full",
            path,
            f"{item.name}: half-year {half.raw} exceeds full-year {full.raw}",
        )


def _check_unit(item: Indicator, value: Value, path: str) -> Iterator[Finding]:
    if value.kind is not ValueKind.NUMERIC or value.unit is None:
        return
    for suffix, units in vocabulary.NAME_UNIT_RULES:
        if item.name.endswith(suffix) and value.unit not in units:
            yield _warning(
                "indicators.unit_mismatch",
                path,
                f"{item.name} reads as …{suffix} but its value {value.raw} is in {value.unit}",
            )
            return


def _check_bounds(item: Indicator, value: Value, path: str) -> Iterator[Finding]:
    number, op = value.number, value.op
    if number is None:
        return
    hundred, zero = Decimal(100), Decimal(0)
    impossible = (value.unit == "%" and op == ">" and number >= hundred) or (
        op == "<" and number <= zero
    )
    degenerate = (value.unit == "%" and op == ">=" and number >= hundred) or (
        op == "<=" and number <= zero
    )
    if impossible:
        yield _warning(
            "indicators.impossible_bound", path, f"{item.name}: {value.raw} cannot be met"
        )
    elif degenerate:
        yield _warning(
            "indicators.degenerate_bound",
            path,
            f"{item.name}: {value.raw} can only be met exactly at its bound",
        )


def _check_period(
    content: TableContent, item: Indicator, value: Value, path: str
) -> Iterator[Finding]:
    if value.date is None:
        return
    start = _period_bound(content.project.start, first=True)
    end = _period_bound(content.project.end, first=False)
    when = date.fromisoformat(value.date)
    if (start is not None and when < start) or (end is not None and when > end):
        yield _warning(
            "indicators.date_outside_period",
            path,
            f"{item.name}: {value.raw} falls outside the project period "
            f"{content.project.start}..{content.project.end}",
        )


def _period_bound(text: str | None, *, first: bool) -> date | None:
    if not text:
        return None
    if len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1) if first else date(int(text), 12, 31)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
