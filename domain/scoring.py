"""The arithmetic of monitoring (双监控) and self-evaluation (自评): pure functions on Decimals.

Every rule a province can change lives in ``MonitoringRules`` or ``EvaluationRules``; a report
records the rules it was opened under, so a replay scores as it scored then. Each scored line
is rounded half-up to 0.01 and a total is the sum of the rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.errors import InvalidEdit
from domain.values import Value, ValueKind

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Light(StrEnum):
    GREEN = "GREEN"
    YELLOW = "YELLOW"
    RED = "RED"


class Likelihood(StrEnum):  # 完成目标可能性
    CERTAIN = "CERTAIN"
    POSSIBLE = "POSSIBLE"
    IMPOSSIBLE = "IMPOSSIBLE"


class Cause(StrEnum):  # 偏差原因: what a deviation is put down to
    FUNDING = "FUNDING"
    SYSTEM = "SYSTEM"
    STAFF = "STAFF"
    HARDWARE = "HARDWARE"
    OTHER = "OTHER"


class Band(StrEnum):  # how far a qualitative target was reached, as a share of its weight
    ACHIEVED = "ACHIEVED"
    PARTLY = "PARTLY"
    NOT_ACHIEVED = "NOT_ACHIEVED"


class ScoringInvalid(InvalidEdit):
    """A filled-in form the rules refuse; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Grade:
    label: str  # 优/良/中/差, from ``floor`` (inclusive) up to the next grade
    floor: Decimal


@dataclass(frozen=True)
class MonitoringRules:
    """Lights and the 重点监控 rule of one jurisdiction (amounts in 万元, rates in %)."""

    red_below: Decimal = Decimal(60)
    yellow_below: Decimal = Decimal(80)
    watch_budget_from: Decimal = Decimal(200)
    watch_lights: tuple[Light, ...] = (Light.RED,)


@dataclass(frozen=True)
class EvaluationRules:
    """How a self-evaluation is scored in one jurisdiction."""

    execution_weight: Decimal = Decimal(10)
    indicator_weight: Decimal = Decimal(90)
    explain_from: Decimal = Decimal("1.3")  # an actual at or above 130 % of its target
    achieved_from: Decimal = Decimal("0.8")  # bands, as shares of the weight
    partly_from: Decimal = Decimal("0.6")
    grades: tuple[Grade, ...] = field(
        default=(
            Grade("优", Decimal(90)),
            Grade("良", Decimal(80)),
            Grade("中", Decimal(60)),
            Grade("差", Decimal(0)),
        )
    )
    # Default weights by level-1 category when a table gives none; 成本指标 counts with 产出.
    default_weights: tuple[tuple[str, Decimal], ...] = (
        ("output", Decimal(50)),
        ("benefit", Decimal(30)),
        ("satisfaction", Decimal(10)),
    )


# --- monitoring ---------------------------------------------------------------


def execution_rate(executed: Decimal, budget: Decimal, through_month: int) -> Decimal:
    """(executed ÷ full-year budget) ÷ (M ÷ 12) × 100, to 0.01."""
    if budget <= 0:
        raise ScoringInvalid("budget", "the table's full-year budget must be above 0")
    return cents(executed / budget / (Decimal(through_month) / 12) * HUNDRED)


def execution_light(rate: Decimal, rules: MonitoringRules) -> Light:
    if rate < rules.red_below:
        return Light.RED
    if rate < rules.yellow_below:
        return Light.YELLOW
    return Light.GREEN


def indicator_light(target: Value, forecast: Value | None, likelihood: Likelihood) -> Light:
    """RED when impossible or the forecast misses; YELLOW when possible; else GREEN."""
    met = meets(target, forecast) if forecast is not None else None
    if likelihood is Likelihood.IMPOSSIBLE or met is False:
        return Light.RED
    if likelihood is Likelihood.POSSIBLE:
        return Light.YELLOW
    return Light.GREEN


def watched(budget: Decimal | None, light: Light | None, rules: MonitoringRules) -> bool:
    """重点监控: a large enough budget whose execution light is one the rule names."""
    return (
        budget is not None
        and light is not None
        and budget >= rules.watch_budget_from
        and light in rules.watch_lights
    )


# --- comparing an actual with its target ---------------------------------------


def meets(target: Value, actual: Value) -> bool | None:
    """Whether ``actual`` reaches ``target``; None when a text target cannot be compared."""
    if target.kind is ValueKind.DATE:
        if actual.kind is not ValueKind.DATE or actual.date is None or target.date is None:
            return None
        return actual.date <= target.date
    if target.kind is not ValueKind.NUMERIC or actual.kind is not ValueKind.NUMERIC:
        return None
    assert target.number is not None
    assert actual.number is not None
    bound, number = target.number, actual.number
    op = target.op or "="
    if op == "=":
        return number <= 0 if bound == 0 else number >= bound
    return {
        ">=": number >= bound,
        ">": number > bound,
        "<=": number <= bound,
        "<": number < bound,
    }[op]


