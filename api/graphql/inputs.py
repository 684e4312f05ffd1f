"""Mutation inputs, and reading their text into domain values at the edge."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from uuid import UUID

import strawberry

from api.graphql.results import InvalidArgument
from api.graphql.types import Period
from domain import vocabulary
from domain.model import Expenditure
from domain.values import Value, parse_value
from infra.documents.cells import parse_amount

MAX_TEXT = 20_000
MAX_NAME = 500


@strawberry.enum
class ProjectField(StrEnum):
    NAME = "name"
    DEPARTMENT = "department"
    DEPARTMENT_CODE = "department_code"
    IMPLEMENTING_UNIT = "implementing_unit"
    KIND = "kind"
    START = "start"
    END = "end"
    LEVEL = "level"
    MANAGER = "manager"
    NECESSITY = "necessity"
    FEASIBILITY = "feasibility"
    CONTENT = "content"
    CARRIED_OVER_FROM = "carried_over_from"


@strawberry.enum
class Goal(StrEnum):
    LONG_TERM = "long_term"
    ANNUAL = "annual"


@strawberry.input
class Edit:
    """What every edit names: the table, the version the editor saw, and why."""

    table_id: strawberry.ID
    expected_version: int
    reason: str | None = None


@strawberry.input
class SetProjectFieldInput(Edit):
    field: ProjectField
    value: str | None


@strawberry.input
class SetFundTotalInput(Edit):
    amount: str | None


@strawberry.input
class SetFundSourceInput(Edit):
    source: str = strawberry.field(description="a source code or label, e.g. 财政拨款")
    amount: str | None


@strawberry.input
class ExpenditureLineInput:
    name: str
    full_year: str
    half_year: str | None = None


@strawberry.input
class AddExpenditureInput(Edit):
    line: ExpenditureLineInput


@strawberry.input
class SetExpenditureInput(Edit):
    index: int
    line: ExpenditureLineInput


@strawberry.input
class RemoveExpenditureInput(Edit):
    index: int


@strawberry.input
class SetGoalInput(Edit):
    goal: Goal
    text: str | None


@strawberry.input
class AddIndicatorInput(Edit):
    level1: str = strawberry.field(description="label or code, e.g. 产出指标 or output")
    level2: str = strawberry.field(description="label or code, e.g. 数量指标 or quantity")
    name: str
    full_year: str
    half_year: str | None = None
    position: int | None = None


@strawberry.input
class SetIndicatorValueInput(Edit):
    indicator_id: str
    value: str | None
    period: Period = Period.FULL_YEAR


@strawberry.input
class RenameIndicatorInput(Edit):
    indicator_id: str
    name: str


@strawberry.input
class MoveIndicatorInput(Edit):
    indicator_id: str
    level1: str
    level2: str


@strawberry.input
class RemoveIndicatorInput(Edit):
    indicator_id: str


@strawberry.input
class SubmitTableInput(Edit):
    pass


@strawberry.input
class OpenAdjustmentInput(Edit):
    pass


@strawberry.input
class ApproveSubmissionInput:
    table_id: strawberry.ID
    version: int
    comment: str | None = None


@strawberry.input
class IndicatorCommentInput:
    indicator_id: str
    comment: str


@strawberry.input
class ReturnSubmissionInput:
    table_id: strawberry.ID
    version: int
    reason: str
    indicator_comments: list[IndicatorCommentInput] = strawberry.field(default_factory=list)


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
    return amount


def value_of(field: str, text: str | None) -> Value | None:
    if text is None:
        return None
    raw = text_of(field, text, MAX_NAME) or ""
    if not raw.strip():
        raise InvalidArgument(field, f"{field} cannot be empty; send null to clear it")
    return parse_value(raw.strip())


def source_of(text: str) -> str:
    if text in vocabulary.FUND_SOURCES:
        return text
    code = vocabulary.fund_source_for(text)
    if code is None:
        known = ", ".join(f"{label} ({code})" for code, label in vocabulary.FUND_SOURCES.items())
        raise InvalidArgument("source", f"unknown funding source {text!r}; expected one of {known}")
    return code


def line_of(line: ExpenditureLineInput) -> Expenditure:
    full_year = amount_of("line.fullYear", line.full_year)
    assert full_year is not None
    return Expenditure(
        name=name_of("line.name", line.name),
        half_year=amount_of("line.halfYear", line.half_year),
        full_year=full_year,
    )
