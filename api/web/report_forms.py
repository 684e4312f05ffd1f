"""The monitoring (双监控) and self-evaluation (自评) forms as typed, and every problem with them
in the clerk's words; the monitoring form read here, the self-evaluation in report_scoring.py.

A form is read whole: each input that cannot be read, and each line the scoring rules refuse,
is a ``Problem`` naming its input, so the page can list them all at once and mark the inputs,
with everything typed shown back. The inputs of a line that pass are handed on as text to
``service_layer.report_inputs``, which reads them into the domain's lines as it does for GraphQL
and the CLI. The rules themselves stay the domain's (``check_comparable``,
``check_monitoring_form``, ``scorecard``); here they are only asked line by line and put in
words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from starlette.datastructures import FormData

from domain.monitoring import MonitoringForm, MonitoringLine, check_monitoring_form
from domain.reports import Basis, Target
from domain.scoring import Band, Cause, Likelihood, ScoringInvalid, check_comparable
from domain.values import (
    Value,
    ValueKind,
    amount_problem,
    number_problem,
    parse_amount,
    parse_value,
)
from domain.weights import POINTS
from service_layer.report_inputs import MonitoringEntry, MonitoringLineEntry, monitoring_form

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


class Reader:
    """Reads inputs, keeping every problem instead of stopping at the first. An input of a
    line that passes is given back as text ``report_inputs`` reads without refusing it."""

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
        beyond = amount_problem(amount)
        if beyond is not None:
            self.refuse(f"{label}：{beyond}", name)
            return None
        return amount

    def number(self, name: str, label: str, target: Target) -> str | None:
        """A weight or a score, written as plain digits (``7.50``, as typed ``７.５０``)."""
        text = self.typed.text(name)
        if not text:
            return None
        number = parse_amount(text) if len(text) <= MAX_AMOUNT else None
        digits = format(number, "f") if number is not None else ""
        if number is None or not number.is_finite() or len(digits) > MAX_AMOUNT:
            self.refuse(
                f"「{target.name}」：{label}“{text}”不是有效的数字", name, target.indicator_id
            )
            return None
        if number < 0:
            self.refuse(f"「{target.name}」：{label}不能为负数", name, target.indicator_id)
            return None
        beyond = POINTS.problem(number)
        if beyond is not None:
            self.refuse(f"「{target.name}」：{label}{beyond}", name, target.indicator_id)
            return None
        return digits

    def value(self, name: str, label: str, target: Target) -> str | None:
        """A value (as typed) measured against ``target``: the same kind, and unit if it has one."""
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
        beyond = number_problem(value)
        if beyond is not None:
            self.refuse(f"「{target.name}」：{label}{beyond}", name, target.indicator_id)
            return None
        try:
            check_comparable(target.indicator_id, target.value, value)
        except ScoringInvalid:
            self.refuse(incomparable(target, value, label), name, target.indicator_id)
            return None
        return text

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


def field_of(error: ScoringInvalid) -> str:
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


def at_input(error: ScoringInvalid, target: Target) -> tuple[str | None, str]:
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
    return inputs.get(field_of(error).rsplit(".", 1)[-1]), key


def plain(number: Decimal) -> str:
    """A number as people write it: 3.3, 90, 2.5 (no trailing zeros, no exponent)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- monitoring -------------------------------------------------------------------------


def read_monitoring(
    basis: Basis, through_month: int, typed: Typed
) -> tuple[MonitoringForm | None, list[Problem]]:
    """The monitoring form typed (None when the budget executed cannot be read), and every
    problem: inputs that cannot be read, and lines the rules refuse."""
    reader = Reader(typed)
    executed = reader.amount("budget_executed", f"1–{through_month}月预算执行数", required=True)
    forecast = reader.amount("budget_forecast", "全年预计执行数")
    progress = reader.text("goal_progress", f"年度总体目标1–{through_month}月执行情况")
    lines = []
    for target in basis.targets:
        entry = _monitoring_entry(reader, target, through_month)
        if entry is None:
            continue
        # The line on its own, as the rules check it (the amounts are the page's, read above).
        alone = monitoring_form(MonitoringEntry(budget_executed="0", lines=(entry,)))
        line = alone.lines[0]
        try:
            check_monitoring_form(basis, alone)
        except ScoringInvalid as error:
            reader.refuse(monitoring_words(error, target, line), *at_input(error, target))
        lines.append(line)
    if executed is None:
        return None, reader.problems
    return MonitoringForm(
        budget_executed=executed,
        budget_forecast=forecast,
        lines=tuple(lines),
        goal_progress=progress,
    ), reader.problems


def _monitoring_entry(reader: Reader, target: Target, month: int) -> MonitoringLineEntry | None:
    """A line's inputs that can be read (None when nothing is filled in)."""
    key = target.indicator_id
    entry = MonitoringLineEntry(
        indicator_id=key,
        actual_to_date=reader.value(line_input("actual", key), f"1–{month}月执行情况", target),
        year_end_forecast=reader.value(line_input("forecast", key), "全年预计完成情况", target),
        likelihood=reader.choice(
            line_input("likelihood", key), LIKELIHOOD_LABELS, "完成目标可能性", target
        ),
        causes=tuple(item for item in reader.typed.causes.get(key, ()) if item in CAUSE_LABELS),
        cause_note=reader.text(line_input("note", key), f"「{target.name}」的原因说明", key),
        measures=reader.text(line_input("measures", key), f"「{target.name}」的纠偏措施", key),
    )
    given = (entry.actual_to_date, entry.year_end_forecast, entry.cause_note, entry.measures)
    certain = entry.likelihood in (None, Likelihood.CERTAIN.value)
    return None if all(item is None for item in given) and not entry.causes and certain else entry


def monitoring_words(error: ScoringInvalid, target: Target, line: MonitoringLine) -> str:
    where = f"「{target.name}」："
    if field_of(error).endswith(".causes"):
        label = LIKELIHOOD_LABELS[line.likelihood.value]
        return f"{where}完成目标可能性为“{label}”时，须勾选偏差原因并填写纠偏措施"
    if field_of(error).endswith(".causeNote"):
        return f"{where}偏差原因勾选了“其他”，请在原因说明中写明具体原因"
    return f"{where}填写有误（{error}）"
