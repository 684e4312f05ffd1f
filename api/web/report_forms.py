"""The monitoring (双监控) and self-evaluation (自评) forms as typed, read into the domain's
forms, and every problem with them in the clerk's words.

A form is read whole: each input that cannot be read, and each line the scoring rules refuse,
is a ``Problem`` naming its input, so the page can list them all at once and mark the inputs,
with everything typed shown back. The rules themselves stay the domain's (``check_comparable``,
``check_monitoring_form``, ``scorecard``); here they are only asked line by line and put in
words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from starlette.datastructures import FormData

from domain.errors import DomainError
from domain.evaluation import EvaluationForm, EvaluationLine, Scorecard, scorecard, weights_of
from domain.monitoring import MonitoringForm, MonitoringLine, check_monitoring_form
from domain.reports import Basis, Target
from domain.scoring import (
    Band,
    Cause,
    EvaluationRules,
    Likelihood,
    ScoringInvalid,
    band_range,
    check_comparable,
)
from domain.values import Value, ValueKind, parse_amount, parse_value

MAX_TEXT = 20_000
MAX_VALUE = 500
MAX_AMOUNT = 32

LIKELIHOOD_LABELS = {
    Likelihood.CERTAIN.value: "确定能",
    Likelihood.POSSIBLE.value: "有可能",
    Likelihood.IMPOSSIBLE.value: "完全不可能",
}
CAUSE_LABELS = {
    Cause.FUNDING.value: "经费保障",
    Cause.SYSTEM.value: "制度保障",
    Cause.STAFF.value: "人员保障",
    Cause.HARDWARE.value: "硬件条件保障",
    Cause.OTHER.value: "其他",
}
BAND_LABELS = {
    Band.ACHIEVED.value: "达成",
    Band.PARTLY.value: "部分达成",
    Band.NOT_ACHIEVED.value: "未达成",
}
KIND_WORDS = {ValueKind.NUMERIC: "数值", ValueKind.DATE: "日期", ValueKind.TEXT: "文字"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the form: the input at fault (its form name), and why."""

    message: str
    input: str | None = None  # e.g. ``actual-<indicator id>``
    indicator: str | None = None
    blank: bool = False  # a required input left empty (not worth saying while typing)


@dataclass
class Typed:
    """What the form sent, input by input, exactly as typed (shown back when refused)."""

    fields: dict[str, str] = field(default_factory=dict)
    causes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, form: FormData) -> Typed:
        fields: dict[str, str] = {}
        causes: dict[str, list[str]] = {}
        for name, value in form.multi_items():
            if not isinstance(value, str):
                continue
            if name.startswith("cause-"):
                causes.setdefault(name.removeprefix("cause-"), []).append(value)
            else:
                fields[name] = value
        return cls(fields, {key: tuple(items) for key, items in causes.items()})

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def text(self, name: str) -> str:
        return self.get(name).strip()


def line_input(kind: str, indicator_id: str) -> str:
    return f"{kind}-{indicator_id}"


# --- reading inputs ------------------------------------------------------------------


