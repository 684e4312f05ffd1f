"""Reading a filled-in monitoring or self-evaluation form (text, as any entry point gets it)
into the domain's forms: once, for the API, the workbench and the CLI alike.

Every refusal is an ``InvalidArgument`` naming the field as the API names it, a line by its
place in the form: ``lines[2].actualToDate``, ``lines[0].causes[1]``. ``located`` gives a
domain refusal (which names a line by its indicator, ``lines.<id>.causes``) the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from domain.evaluation import EvaluationForm, EvaluationLine
from domain.monitoring import MonitoringForm, MonitoringLine
from domain.scoring import Band, Cause, Likelihood
from domain.weights import POINTS
from service_layer import parsing as p
from service_layer.errors import InvalidArgument

MAX_LINES = 500
MAX_NUMBER = 32

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class MonitoringLineEntry:
    """One indicator's line of a monitoring form, as typed."""

    indicator_id: str
    actual_to_date: str | None = None
    year_end_forecast: str | None = None
    likelihood: str | None = None  # CERTAIN (the default), POSSIBLE, IMPOSSIBLE
    causes: Sequence[str] = ()  # FUNDING, SYSTEM, STAFF, HARDWARE, OTHER
    cause_note: str | None = None
    measures: str | None = None


@dataclass(frozen=True)
class MonitoringEntry:
    """A whole monitoring form, as typed (amounts in 万元)."""

    budget_executed: str
    budget_forecast: str | None = None
    lines: Sequence[MonitoringLineEntry] = ()
    goal_progress: str | None = None


@dataclass(frozen=True)
class EvaluationLineEntry:
    indicator_id: str
    actual: str | None = None
    weight: str | None = None
    band: str | None = None  # ACHIEVED, PARTLY, NOT_ACHIEVED
    score: str | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class EvaluationEntry:
    budget_full_year: str
    budget_executed: str
    lines: Sequence[EvaluationLineEntry] = ()
    budget_note: str | None = None  # why A is not the approved budget
    conclusion: str | None = None
    goal_result: str | None = None
    problems: str | None = None
    measures: str | None = None


def monitoring_form(entry: MonitoringEntry) -> MonitoringForm:
    _check_count(entry.lines)
    return MonitoringForm(
        budget_executed=p.required_amount_of("budgetExecuted", entry.budget_executed),
        budget_forecast=p.amount_of("budgetForecast", entry.budget_forecast),
        lines=tuple(_monitoring_line(f"lines[{at}]", line) for at, line in enumerate(entry.lines)),
        goal_progress=_note_of("goalProgress", entry.goal_progress),
    )


def _monitoring_line(where: str, line: MonitoringLineEntry) -> MonitoringLine:
    likelihood = _member_of(f"{where}.likelihood", Likelihood, line.likelihood)
    return MonitoringLine(
        indicator_id=_indicator_of(f"{where}.indicatorId", line.indicator_id),
        actual_to_date=p.value_of(f"{where}.actualToDate", line.actual_to_date),
        year_end_forecast=p.value_of(f"{where}.yearEndForecast", line.year_end_forecast),
        likelihood=likelihood or Likelihood.CERTAIN,
        causes=_causes_of(f"{where}.causes", line.causes),
        cause_note=_note_of(f"{where}.causeNote", line.cause_note),
        measures=_note_of(f"{where}.measures", line.measures),
    )


def evaluation_form(entry: EvaluationEntry) -> EvaluationForm:
    _check_count(entry.lines)
    return EvaluationForm(
        budget_full_year=p.required_amount_of("budgetFullYear", entry.budget_full_year),
        budget_executed=p.required_amount_of("budgetExecuted", entry.budget_executed),
        budget_note=_note_of("budgetNote", entry.budget_note),
        lines=tuple(_evaluation_line(f"lines[{at}]", line) for at, line in enumerate(entry.lines)),
        conclusion=_note_of("conclusion", entry.conclusion),
        goal_result=_note_of("goalResult", entry.goal_result),
        problems=_note_of("problems", entry.problems),
        measures=_note_of("measures", entry.measures),
    )


