"""Value objects a target table is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from domain.values import Value


class Form(StrEnum):
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"


class Kind(StrEnum):
    CURRENT_YEAR = "current_year"
    CARRYOVER = "carryover"
    RECURRING = "recurring"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    ADJUSTING = "adjusting"


class Role(StrEnum):
    EDITOR = "editor"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


class Period(StrEnum):
    HALF_YEAR = "half_year"
    FULL_YEAR = "full_year"


@dataclass(frozen=True)
class Jurisdiction:
    """A place with a budget, by GB/T 2260 code; a root (a province) has no parent."""

    code: str
    name: str
    level: str
    parent: str | None

    @property
    def is_root(self) -> bool:
        return self.parent is None


@dataclass(frozen=True)
class Actor:
    """Who did something: every event carries one."""

    id: str
    name: str
    role: Role
    jurisdiction: str


@dataclass(frozen=True, kw_only=True)
class Project:
    name: str
    department: str
    department_code: str | None = None
    implementing_unit: str
    kind: Kind
    kind_label: str
    start: str | None = None
    end: str | None = None
    level: str | None = None
    manager: str | None = None
    necessity: str | None = None
    feasibility: str | None = None
    content: str | None = None
    carried_over_from: str | None = None


@dataclass(frozen=True)
class Funds:
    """Amounts in 万元, exact as written."""

    total: Decimal | None
    sources: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Expenditure:
    name: str
    half_year: Decimal | None = None
    full_year: Decimal


@dataclass(frozen=True)
class Goals:
    long_term: str | None = None
    annual: str | None = None


class BasisKind(StrEnum):
    """指标值设定依据: what a target value was set against (MoF indicator standard)."""

    PLAN = "plan"
    INDUSTRY = "industry"
    HISTORY = "history"
    OTHER = "other"


@dataclass(frozen=True)
class ValueBasis:
    """The basis of a target value: its kind of standard and what it says."""

    kind: BasisKind
    text: str | None = None


# What an indicator id may be: it names the indicator in paths, URLs and form fields, so
# nothing that means something there (``/``, ``..``, quotes, markup). Every id ever made fits:
# readers give 12 hex digits, revision appends ``-2``, and JSON documents used words like these.
INDICATOR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
INDICATOR_ID_RULE = "1–64 letters, digits, '-' or '_', the first a letter or a digit"


def indicator_id_problem(indicator_id: str) -> str | None:
    """Why ``indicator_id`` is no indicator id, or None."""
    if INDICATOR_ID.fullmatch(indicator_id):
        return None
    return f"is not an indicator id ({INDICATOR_ID_RULE})"


@dataclass(frozen=True, kw_only=True)
class Indicator:
    id: str
    level1: str
    level1_code: str
    level2: str
    level2_code: str
    name: str
    half_year: Value | None = None
    full_year: Value
    # Added after schema 1 was first published: documents leave them out while they are empty.
    explanation: str | None = None
    basis: ValueBasis | None = None

    def value(self, period: Period) -> Value | None:
        return self.full_year if period is Period.FULL_YEAR else self.half_year


@dataclass(frozen=True)
class EmptyCategory:
    """A level-2 row printed with no indicator under it: kept visible, never invented."""

    level1: str
    level1_code: str
    level2: str
    level2_code: str


@dataclass(frozen=True)
class TableContent:
    """Everything a bureau writes on the form; the aggregate's editable state."""

    project: Project
    funds: Funds
    expenditures: tuple[Expenditure, ...]
    goals: Goals
    indicators: tuple[Indicator, ...]
    empty_categories: tuple[EmptyCategory, ...] = ()


@dataclass(frozen=True)
class SubmissionNote:
    """What the clerk wrote for the reviewer: the latest 提交说明, and the 申请调整 reason while
    an adjustment of an approved table is open or under review (None otherwise)."""

    reason: str | None = None
    adjustment_reason: str | None = None

    @property
    def is_adjustment(self) -> bool:
        return self.adjustment_reason is not None


@dataclass(frozen=True)
class Decision:
    """The reviewer's latest word on a submitted version."""

    action: str
    version: int
    actor: Actor
    comment: str | None
    indicator_comments: dict[str, str]