class _Reader:
    """Reads inputs, keeping every problem instead of stopping at the first."""

    def __init__(self, typed: Typed) -> None:
        self.typed = typed
        self.problems: list[Problem] = []

    def refuse(self, message: str, name: str | None, indicator: str | None = None) -> None:
        self.problems.append(Problem(message, name, indicator))

    def amount(self, name: str, label: str, required: bool = False) -> Decimal | None:
        text = self.typed.text(name)
        if not text:
            if required:
                self.problems.append(Problem(f"请填写{label}（万元）", name, blank=True))
            return None
        amount = parse_amount(text) if len(text) <= MAX_AMOUNT else None
        if amount is None or not amount.is_finite():
            self.refuse(f"{label}“{text}”不是有效的金额，请填写以万元为单位的数字，如 36.20", name)
            return None
        if amount < 0:
            self.refuse(f"{label}不能为负数", name)
            return None
        return amount

    def number(self, name: str, label: str, target: Target) -> Decimal | None:
        text = self.typed.text(name)
        if not text:
            return None
        number = parse_amount(text) if len(text) <= MAX_AMOUNT else None
        if number is None or not number.is_finite():
            self.refuse(
                f"「{target.name}」：{label}“{text}”不是有效的数字", name, target.indicator_id
            )
            return None
        if number < 0:
            self.refuse(f"「{target.name}」：{label}不能为负数", name, target.indicator_id)
            return None
        return number

    def value(self, name: str, label: str, target: Target) -> Value | None:
        """A value measured against ``target``: the same kind, and the same unit if it has one."""
        text = self.typed.text(name)
        if not text:
            return None
        if len(text) > MAX_VALUE:
            self.refuse(
                f"「{target.name}」：{label}过长（{len(text)} 字，上限 {MAX_VALUE} 字）",
                name,
                target.indicator_id,
            )
            return None
        value = parse_value(text)
        try:
            check_comparable(target.indicator_id, target.value, value)
        except ScoringInvalid:
            self.refuse(incomparable(target, value, label), name, target.indicator_id)
            return None
        return value

    def text(self, name: str, label: str, indicator: str | None = None) -> str | None:
        text = self.typed.text(name)
        if len(text) > MAX_TEXT:
            self.refuse(f"{label}过长（{len(text)} 字，上限 {MAX_TEXT} 字）", name, indicator)
            return None
        return text or None

    def choice(self, name: str, known: dict[str, str], label: str, target: Target) -> str | None:
        text = self.typed.text(name)
        if not text:
            return None
        if text not in known:
            self.refuse(
                f"「{target.name}」：无法识别的{label}，请从列表中选择", name, target.indicator_id
            )
            return None
        return text


def _field_of(error: ScoringInvalid) -> str:
    return error.field or ""


def incomparable(target: Target, value: Value, label: str) -> str:
    """Why a typed value cannot be measured against its target, in words."""
    wanted = target.value
    where = f"「{target.name}」：{label}“{value.raw}”"
    if wanted.kind is ValueKind.NUMERIC and value.kind is ValueKind.NUMERIC:
        unit = wanted.unit or "无单位"
        return (
            f"{where}的单位是“{value.unit}”，年度指标值“{wanted.raw}”的单位是“{unit}”，"
            "请换算为相同单位后填写"
        )
    return (
        f"{where}是{KIND_WORDS[value.kind]}，年度指标值“{wanted.raw}”是"
        f"{KIND_WORDS[wanted.kind]}，请按指标值的形式填写（如 {_example(wanted)}）"
    )


def _example(value: Value) -> str:
    if value.kind is ValueKind.DATE:
        return "2026年6月30日"
    number = "85" if value.number is None else str(value.number)
    return f"{number}{value.unit or ''}"


# --- monitoring -------------------------------------------------------------------------


def read_monitoring(
    basis: Basis, through_month: int, typed: Typed
) -> tuple[MonitoringForm | None, list[Problem]]:
    """The monitoring form typed (None when the budget executed cannot be read), and every
    problem: inputs that cannot be read, and lines the rules refuse."""
    reader = _Reader(typed)
    executed = reader.amount("budget_executed", f"1–{through_month}月预算执行数", required=True)
    forecast = reader.amount("budget_forecast", "全年预计执行数")
    lines = []
    for target in basis.targets:
        line = _monitoring_line(reader, target, through_month)
        if line is None:
            continue
        try:
            check_monitoring_form(basis, MonitoringForm(budget_executed=Decimal(0), lines=(line,)))
        except ScoringInvalid as error:
            reader.refuse(monitoring_words(error, target, line), *_at(error, target))
        lines.append(line)
    if executed is None:
        return None, reader.problems
    return MonitoringForm(
        budget_executed=executed, budget_forecast=forecast, lines=tuple(lines)
    ), reader.problems


def _monitoring_line(reader: _Reader, target: Target, month: int) -> MonitoringLine | None:
    key = target.indicator_id
    names = {kind: line_input(kind, key) for kind in ("actual", "forecast", "likelihood")}
    actual = reader.value(names["actual"], f"1–{month}月执行情况", target)
    forecast = reader.value(names["forecast"], "全年预计完成情况", target)
    chosen = reader.choice(names["likelihood"], LIKELIHOOD_LABELS, "完成目标可能性", target)
    causes = tuple(Cause(item) for item in reader.typed.causes.get(key, ()) if item in CAUSE_LABELS)
    note = reader.text(line_input("note", key), f"「{target.name}」的原因说明", key)
    measures = reader.text(line_input("measures", key), f"「{target.name}」的纠偏措施", key)
    likelihood = Likelihood(chosen) if chosen else Likelihood.CERTAIN
    given = (actual, forecast, note, measures)
    if all(item is None for item in given) and not causes and likelihood is Likelihood.CERTAIN:
        return None
    return MonitoringLine(
        indicator_id=key,
        actual_to_date=actual,
        year_end_forecast=forecast,
        likelihood=likelihood,
        causes=causes,
        cause_note=note,
        measures=measures,
    )