def _evaluation_line(where: str, line: EvaluationLineEntry) -> EvaluationLine:
    return EvaluationLine(
        indicator_id=_indicator_of(f"{where}.indicatorId", line.indicator_id),
        actual=p.value_of(f"{where}.actual", line.actual),
        weight=decimal_of(f"{where}.weight", line.weight),
        band=_member_of(f"{where}.band", Band, line.band),
        score=decimal_of(f"{where}.score", line.score),
        explanation=_note_of(f"{where}.explanation", line.explanation),
    )


def decimal_of(field: str, text: str | None) -> Decimal | None:
    """A weight or a score: a non-negative decimal as a string (``"7.5"``); never a float."""
    if text is None:
        return None
    cleaned = text.strip()
    try:
        number = Decimal(cleaned) if 0 < len(cleaned) <= MAX_NUMBER else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or "e" in cleaned.lower():
        raise InvalidArgument(field, f"{field}: {text!r} is not a number such as 7.5")
    beyond = POINTS.problem(number)
    if beyond is not None:
        raise InvalidArgument(field, f"{field}: {beyond}")
    return number


def month_of(field: str, month: int) -> int:
    """A cut-off month, 1 to 12 (the month a monitoring round reports up to)."""
    if not 1 <= month <= 12:
        raise InvalidArgument(field, f"{field} must be 1 to 12, not {month}")
    return month


def line_comments_of(prefix: str, comments: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A reviewer's comments by indicator; an indicator named twice is refused."""
    found: dict[str, str] = {}
    for at, (indicator_id, comment) in enumerate(comments):
        key = _indicator_of(f"{prefix}[{at}].indicatorId", indicator_id)
        if key in found:
            raise InvalidArgument(
                f"{prefix}[{at}].indicatorId", f"indicator {key!r} is commented on twice"
            )
        found[key] = p.text_of(f"{prefix}[{at}].comment", comment) or ""
    return found


def located(field: str | None, prefix: str, indicator_ids: Sequence[str]) -> str | None:
    """A domain refusal's field (``lines.<id>.causes``, or ``indicatorId`` with the unknown
    indicator) named as in the form that was sent (``lines[1].causes``)."""
    if field is None:
        return None
    head, _, rest = field.partition(".")
    if head == prefix and rest:
        indicator, _, tail = rest.partition(".")
        if indicator in indicator_ids:
            at = indicator_ids.index(indicator)
            return f"{prefix}[{at}]" + (f".{tail}" if tail else "")
    return field


def unknown_indicator_field(prefix: str, indicator: str, indicator_ids: Sequence[str]) -> str:
    """Where an unknown indicator was given, e.g. ``lines[3].indicatorId``."""
    if indicator in indicator_ids:
        return f"{prefix}[{indicator_ids.index(indicator)}].indicatorId"
    return "indicatorId"


def _check_count(lines: Sequence[object]) -> None:
    if len(lines) > MAX_LINES:
        raise InvalidArgument("lines", f"a form has at most {MAX_LINES} lines, not {len(lines)}")


def _indicator_of(field: str, text: str) -> str:
    indicator = (p.text_of(field, text, p.MAX_NAME) or "").strip()
    if not indicator:
        raise InvalidArgument(field, f"{field} cannot be empty")
    return indicator


def _note_of(field: str, text: str | None) -> str | None:
    cleaned = (p.text_of(field, text) or "").strip()
    return cleaned or None


def _member_of(field: str, kind: type[E], text: str | None) -> E | None:
    if text is None or not text.strip():
        return None
    wanted = text.strip().upper()
    for member in kind:
        if wanted in (member.name, member.value.upper()):
            return member
    known = ", ".join(member.name for member in kind)
    raise InvalidArgument(field, f"{field}: {text!r} is not one of {known}")


def _causes_of(field: str, texts: Sequence[str]) -> tuple[Cause, ...]:
    causes: list[Cause] = []
    for at, text in enumerate(texts):
        cause = _member_of(f"{field}[{at}]", Cause, text)
        if cause is None:
            raise InvalidArgument(f"{field}[{at}]", f"{field}[{at}] cannot be empty")
        if cause not in causes:
            causes.append(cause)
    return tuple(causes)
