"""Monitoring rounds, self-evaluations and received reports as aggregates: workflow, scores
worked by hand, and the forms the rules refuse."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TypeVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.errors import (
    ReasonRequired,
    SubmissionRejected,
    TransitionRefused,
    UnknownIndicator,
    VersionConflict,
)
from domain.evaluation import (
    EvaluationForm,
    EvaluationLine,
    ScoredLine,
    SelfEvaluation,
    scorecard,
)
from domain.model import Actor, Role, Status
from domain.monitoring import LineLight, MonitoringForm, MonitoringLine, MonitoringRound
from domain.received_report import ReceivedReport, ReportDocument, received_report_id
from domain.reports import (
    Basis,
    ReportDecision,
    ReportLocked,
    ReportNotOpen,
    ReportStatus,
    Stage,
    Target,
    applied_already,
    approved_version,
    basis_of,
    report_id,
)
from domain.scoring import (
    Band,
    Cause,
    EvaluationRules,
    Light,
    Likelihood,
    MonitoringRules,
    ScoringInvalid,
)
from domain.table import TargetTable
from domain.values import Value, parse_value
from tests.conftest import NANCHANG, seed_documents

D = Decimal
TABLE_ID = UUID("6f1c2a3e-0000-4000-8000-000000000014")
EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")
REVIEWER = Actor(id="u-2", name="李审核", role=Role.REVIEWER, jurisdiction="360000")
LEVEL1 = {
    "output": "产出指标",
    "cost": "成本指标",
    "benefit": "效益指标",
    "satisfaction": "满意度指标",
}

A = TypeVar("A", bound=Aggregate)


def target(
    indicator_id: str, raw: str, level1_code: str = "output", level2: str = "数量指标"
) -> Target:
    return Target(
        indicator_id=indicator_id,
        level1=LEVEL1[level1_code],
        level1_code=level1_code,
        level2=level2,
        name=f"指标{indicator_id}",
        value=parse_value(raw),
    )


BUDGET = D(300)


def basis(*targets: Target, budget: Decimal | None = BUDGET) -> Basis:
    return Basis(
        table_id=str(TABLE_ID),
        jurisdiction="360100",
        fiscal_year=2026,
        table_version=4,
        project_name="城市环境卫生_道路清扫保洁项目",
        department="九江市城市管理局",
        budget=budget,
        targets=targets,
    )


def v(raw: str) -> Value:
    return parse_value(raw)


# Five targets, one of each kind: at least, at most, a date, qualitative, a percentage.
TARGETS = (
    target("o1", "≥66块"),
    target("o2", "≤5%", level2="质量指标"),
    target("d1", "2026年6月30日", level2="时效指标"),
    target("b1", "明显改善", "benefit", "社会效益指标"),
    target("s1", "≥90%", "satisfaction", "服务对象满意度指标"),
)
BASIS = basis(*TARGETS)


def replayed(aggregate: A) -> A:
    """The aggregate rebuilt from the events it recorded."""
    copy: A | None = None
    for item in aggregate.collect_events():
        copy = item.mutate(copy)
    assert copy is not None
    return copy


def status(report: MonitoringRound | SelfEvaluation | ReceivedReport) -> ReportStatus:
    """The status read afresh (each command may change it)."""
    return report.status


def decision(report: ReceivedReport) -> ReportDecision | None:
    """The last decision read afresh."""
    return report.decision


# --- monitoring -----------------------------------------------------------------------------


def monitoring_line(
    indicator_id: str,
    actual: str,
    forecast: str,
    likelihood: Likelihood = Likelihood.CERTAIN,
    causes: tuple[Cause, ...] = (),
    note: str | None = None,
    measures: str | None = None,
) -> MonitoringLine:
    return MonitoringLine(
        indicator_id=indicator_id,
        actual_to_date=v(actual),
        year_end_forecast=v(forecast),
        likelihood=likelihood,
        causes=causes,
        cause_note=note,
        measures=measures,
    )


ROUND_LINES = (
    monitoring_line("o1", "40块", "70块"),
    monitoring_line("o2", "4%", "6%", Likelihood.POSSIBLE, (Cause.FUNDING,), None, "追加资金"),
    monitoring_line(
        "d1", "2026年6月20日", "2026年7月15日", Likelihood.IMPOSSIBLE, (Cause.SYSTEM,), None, "延期"
    ),
    monitoring_line(
        "b1", "推进中", "明显改善", Likelihood.POSSIBLE, (Cause.OTHER,), "连续降雨", "错峰施工"
    ),
    monitoring_line("s1", "85%", "92%"),
)
# 90 of 300 万元 by June
ROUND = MonitoringForm(budget_executed=D(90), lines=ROUND_LINES)


def new_round(
    form: MonitoringForm | None = ROUND, through_month: int = 6, report_basis: Basis = BASIS
) -> MonitoringRound:
    round_ = MonitoringRound.open(report_basis, through_month, MonitoringRules(), EDITOR)
    if form is not None:
        round_.report(form, EDITOR, None)
    return round_


def submitted_round() -> MonitoringRound:
    round_ = new_round()
    round_.submit(EDITOR, None)
    return round_


def test_a_monitoring_round_reports_its_rate_and_lights() -> None:
    figures = new_round().figures()
    # (90 ÷ 300) ÷ (6 ÷ 12) × 100 = 0.3 ÷ 0.5 × 100 = 60.00: exactly 60 is YELLOW
    assert figures.execution_rate == D("60.00")
    assert figures.execution_light is Light.YELLOW
    assert figures.watched is False  # 300 ≥ 200 but the light is not RED
    assert figures.lights == (
        LineLight("o1", Light.GREEN),  # 70 ≥ 66, certain
        LineLight("o2", Light.RED),  # 6% misses ≤5%, though only "possible"
        LineLight("d1", Light.RED),  # impossible (and 7月15日 is after 6月30日)
        LineLight("b1", Light.YELLOW),  # qualitative, possible
        LineLight("s1", Light.GREEN),  # 92 ≥ 90, certain
    )


def test_a_rate_of_exactly_80_is_green() -> None:
    figures = new_round(replace(ROUND, budget_executed=D(120))).figures()
    # (120 ÷ 300) ÷ (6 ÷ 12) × 100 = 80.00
    assert figures.execution_rate == D("80.00")
    assert figures.execution_light is Light.GREEN


def test_a_large_budget_spent_too_slowly_is_watched() -> None:
    figures = new_round(replace(ROUND, budget_executed=D(60))).figures()
    # (60 ÷ 300) ÷ (6 ÷ 12) × 100 = 40.00 → RED, and 300 ≥ 200
    assert figures.execution_rate == D("40.00")
    assert figures.execution_light is Light.RED
    assert figures.watched is True


def test_the_watch_rule_starts_at_a_budget_of_exactly_200() -> None:
    form = replace(ROUND, budget_executed=D(30))
    at_200 = new_round(form, report_basis=basis(*TARGETS, budget=D(200))).figures()
    # (30 ÷ 200) ÷ 0.5 × 100 = 30.00 → RED, and 200 ≥ 200
    assert (at_200.execution_rate, at_200.watched) == (D("30.00"), True)
    below = new_round(form, report_basis=basis(*TARGETS, budget=D("199.99"))).figures()
    # (30 ÷ 199.99) ÷ 0.5 × 100 = 30.0015… → 30.00 → RED, but 199.99 < 200
    assert (below.execution_light, below.watched) == (Light.RED, False)


def test_a_target_without_a_line_has_no_light_yet() -> None:
    figures = new_round(replace(ROUND, lines=ROUND_LINES[:1])).figures()
    assert figures.lights[0] == LineLight("o1", Light.GREEN)
    assert [item.light for item in figures.lights[1:]] == [None, None, None, None]


def test_a_monitoring_round_is_one_per_table_and_month() -> None:
    june, july = new_round(None, 6), new_round(None, 7)
    assert june.id == report_id(Stage.MONITORING, TABLE_ID, 6)
    assert june.id == new_round(None, 6).id
    assert june.id != july.id


def test_a_monitoring_round_opens_only_for_a_month_of_the_year() -> None:
    for month in (0, 13):
        with pytest.raises(ScoringInvalid) as refused:
            new_round(None, month)
        assert refused.value.field == "throughMonth"
    assert new_round(None, 1).through_month == 1
    assert new_round(None, 12).through_month == 12


def test_a_monitoring_round_needs_a_table_with_a_budget() -> None:
    for budget in (None, D(0)):
        with pytest.raises(ScoringInvalid) as refused:
            new_round(None, report_basis=basis(*TARGETS, budget=budget))
        assert refused.value.field == "tableId"


def test_a_monitoring_round_is_submitted_and_approved_on_its_current_version() -> None:
    round_ = new_round(None)
    assert status(round_) is ReportStatus.DRAFT
    round_.report(ROUND, EDITOR, None)  # version 2
    round_.submit(EDITOR, None)  # version 3
    assert status(round_) is ReportStatus.SUBMITTED
    assert round_.version == 3
    assert round_.decision is None
    round_.approve(3, "同意", REVIEWER)
    assert status(round_) is ReportStatus.APPROVED
    assert applied_already(round_, 3, "approve") is True
    assert applied_already(round_, 3, "return") is False
    assert round_.decision == ReportDecision("approve", 3, REVIEWER, "同意")
    copy = replayed(round_)
    assert (status(copy), copy.form, copy.decision) == (status(round_), ROUND, round_.decision)


def test_a_returned_round_is_edited_resubmitted_and_decided_on_its_new_version() -> None:
    round_ = submitted_round()  # submitted as version 3
    round_.return_for_changes(3, "请核实执行数", {"o1": "实际值偏低"}, REVIEWER)
    assert status(round_) is ReportStatus.RETURNED
    assert round_.decision == ReportDecision(
        "return", 3, REVIEWER, "请核实执行数", line_comments=(("o1", "实际值偏低"),)
    )
    assert applied_already(round_, 3, "return") is True
    round_.report(replace(ROUND, budget_executed=D(100)), EDITOR, None)  # version 5
    round_.submit(EDITOR, None)  # version 6
    assert round_.version == 6
    with pytest.raises(VersionConflict):
        round_.approve(3, None, REVIEWER)
    round_.approve(6, None, REVIEWER)
    assert status(round_) is ReportStatus.APPROVED


def test_reporting_the_same_form_again_records_nothing() -> None:
    round_ = new_round()
    version = round_.version
    round_.report(ROUND, EDITOR, None)
    assert round_.version == version


def test_an_incomplete_round_cannot_be_submitted() -> None:
    without_lines = new_round(replace(ROUND, lines=ROUND_LINES[:3]))
    with pytest.raises(ScoringInvalid) as refused:
        without_lines.submit(EDITOR, None)
    assert refused.value.field == "lines"
    assert "指标b1" in str(refused.value)
    assert "指标s1" in str(refused.value)
    assert "指标o1" not in str(refused.value)
    no_forecast = replace(ROUND_LINES[4], year_end_forecast=None)
    without_forecast = new_round(replace(ROUND, lines=(*ROUND_LINES[:4], no_forecast)))
    with pytest.raises(ScoringInvalid, match="指标s1"):
        without_forecast.submit(EDITOR, None)
    assert status(without_forecast) is ReportStatus.DRAFT


def test_a_submitted_or_approved_round_cannot_be_edited_or_submitted_again() -> None:
    round_ = submitted_round()
    with pytest.raises(ReportLocked):
        round_.report(replace(ROUND, budget_executed=D(91)), EDITOR, None)
    with pytest.raises(TransitionRefused):
        round_.submit(EDITOR, None)
    round_.approve(round_.version, None, REVIEWER)
    with pytest.raises(ReportLocked):
        round_.report(replace(ROUND, budget_executed=D(91)), EDITOR, None)


def test_only_a_submitted_round_can_be_decided() -> None:
    draft = new_round()
    with pytest.raises(TransitionRefused):
        draft.approve(draft.version, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        draft.return_for_changes(draft.version, "请修改", {}, REVIEWER)
    approved = submitted_round()
    approved.approve(approved.version, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        approved.return_for_changes(approved.version, "请修改", {}, REVIEWER)


def test_returning_a_round_needs_a_reason_and_known_indicators() -> None:
    round_ = submitted_round()
    for reason in ("", "   "):
        with pytest.raises(ReasonRequired):
            round_.return_for_changes(round_.version, reason, {}, REVIEWER)
    with pytest.raises(UnknownIndicator):
        round_.return_for_changes(round_.version, "请修改", {"x9": "?"}, REVIEWER)
    assert status(round_) is ReportStatus.SUBMITTED


def refused_round(form: MonitoringForm) -> ScoringInvalid:
    round_ = new_round(None)
    with pytest.raises(ScoringInvalid) as refused:
        round_.report(form, EDITOR, None)
    assert round_.version == 1  # nothing recorded
    return refused.value


def test_a_round_refuses_a_line_for_an_unknown_indicator() -> None:
    round_ = new_round(None)
    with pytest.raises(UnknownIndicator):
        round_.report(replace(ROUND, lines=(monitoring_line("x9", "1块", "2块"),)), EDITOR, None)
    assert round_.version == 1


def test_a_round_refuses_an_indicator_given_twice() -> None:
    twice = replace(ROUND, lines=(ROUND_LINES[0], monitoring_line("o1", "41块", "71块")))
    assert refused_round(twice).field == "lines.o1"


def test_a_round_refuses_negative_amounts() -> None:
    assert refused_round(replace(ROUND, budget_executed=D(-1))).field == "budgetExecuted"
    assert "negative" in str(refused_round(replace(ROUND, budget_forecast=D(-1))))


def test_a_round_refuses_a_forecast_in_another_unit() -> None:
    other_unit = replace(ROUND, lines=(monitoring_line("o1", "40块", "70件"),))
    refused = refused_round(other_unit)
    assert refused.field == "lines.o1.yearEndForecast"
    assert "件" in str(refused)
    assert "块" in str(refused)
    to_date = replace(ROUND, lines=(monitoring_line("o1", "40件", "70块"),))
    assert refused_round(to_date).field == "lines.o1.actualToDate"


def test_a_target_that_may_be_missed_needs_causes_and_measures() -> None:
    for likelihood in (Likelihood.POSSIBLE, Likelihood.IMPOSSIBLE):
        no_cause = monitoring_line("o1", "40块", "60块", likelihood, (), None, "加快进度")
        assert refused_round(replace(ROUND, lines=(no_cause,))).field == "lines.o1.causes"
        for measures in (None, "  "):
            no_measure = monitoring_line("o1", "40块", "60块", likelihood, (Cause.STAFF,), None)
            no_measure = replace(no_measure, measures=measures)
            refused = refused_round(replace(ROUND, lines=(no_measure,)))
            assert refused.field == "lines.o1.causes"


def test_a_certain_target_needs_no_causes() -> None:
    round_ = new_round(replace(ROUND, lines=(monitoring_line("o1", "40块", "70块"),)))
    assert round_.version == 2


def test_the_cause_other_needs_a_note() -> None:
    for note in (None, " "):
        other = monitoring_line(
            "o1", "40块", "60块", Likelihood.POSSIBLE, (Cause.OTHER,), note, "加快进度"
        )
        assert refused_round(replace(ROUND, lines=(other,))).field == "lines.o1.causeNote"


# --- self-evaluation ---------------------------------------------------------------------


EVALUATION_LINES = (
    EvaluationLine(indicator_id="o1", actual=v("60块"), explanation="原材料涨价"),
    EvaluationLine(indicator_id="o2", actual=v("6%"), explanation="设备老化"),
    EvaluationLine(indicator_id="d1", actual=v("2026年6月30日")),
    EvaluationLine(indicator_id="b1", band=Band.PARTLY, score=D(20), explanation="部分路段未完"),
    EvaluationLine(indicator_id="s1", actual=v("95%")),
)
# A = 200, B = 180 万元 (the approved budget is 300: A was adjusted, and says why)
EVALUATION = EvaluationForm(
    budget_full_year=D(200),
    budget_executed=D(180),
    budget_note="年中调减预算 100 万元",
    lines=EVALUATION_LINES,
    conclusion="基本完成年度目标",
    problems="成本偏高",
    measures="加强成本控制",
)


def with_line(form: EvaluationForm, index: int, **changes: object) -> EvaluationForm:
    lines = list(form.lines)
    lines[index] = replace(lines[index], **changes)  # type: ignore[arg-type]
    return replace(form, lines=tuple(lines))


def with_weights(form: EvaluationForm, *weights: str | None) -> EvaluationForm:
    lines = tuple(
        replace(item, weight=None if weight is None else D(weight))
        for item, weight in zip(form.lines, weights, strict=True)
    )
    return replace(form, lines=lines)


def new_evaluation(
    form: EvaluationForm | None = EVALUATION,
    report_basis: Basis = BASIS,
    rules: EvaluationRules | None = None,
) -> SelfEvaluation:
    evaluation = SelfEvaluation.open(report_basis, rules or EvaluationRules(), EDITOR)
    if form is not None:
        evaluation.report(form, EDITOR, None)
    return evaluation


def submitted_evaluation() -> SelfEvaluation:
    evaluation = new_evaluation()
    evaluation.submit(EDITOR, None)
    return evaluation


def test_a_self_evaluation_without_weights_is_scored_with_the_default_weights() -> None:
    card = scorecard(BASIS, EVALUATION, EvaluationRules())
    # B ÷ A × 100 = 180 ÷ 200 × 100 = 90.00; min(0.9, 1) × 10 = 9.00
    assert card.execution_rate == D("90.00")
    assert card.execution_score == D("9.00")
    # output 50 over o1, o2, d1: 16.67, 16.67, 16.66; benefit 30; satisfaction 10
    assert [item.weight for item in card.lines] == [
        D("16.67"),
        D("16.67"),
        D("16.66"),
        D(30),
        D(10),
    ]
    assert card.lines == (
        # 60 ÷ 66 × 16.67 = 1000.2 ÷ 66 = 15.1545… → 15.15; missed
        ScoredLine("o1", D("16.67"), v("60块"), D("15.15"), None, True, "原材料涨价"),
        # (1 − (6 − 5) ÷ 5) × 16.67 = 0.8 × 16.67 = 13.336 → 13.34; missed
        ScoredLine("o2", D("16.67"), v("6%"), D("13.34"), None, True, "设备老化"),
        # on the day: the full 16.66
        ScoredLine("d1", D("16.66"), v("2026年6月30日"), D("16.66"), None, False, None),
        # PARTLY of 30 is [18, 24): 20 stands as given
        ScoredLine("b1", D(30), None, D("20.00"), Band.PARTLY, True, "部分路段未完"),
        # 95 ≥ 90: the full 10; 95 < 90 × 1.3 = 117
        ScoredLine("s1", D(10), v("95%"), D("10.00"), None, False, None),
    )
    # 9.00 + 15.15 + 13.34 + 16.66 + 20.00 + 10.00 = 84.15 → 良
    assert card.total == D("84.15")
    assert card.grade == "良"


def test_a_self_evaluation_is_scored_with_the_weights_it_gives() -> None:
    form = with_line(with_weights(EVALUATION, "30", "20", "10", "20", "10"), 3, score=D(14))
    card = scorecard(BASIS, form, EvaluationRules())
    assert [item.score for item in card.lines] == [
        D("27.27"),  # 60 ÷ 66 × 30 = 27.2727… → 27.27
        D("16.00"),  # 0.8 × 20 = 16.00
        D("10.00"),  # on the day
        D("14.00"),  # PARTLY of 20 is [12, 16)
        D("10.00"),  # 95 ≥ 90
    ]
    # 9.00 + 27.27 + 16.00 + 10.00 + 14.00 + 10.00 = 86.27 → 良
    assert (card.total, card.grade) == (D("86.27"), "良")


def test_the_total_is_the_sum_of_the_rounded_parts() -> None:
    counted = basis(target("n1", "≥9件"), target("n2", "≥9件"), target("n3", "≥9件"))
    form = EvaluationForm(
        budget_full_year=D(3),
        budget_executed=D(1),
        lines=tuple(
            EvaluationLine(indicator_id=key, actual=v("1件"), weight=D(30), explanation="不足")
            for key in ("n1", "n2", "n3")
        ),
    )
    card = scorecard(counted, form, EvaluationRules())
    # execution: 1 ÷ 3 × 10 = 3.333… → 3.33; each line: 1 ÷ 9 × 30 = 3.333… → 3.33
    assert card.execution_score == D("3.33")
    assert [item.score for item in card.lines] == [D("3.33")] * 3
    # 3.33 × 4 = 13.32, whereas rounding the unrounded 10 ÷ 3 × 4 = 13.333… would give 13.33
    assert card.total == D("13.32")
    assert card.grade == "差"


def test_a_total_of_exactly_90_is_excellent_and_a_cent_less_is_good() -> None:
    all_met = EvaluationForm(
        budget_full_year=D(200),
        budget_executed=D(0),  # execution 0 ÷ 200 × 10 = 0.00
        lines=(
            EvaluationLine(indicator_id="o1", actual=v("66块")),
            EvaluationLine(indicator_id="o2", actual=v("5%")),
            EvaluationLine(indicator_id="d1", actual=v("2026年6月30日")),
            EvaluationLine(indicator_id="b1", band=Band.ACHIEVED, score=D(30)),
            EvaluationLine(indicator_id="s1", actual=v("90%")),
        ),
    )
    card = scorecard(BASIS, all_met, EvaluationRules())
    # 0.00 + 16.67 + 16.67 + 16.66 + 30.00 + 10.00 = 90.00 → 优
    assert (card.total, card.grade) == (D("90.00"), "优")
    assert not any(item.explanation_required for item in card.lines)
    card = scorecard(BASIS, with_line(all_met, 3, score=D("29.99")), EvaluationRules())
    # 0.00 + 16.67 + 16.67 + 16.66 + 29.99 + 10.00 = 89.99 → 良
    assert (card.total, card.grade) == (D("89.99"), "良")


def test_a_line_not_yet_filled_in_has_no_score_and_counts_nothing() -> None:
    form = replace(EVALUATION, lines=EVALUATION_LINES[:1])
    card = scorecard(BASIS, form, EvaluationRules())
    assert [item.score for item in card.lines] == [D("15.15"), None, None, None, None]
    # 9.00 + 15.15 = 24.15
    assert card.total == D("24.15")


def test_a_self_evaluation_is_one_per_table() -> None:
    evaluation = new_evaluation(None)
    assert evaluation.id == report_id(Stage.SELF_EVALUATION, TABLE_ID)
    assert evaluation.id != new_round(None, 12).id


def test_a_self_evaluation_is_submitted_and_accepted() -> None:
    evaluation = new_evaluation(None)
    assert evaluation.scorecard() is None
    evaluation.report(EVALUATION, EDITOR, None)  # version 2
    card = evaluation.scorecard()
    assert card is not None
    assert card.total == D("84.15")
    evaluation.submit(EDITOR, None)  # version 3
    assert status(evaluation) is ReportStatus.SUBMITTED
    assert evaluation.version == 3
    evaluation.accept(3, "同意", REVIEWER)
    assert status(evaluation) is ReportStatus.APPROVED
    assert applied_already(evaluation, 3, "approve") is True
    assert evaluation.decision == ReportDecision("approve", 3, REVIEWER, "同意")
    copy = replayed(evaluation)
    assert (status(copy), copy.form, copy.decision) == (
        ReportStatus.APPROVED,
        EVALUATION,
        evaluation.decision,
    )


def test_a_recheck_score_is_kept_with_its_reason_rounded_half_up() -> None:
    evaluation = submitted_evaluation()
    evaluation.set_recheck(3, D("85.555"), "满意度调查样本不足", REVIEWER)
    # 85.555 → 85.56 (half-even would give 85.56 too; 85.565 would split them)
    assert evaluation.decision == ReportDecision(
        "recheck", 3, REVIEWER, "满意度调查样本不足", D("85.56")
    )
    assert status(evaluation) is ReportStatus.APPROVED
    other = submitted_evaluation()
    other.set_recheck(3, D("85.565"), "复核", REVIEWER)
    assert other.decision is not None
    assert other.decision.score == D("85.57")  # half-up; half-even would give 85.56


def test_a_recheck_score_lies_between_0_and_100() -> None:
    for score in ("0", "100"):
        evaluation = submitted_evaluation()
        evaluation.set_recheck(3, D(score), "复核", REVIEWER)
        assert status(evaluation) is ReportStatus.APPROVED
    for score in ("-0.01", "100.01"):
        evaluation = submitted_evaluation()
        with pytest.raises(ScoringInvalid) as refused:
            evaluation.set_recheck(3, D(score), "复核", REVIEWER)
        assert refused.value.field == "score"
        assert status(evaluation) is ReportStatus.SUBMITTED


def test_a_recheck_needs_a_reason() -> None:
    evaluation = submitted_evaluation()
    with pytest.raises(ReasonRequired):
        evaluation.set_recheck(3, D(80), " ", REVIEWER)


def test_a_returned_evaluation_is_resubmitted_and_decided_on_its_new_version() -> None:
    evaluation = submitted_evaluation()  # version 3
    evaluation.return_for_changes(3, "请补充依据", {"s1": "满意度调查报告?"}, REVIEWER)
    assert status(evaluation) is ReportStatus.RETURNED
    assert evaluation.decision == ReportDecision(
        "return", 3, REVIEWER, "请补充依据", line_comments=(("s1", "满意度调查报告?"),)
    )
    evaluation.report(replace(EVALUATION, budget_executed=D(190)), EDITOR, None)  # version 5
    evaluation.submit(EDITOR, None)  # version 6
    with pytest.raises(VersionConflict):
        evaluation.accept(3, None, REVIEWER)
    with pytest.raises(VersionConflict):
        evaluation.set_recheck(3, D(80), "复核", REVIEWER)
    with pytest.raises(VersionConflict):
        evaluation.return_for_changes(3, "请修改", {}, REVIEWER)
    evaluation.accept(6, None, REVIEWER)
    assert status(evaluation) is ReportStatus.APPROVED


def test_only_a_submitted_evaluation_can_be_decided() -> None:
    draft = new_evaluation()
    with pytest.raises(TransitionRefused):
        draft.accept(draft.version, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        draft.set_recheck(draft.version, D(80), "复核", REVIEWER)
    with pytest.raises(TransitionRefused):
        draft.return_for_changes(draft.version, "请修改", {}, REVIEWER)
    accepted = submitted_evaluation()
    accepted.accept(3, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        accepted.set_recheck(3, D(80), "复核", REVIEWER)


def test_returning_an_evaluation_needs_a_reason_and_known_indicators() -> None:
    evaluation = submitted_evaluation()
    with pytest.raises(ReasonRequired):
        evaluation.return_for_changes(3, "", {}, REVIEWER)
    with pytest.raises(UnknownIndicator):
        evaluation.return_for_changes(3, "请修改", {"x9": "?"}, REVIEWER)
    assert status(evaluation) is ReportStatus.SUBMITTED


def test_a_submitted_or_decided_evaluation_cannot_be_edited() -> None:
    evaluation = submitted_evaluation()
    changed = replace(EVALUATION, budget_executed=D(190))
    with pytest.raises(ReportLocked):
        evaluation.report(changed, EDITOR, None)
    with pytest.raises(TransitionRefused):
        evaluation.submit(EDITOR, None)
    evaluation.accept(3, None, REVIEWER)
    with pytest.raises(ReportLocked):
        evaluation.report(changed, EDITOR, None)


def test_an_empty_evaluation_cannot_be_submitted() -> None:
    evaluation = new_evaluation(None)
    assert evaluation.missing() == ["the form is empty"]
    with pytest.raises(ScoringInvalid):
        evaluation.submit(EDITOR, None)


def test_an_evaluation_without_every_actual_cannot_be_submitted() -> None:
    evaluation = new_evaluation(replace(EVALUATION, lines=EVALUATION_LINES[:4]))
    with pytest.raises(ScoringInvalid) as refused:
        evaluation.submit(EDITOR, None)
    assert refused.value.field == "lines"
    assert "指标s1" in str(refused.value)
    assert status(evaluation) is ReportStatus.DRAFT


def test_a_missed_target_without_an_explanation_cannot_be_submitted() -> None:
    for explanation in (None, "  "):
        evaluation = new_evaluation(with_line(EVALUATION, 0, explanation=explanation))
        assert evaluation.missing() == ["指标o1: 偏差原因分析及改进措施 is needed"]
        with pytest.raises(ScoringInvalid, match="指标o1"):
            evaluation.submit(EDITOR, None)


def test_a_partly_achieved_qualitative_target_needs_an_explanation() -> None:
    evaluation = new_evaluation(with_line(EVALUATION, 3, explanation=None))
    assert evaluation.missing() == ["指标b1: 偏差原因分析及改进措施 is needed"]


def test_an_actual_equal_to_a_greater_than_target_needs_an_explanation_to_submit() -> None:
    strict = basis(*TARGETS[:4], target("s1", ">90%", "satisfaction"))
    met = new_evaluation(with_line(EVALUATION, 4, actual=v("90%")))
    assert met.missing() == []
    missed = new_evaluation(with_line(EVALUATION, 4, actual=v("90%")), strict)
    card = missed.scorecard()
    assert card is not None
    # > 90 with X = 90: 90 ÷ 90 × 10 = 10.00, but the target is missed
    assert card.lines[4].score == D("10.00")
    assert missed.missing() == ["指标s1: 偏差原因分析及改进措施 is needed"]


def test_an_actual_at_130_percent_needs_an_explanation_to_submit() -> None:
    # 90 × 1.3 = 117
    over = new_evaluation(with_line(EVALUATION, 4, actual=v("117%")))
    assert over.missing() == ["指标s1: 偏差原因分析及改进措施 is needed"]
    under = new_evaluation(with_line(EVALUATION, 4, actual=v("116.99%")))
    assert under.missing() == []


def refused_evaluation(form: EvaluationForm) -> ScoringInvalid:
    evaluation = new_evaluation(None)
    with pytest.raises(ScoringInvalid) as refused:
        evaluation.report(form, EDITOR, None)
    assert evaluation.version == 1  # nothing recorded
    assert evaluation.form is None
    return refused.value


def test_an_evaluation_refuses_a_line_for_an_unknown_indicator() -> None:
    evaluation = new_evaluation(None)
    unknown = EvaluationLine(indicator_id="x9", actual=v("1块"))
    with pytest.raises(UnknownIndicator):
        evaluation.report(replace(EVALUATION, lines=(*EVALUATION_LINES, unknown)), EDITOR, None)
    assert evaluation.version == 1


def test_an_evaluation_refuses_an_indicator_given_twice() -> None:
    again = EvaluationLine(indicator_id="o1", actual=v("66块"))
    refused = refused_evaluation(replace(EVALUATION, lines=(*EVALUATION_LINES, again)))
    assert refused.field == "lines.o1"


def test_weights_that_do_not_add_up_to_90_are_refused() -> None:
    for weights in (("30", "20", "10", "20", "9.99"), ("30", "20", "10", "20", "10.01")):
        form = with_line(with_weights(EVALUATION, *weights), 3, score=D(14))
        refused = refused_evaluation(form)
        assert refused.field == "lines.weight"
        assert "90" in str(refused)


def test_weights_for_some_lines_only_are_refused() -> None:
    refused = refused_evaluation(with_weights(EVALUATION, "50", None, "10", "20", "10"))
    assert refused.field == "lines.weight"
    assert "指标o2" in str(refused)


def test_a_negative_weight_is_refused() -> None:
    form = with_line(with_weights(EVALUATION, "-10", "60", "10", "20", "10"), 3, score=D(14))
    assert refused_evaluation(form).field == "lines.o1.weight"


def test_a_band_score_out_of_its_band_is_refused() -> None:
    # PARTLY of 30 is [18, 24): 24 belongs to ACHIEVED
    assert refused_evaluation(with_line(EVALUATION, 3, score=D(24))).field == "lines.b1.score"
    assert refused_evaluation(with_line(EVALUATION, 3, score=D("17.99"))).field == (
        "lines.b1.score"
    )


def test_an_actual_in_another_unit_is_refused() -> None:
    refused = refused_evaluation(with_line(EVALUATION, 0, actual=v("60件")))
    assert refused.field == "lines.o1.actual"
    assert "件" in str(refused)


def test_a_full_year_budget_of_zero_is_refused() -> None:
    assert refused_evaluation(replace(EVALUATION, budget_full_year=D(0))).field == (
        "budgetFullYear"
    )
    assert refused_evaluation(replace(EVALUATION, budget_executed=D(-1))).field == (
        "budgetExecuted"
    )


# --- reports received at the parent node -------------------------------------------------


EVALUATION_ID = report_id(Stage.SELF_EVALUATION, TABLE_ID)


def evaluation_document(version: int, form: EvaluationForm = EVALUATION) -> ReportDocument:
    return ReportDocument(
        stage=Stage.SELF_EVALUATION,
        report_id=str(EVALUATION_ID),
        version=version,
        basis=BASIS,
        evaluation_rules=EvaluationRules(),
        evaluation=form,
    )


def received_evaluation(version: int = 3) -> ReceivedReport:
    received = ReceivedReport(
        report_id=EVALUATION_ID,
        stage=Stage.SELF_EVALUATION,
        table_id=TABLE_ID,
        jurisdiction="360100",
    )
    assert received.receive(evaluation_document(version), f"event-{version}", EDITOR) is True
    return received


def received_round() -> ReceivedReport:
    round_id = report_id(Stage.MONITORING, TABLE_ID, 6)
    received = ReceivedReport(
        report_id=round_id, stage=Stage.MONITORING, table_id=TABLE_ID, jurisdiction="360100"
    )
    document = ReportDocument(
        stage=Stage.MONITORING,
        report_id=str(round_id),
        version=3,
        basis=BASIS,
        through_month=6,
        monitoring_rules=MonitoringRules(),
        monitoring=ROUND,
    )
    received.receive(document, "event-3", EDITOR)
    return received


def test_a_received_report_is_known_by_the_report_it_receives() -> None:
    received = received_evaluation()
    assert received.id == received_report_id(EVALUATION_ID)
    assert received.id != EVALUATION_ID
    assert status(received) is ReportStatus.SUBMITTED
    assert received.latest_version == 3


def test_a_received_document_scores_and_lights_by_its_own_rules() -> None:
    document = evaluation_document(3)
    card = document.scorecard()
    assert card is not None
    assert (card.total, card.grade) == (D("84.15"), "良")
    assert document.figures() is None
    received = received_round()
    assert received.document is not None
    figures = received.document.figures()
    assert figures is not None
    assert (figures.execution_rate, figures.execution_light) == (D("60.00"), Light.YELLOW)
    assert received.document.scorecard() is None


def test_a_message_received_twice_is_taken_in_once() -> None:
    received = received_evaluation()
    version = received.version
    assert received.receive(evaluation_document(3), "event-3", EDITOR) is False
    assert received.version == version
    assert len(received.received) == 1


def test_a_version_arriving_after_a_later_one_is_rejected() -> None:
    received = received_evaluation(5)
    for late in (3, 5):
        with pytest.raises(SubmissionRejected):
            received.receive(evaluation_document(late), f"other-{late}", EDITOR)
    assert received.latest_version == 5


def test_a_received_report_is_approved_on_its_latest_version() -> None:
    received = received_evaluation()
    received.approve(3, "同意", REVIEWER)
    assert status(received) is ReportStatus.APPROVED
    assert decision(received) == ReportDecision("approve", 3, REVIEWER, "同意")
    # a new version reopens it and clears the decision
    assert received.receive(evaluation_document(5), "event-5", EDITOR) is True
    assert (status(received), decision(received)) == (ReportStatus.SUBMITTED, None)
    with pytest.raises(VersionConflict):
        received.approve(3, None, REVIEWER)
    received.approve(5, None, REVIEWER)
    copy = replayed(received)
    assert [item.version for item in copy.received] == [3, 5]
    assert (status(copy), copy.decision) == (ReportStatus.APPROVED, decision(received))


def test_a_received_report_is_returned_with_a_reason_and_known_indicators() -> None:
    received = received_evaluation()
    with pytest.raises(ReasonRequired):
        received.return_for_changes(3, " ", {}, REVIEWER)
    with pytest.raises(UnknownIndicator):
        received.return_for_changes(3, "请修改", {"x9": "?"}, REVIEWER)
    received.return_for_changes(3, "请修改", {"o1": "核实"}, REVIEWER)
    assert status(received) is ReportStatus.RETURNED
    assert decision(received) == ReportDecision(
        "return", 3, REVIEWER, "请修改", line_comments=(("o1", "核实"),)
    )


def test_a_decided_received_report_cannot_be_decided_again() -> None:
    received = received_evaluation()
    received.approve(3, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        received.approve(3, None, REVIEWER)
    with pytest.raises(TransitionRefused):
        received.return_for_changes(3, "请修改", {}, REVIEWER)
    with pytest.raises(TransitionRefused):
        received.set_recheck(3, D(80), "复核", REVIEWER)


def test_a_received_self_evaluation_takes_a_recheck_score_in_range_with_a_reason() -> None:
    received = received_evaluation()
    with pytest.raises(ScoringInvalid):
        received.set_recheck(3, D("100.01"), "复核", REVIEWER)
    with pytest.raises(ScoringInvalid):
        received.set_recheck(3, D("-0.01"), "复核", REVIEWER)
    with pytest.raises(ReasonRequired):
        received.set_recheck(3, D(80), "", REVIEWER)
    with pytest.raises(VersionConflict):
        received.set_recheck(2, D(80), "复核", REVIEWER)
    received.set_recheck(3, D("88.885"), "成本指标扣分", REVIEWER)
    # 88.885 → 88.89 half-up
    assert decision(received) == ReportDecision("recheck", 3, REVIEWER, "成本指标扣分", D("88.89"))
    assert status(received) is ReportStatus.APPROVED


def test_a_received_monitoring_round_takes_no_recheck_score() -> None:
    received = received_round()
    with pytest.raises(SubmissionRejected):
        received.set_recheck(3, D(80), "复核", REVIEWER)
    received.approve(3, None, REVIEWER)
    assert status(received) is ReportStatus.APPROVED


# --- the basis: what a report is measured against ---------------------------------------


def seed_table(status: Status) -> TargetTable:
    document = seed_documents(NANCHANG, "360100")[0]
    return TargetTable(
        id=uuid4(),
        jurisdiction="360100",
        fiscal_year=2026,
        form=document.form,
        status=status,
        content=document.content,
        actor=EDITOR,
        reason="test",
    )


def test_a_report_opens_only_on_an_approved_or_adjusting_table() -> None:
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
        table = seed_table(status)
        with pytest.raises(ReportNotOpen):
            basis_of(table, table)
    table = seed_table(Status.APPROVED)
    found = basis_of(table, table)
    assert found.table_id == str(table.id)
    assert found.table_version == table.version
    assert found.budget == table.content.funds.total
    assert [item.indicator_id for item in found.targets] == [
        item.id for item in table.content.indicators
    ]
    assert found.targets[0].value == table.content.indicators[0].full_year


def test_a_report_copies_what_its_forms_print_of_the_approved_project() -> None:
    table = seed_table(Status.APPROVED)
    found = basis_of(table, table)
    content = table.content
    assert found.implementing_unit == content.project.implementing_unit != ""
    assert found.annual_goal == content.goals.annual
    assert found.annual_goal
    assert found.funds == content.funds
    assert (
        found.budget_part(("fiscal_appropriation",))
        == content.funds.sources["fiscal_appropriation"]
    )
    assert found.budget_part(("no_such_source",)) is None


def test_an_adjusting_table_is_reported_against_its_last_approved_version() -> None:
    table = seed_table(Status.DRAFT)
    table.submit(EDITOR, None)
    table.approve(table.version, None, REVIEWER)
    approved_at = table.version
    assert approved_version(table) == approved_at
    table.open_adjustment(EDITOR, "年中调整")
    assert table.version > approved_at
    # while adjusting, still the version the approval made (the same one as before adjusting)
    assert approved_version(table) == approved_at