def _at(error: ScoringInvalid, target: Target) -> tuple[str | None, str]:
    """The input a line's refusal is about, by the field the domain names."""
    key = target.indicator_id
    inputs = {
        "causes": line_input("measures", key),
        "causeNote": line_input("note", key),
        "actual": line_input("actual", key),
        "weight": line_input("weight", key),
        "band": line_input("band", key),
        "score": line_input("score", key),
    }
    return inputs.get(_field_of(error).rsplit(".", 1)[-1]), key


def monitoring_words(error: ScoringInvalid, target: Target, line: MonitoringLine) -> str:
    where = f"「{target.name}」："
    if _field_of(error).endswith(".causes"):
        label = LIKELIHOOD_LABELS[line.likelihood.value]
        return f"{where}完成目标可能性为“{label}”时，须勾选偏差原因并填写纠偏措施"
    if _field_of(error).endswith(".causeNote"):
        return f"{where}偏差原因勾选了“其他”，请在原因说明中写明具体原因"
    return f"{where}填写有误（{error}）"


# --- self-evaluation --------------------------------------------------------------------


@dataclass(frozen=True)
class ReadEvaluation:
    """An evaluation form as typed, with its problems; ``scored`` is what could be scored."""

    form: EvaluationForm | None
    problems: list[Problem]
    card: Scorecard | None = None
    executed_known: bool = False  # B was typed, so the execution score and total mean something
    general: Problem | None = None  # a problem of the whole form (weights, budget A)


def read_evaluation(
    basis: Basis, typed: Typed, rules: EvaluationRules, default_budget: Decimal | None
) -> ReadEvaluation:
    """The evaluation typed, scored as far as it can be: a line that cannot be read or scored
    is left out of the scores (and listed), so the others still score while typing."""
    reader = _Reader(typed)
    budget = reader.amount("budget_full_year", "全年预算数（A）", required=True)
    executed = reader.amount("budget_executed", "全年执行数（B）", required=True)
    lines = [_evaluation_line(reader, target) for target in basis.targets]
    given = tuple(line for line in lines if line is not None)
    form = None
    if budget is not None and executed is not None:
        form = EvaluationForm(
            budget_full_year=budget,
            budget_executed=executed,
            lines=given,
            conclusion=reader.text("conclusion", "评价结论"),
            problems=reader.text("problems", "存在问题"),
            measures=reader.text("measures", "改进措施"),
        )
    problems = reader.problems
    bad = {item.indicator for item in problems if item.indicator}
    scored_form = EvaluationForm(
        budget_full_year=budget if budget and budget > 0 else (default_budget or Decimal(1)),
        budget_executed=executed if executed is not None else Decimal(0),
        lines=tuple(_unscored(line) if line.indicator_id in bad else line for line in given),
    )
    card, refused, general = _score(basis, scored_form, rules)
    problems += refused
    if general is not None:
        problems.append(general)
    if budget is not None and budget <= 0:
        problems.append(Problem("全年预算数（A）须大于 0", "budget_full_year"))
    return ReadEvaluation(form, problems, card, executed is not None, general)


def _evaluation_line(reader: _Reader, target: Target) -> EvaluationLine | None:
    key = target.indicator_id
    qualitative = target.value.kind is ValueKind.TEXT
    actual = reader.value(line_input("actual", key), "实际完成值", target)
    weight = reader.number(line_input("weight", key), "分值", target)
    band = score = None
    if qualitative:
        chosen = reader.choice(line_input("band", key), BAND_LABELS, "达成程度", target)
        band = Band(chosen) if chosen else None
        score = reader.number(line_input("score", key), "得分", target)
    explanation = reader.text(line_input("explain", key), f"「{target.name}」的偏差原因分析", key)
    if all(item is None for item in (actual, weight, band, score, explanation)):
        return None
    return EvaluationLine(
        indicator_id=key,
        actual=actual,
        weight=weight,
        band=band,
        score=score,
        explanation=explanation,
    )