def check_comparable(indicator: str, target: Value, actual: Value, part: str = "actual") -> None:
    """A numeric ``part`` in another unit, or a date target given a number, is refused."""
    numeric = target.kind is ValueKind.NUMERIC and actual.kind is ValueKind.NUMERIC
    if numeric and actual.unit is not None and actual.unit != target.unit:
        raise ScoringInvalid(
            f"lines.{indicator}.{part}",
            f"indicator {indicator}: the actual {actual.raw!r} is in {actual.unit}, "
            f"the target {target.raw!r} in {target.unit or 'no unit'}",
        )
    if target.kind is not ValueKind.TEXT and actual.kind is not target.kind:
        raise ScoringInvalid(
            f"lines.{indicator}.{part}",
            f"indicator {indicator}: the target {target.raw!r} is a {target.kind.value}; "
            f"the actual {actual.raw!r} is not",
        )


def check_actual_sign(indicator: str, target: Value, actual: Value, part: str = "actual") -> None:
    """A negative actual against a ceiling of zero or more (≤ T, < T, = 0: a cost, a
    concentration, a count of incidents) is refused: it cannot happen, and it would reach the
    target in full."""
    if target.kind is not ValueKind.NUMERIC or target.number is None or actual.number is None:
        return
    op = target.op or "="
    ceiling = op in ("<=", "<") or (op == "=" and target.number == 0)
    if ceiling and target.number >= 0 and actual.number < 0:
        raise ScoringInvalid(
            f"lines.{indicator}.{part}",
            f"indicator {indicator}: the actual {actual.raw!r} is below zero, which the target "
            f"{target.raw!r} (at most {target.number}) cannot have",
        )


# --- self-evaluation --------------------------------------------------------------


@dataclass(frozen=True)
class LineScore:
    score: Decimal
    band: Band | None
    missed: bool
    explanation_required: bool


def execution_score(budget: Decimal, executed: Decimal, rules: EvaluationRules) -> Decimal:
    """min(B ÷ A, 1) × the execution weight."""
    if budget <= 0:
        raise ScoringInvalid("budgetFullYear", "全年预算数 must be above 0")
    return cents(min(executed / budget, Decimal(1)) * rules.execution_weight)


def score_line(
    indicator: str,
    target: Value,
    actual: Value,
    weight: Decimal,
    band: Band | None,
    score: Decimal | None,
    rules: EvaluationRules,
) -> LineScore:
    """One indicator's score by the rules in the module docstring."""
    if target.kind is ValueKind.TEXT:
        return _qualitative(indicator, weight, band, score, rules)
    check_comparable(indicator, target, actual)
    met = bool(meets(target, actual))
    if target.kind is ValueKind.DATE:
        earned = weight if met else Decimal(0)
        return LineScore(cents(earned), None, not met, not met)
    assert target.number is not None
    assert actual.number is not None
    bound, number = target.number, actual.number
    op = target.op or "="
    if bound == 0 and op in ("<=", "<", "="):
        earned = weight if number <= 0 else Decimal(0)
    elif op in ("<=", "<"):
        earned = _at_most(bound, number, weight)
    elif met:
        earned = weight
    else:
        earned = _share(number / bound, weight) if bound > 0 else Decimal(0)
    over = bound > 0 and number >= bound * rules.explain_from
    return LineScore(cents(earned), None, not met, not met or over)


def _at_most(bound: Decimal, number: Decimal, weight: Decimal) -> Decimal:
    if bound < 0:  # a negative ceiling (a fall of at least |T|): reached or not
        return weight if number <= bound else Decimal(0)
    if number <= bound:
        return weight
    if number < 2 * bound:
        return (1 - (number - bound) / bound) * weight
    return Decimal(0)


def _share(ratio: Decimal, weight: Decimal) -> Decimal:
    return min(max(ratio, Decimal(0)), Decimal(1)) * weight


def _qualitative(
    indicator: str,
    weight: Decimal,
    band: Band | None,
    score: Decimal | None,
    rules: EvaluationRules,
) -> LineScore:
    where = f"lines.{indicator}"
    if band is None or score is None:
        raise ScoringInvalid(
            f"{where}.band",
            f"indicator {indicator} has a qualitative target: give its band "
            f"(ACHIEVED 达成, PARTLY 部分达成, NOT_ACHIEVED 未达成) and a score in it",
        )
    score = cents(score)  # checked as it will be stored
    low, high, closed = band_range(band, weight, rules)
    inside = low <= score <= high if closed else low <= score < high
    if not inside:
        shown = f"[{low}, {high}]" if closed else f"[{low}, {high})"
        raise ScoringInvalid(
            f"{where}.score",
            f"indicator {indicator}: a {band.value} score must lie in {shown} "
            f"for a weight of {weight}, not {score}",
        )
    missed = band is not Band.ACHIEVED
    return LineScore(score, band, missed, missed)


def band_range(
    band: Band, weight: Decimal, rules: EvaluationRules
) -> tuple[Decimal, Decimal, bool]:
    """The scores a band allows for ``weight``: (low, high, whether high is included).

    A line of weight 0 counts for nothing in any band: it scores 0 whether its target was
    reached or not, so every band (未达成 too) can be said of it."""
    if weight == 0:
        return Decimal(0), Decimal(0), True
    achieved, partly = weight * rules.achieved_from, weight * rules.partly_from
    if band is Band.ACHIEVED:
        return achieved, weight, True
    if band is Band.PARTLY:
        return partly, achieved, False
    return Decimal(0), partly, False


def grade_of(total: Decimal, rules: EvaluationRules) -> str:
    for grade in sorted(rules.grades, key=lambda item: item.floor, reverse=True):
        if total >= grade.floor:
            return grade.label
    return rules.grades[-1].label
