"""Mutation inputs: what each edit names. Their text is read by the service layer."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from api.graphql.types import BasisKind, Period


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
class BasisInput:
    """指标值设定依据: the kind of standard the value was set against, and what it says."""

    kind: BasisKind
    text: str | None = None


@strawberry.input
class ExplainIndicatorInput(Edit):
    indicator_id: str
    explanation: str | None = strawberry.field(description="指标解释; null clears it")
    basis: BasisInput | None = strawberry.field(description="指标值设定依据; null clears it")


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