def _unscored(line: EvaluationLine) -> EvaluationLine:
    """A line whose inputs were refused: only its weight (and explanation) still count."""
    return replace(line, actual=None, band=None, score=None)


def _score(
    basis: Basis, form: EvaluationForm, rules: EvaluationRules
) -> tuple[Scorecard | None, list[Problem], Problem | None]:
    """Score ``form``, leaving out each line the rules refuse (said as a problem) until the
    rest scores; a refusal of the whole form (the weights) scores nothing."""
    refused: list[Problem] = []
    for _ in range(len(basis.targets) + 1):
        try:
            return scorecard(basis, form, rules), refused, None
        except ScoringInvalid as error:
            key = _indicator_in(_field_of(error))
            target = basis.target(key) if key else None
            if target is None:
                return (
                    None,
                    refused,
                    Problem(evaluation_words(error, basis, form, rules), *_whole(error)),
                )
            line = form.line(target.indicator_id)
            refused.append(
                Problem(evaluation_words(error, basis, form, rules), *_at(error, target))
            )
            form = replace(
                form,
                lines=tuple(_unscored(item) if item is line else item for item in form.lines),
            )
        except DomainError as error:  # an indicator the table does not have: not from a form
            return None, refused, Problem(f"无法计算得分：{error}")
    return None, refused, None


def _indicator_in(field_name: str) -> str | None:
    parts = field_name.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "lines" else None


def _whole(error: ScoringInvalid) -> tuple[str | None]:
    inputs = {"budgetFullYear": "budget_full_year", "budgetExecuted": "budget_executed"}
    return (inputs.get(_field_of(error)),)


def evaluation_words(
    error: ScoringInvalid, basis: Basis, form: EvaluationForm, rules: EvaluationRules
) -> str:
    """A self-evaluation refused by the scoring rules, in words."""
    if _field_of(error) == "lines.weight":
        given = {line.indicator_id: line.weight for line in form.lines if line.weight is not None}
        missing = [target.name for target in basis.targets if target.indicator_id not in given]
        if missing:
            listed = "、".join(f"「{name}」" for name in missing[:5])
            more = f" 等 {len(missing)} 个指标" if len(missing) > 5 else ""
            return f"分值要么每个指标都填写，要么全部留空（按默认分值）；{listed}{more}未填写分值"
        total = sum((weight for weight in given.values() if weight is not None), Decimal(0))
        return f"各指标分值合计为 {plain(total)} 分，应为 {plain(rules.indicator_weight)} 分"
    if _field_of(error) == "budgetFullYear":
        return "全年预算数（A）须大于 0"
    if _field_of(error) == "budgetExecuted":
        return "全年执行数（B）不能为负数"
    key = _indicator_in(_field_of(error))
    target = basis.target(key) if key else None
    name = f"「{target.name}」：" if target else ""
    if _field_of(error).endswith(".band"):
        return f"{name}定性指标请选择达成程度（达成、部分达成、未达成）并填写得分"
    if _field_of(error).endswith(".score") and target is not None:
        line = form.line(target.indicator_id)
        weights = dict(
            zip(
                (item.indicator_id for item in basis.targets),
                weights_of(basis, form, rules),
                strict=True,
            )
        )
        weight = weights[target.indicator_id]
        if line is not None and line.band is not None and line.score is not None:
            low, high, closed = band_range(line.band, weight, rules)
            span = f"{plain(low)}–{plain(high)} 分" + ("" if closed else f"（不含 {plain(high)}）")
            label = BAND_LABELS[line.band.value]
            return (
                f"{name}分值为 {plain(weight)} 分时，“{label}”的得分应在 {span}，"
                f"不能是 {plain(line.score)} 分"
            )
    if _field_of(error).endswith(".weight"):
        return f"{name}分值不能为负数"
    return f"{name}填写有误（{error}）"


def plain(number: Decimal) -> str:
    """A number as people write it: 3.3, 90, 2.5 (no trailing zeros, no exponent)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
