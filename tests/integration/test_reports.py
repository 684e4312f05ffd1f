"""Monitoring rounds and self-evaluations between a city and its province, through the use
cases and the relay's own messages (the broker round trip is in tests/e2e/test_reports_sync.py).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from domain.errors import Forbidden, VersionConflict
from domain.evaluation import EvaluationForm, EvaluationLine
from domain.monitoring import MonitoringForm, MonitoringLine
from domain.reports import ReportNotOpen, ReportStatus, Stage
from domain.scoring import Band, Cause, Light, Likelihood, MonitoringRules, ScoringInvalid
from domain.values import ValueKind, parse_value
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument
from service_layer.messages import inbox_topic
from service_layer.reports import Reports, UnknownReport
from service_layer.sync import Outcome
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.integration.test_use_cases import (
    AUDITOR,
    CITY_REVIEWER,
    EDITOR,
    REVIEWER,
    SIBLING_EDITOR,
)
from tests.support.wire import Wire, relay_all

_WIRES: dict[tuple[str, str], Wire] = {}


def approved_table(services_factory: ServicesFactory) -> tuple[NodeServices, NodeServices, UUID]:
    """Nanchang's first seed table, submitted and approved at the province."""
    _WIRES.clear()
    province = services_factory("360000", store="p")
    city = services_factory("360100", store="c")
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = next(iter(city.app.table_ids()))
    city.workflow.submit(EDITOR, table_id, 1, "请审核")
    carry(city, province)
    province.workflow.approve(REVIEWER, table_id, 2, "同意")
    carry(province, city)
    assert city.app.table(table_id).status.value == "approved"
    return province, city, table_id


def carry(source: NodeServices, to: NodeServices) -> list[Outcome]:
    """Everything ``source``'s relay publishes, delivered to ``to`` as one partition would."""
    wire = _WIRES.setdefault((source.place.code, to.place.code), Wire())
    return [wire.deliver(to, topic, key, value) for topic, key, value in relay_all(source)]


def monitoring_form(city: NodeServices, table_id: UUID, executed: str) -> MonitoringForm:
    """Every indicator reported as certain to meet its target (its target as the forecast)."""
    table = city.app.table(table_id)
    lines = tuple(
        MonitoringLine(
            indicator_id=item.id,
            actual_to_date=item.full_year,
            year_end_forecast=item.full_year,
            likelihood=Likelihood.CERTAIN,
        )
        for item in table.content.indicators
    )
    return MonitoringForm(budget_executed=Decimal(executed), lines=lines)


def evaluation_form(city: NodeServices, table_id: UUID) -> EvaluationForm:
    """Every target reached exactly (qualitative ones 达成 at full weight), default weights."""
    table = city.app.table(table_id)
    lines = []
    for item in table.content.indicators:
        if item.full_year.kind is ValueKind.TEXT:
            lines.append(EvaluationLine(indicator_id=item.id, band=Band.ACHIEVED, score=None))
        else:
            lines.append(EvaluationLine(indicator_id=item.id, actual=item.full_year))
    assert table.content.funds.total is not None
    total = table.content.funds.total
    return EvaluationForm(budget_full_year=total, budget_executed=total, lines=tuple(lines))


def test_a_monitoring_round_goes_up_and_its_approval_comes_down(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = approved_table(services_factory)
    budget = city.app.table(table_id).content.funds.total
    assert budget is not None
    half = str(budget / 2)
    saved = city.reports.set_monitoring(
        EDITOR, table_id, 6, 0, monitoring_form(city, table_id, half), "半年监控"
    )
    view = saved.view
    assert (view.version, view.status, view.through_month) == (2, ReportStatus.DRAFT, 6)
    assert view.figures is not None
    # half the budget spent by the end of June: (½ ÷ 1) ÷ (6 ÷ 12) × 100 = 100
    assert (view.figures.execution_rate, view.figures.execution_light) == (
        Decimal("100.00"),
        Light.GREEN,
    )
    assert {line.light for line in view.figures.lights} == {Light.GREEN}

    submitted = city.reports.submit(EDITOR, Stage.MONITORING, table_id, 6, 2)
    assert submitted.view.status is ReportStatus.SUBMITTED
    assert carry(city, province) == [Outcome.APPLIED]
    at_province = province.reports.report(REVIEWER, Stage.MONITORING, table_id, 6)
    assert (at_province.received, at_province.version) == (True, 3)
    assert at_province.figures == view.figures  # the parent reads the same lights

    before = province.relay.position()
    province.reports.decide(REVIEWER, Stage.MONITORING, table_id, 6, "approve", 3, "按序时推进")
    [(topic, _, _)] = relay_all(province)
    assert topic == inbox_topic("360100")
    province.relay.rewind(before)  # the relay sends again; the city applies it once
    assert carry(province, city) == [Outcome.APPLIED]
    province.relay.rewind(before)
    assert carry(province, city) == [Outcome.DUPLICATE]
    own = city.reports.report(EDITOR, Stage.MONITORING, table_id, 6)
    assert own.status is ReportStatus.APPROVED
    assert own.decision is not None
    assert (own.decision.action, own.decision.actor.name, own.decision.reason) == (
        "approve",
        REVIEWER.name,
        "按序时推进",
    )


def test_a_self_evaluation_is_rechecked_above_and_both_scores_are_kept(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = approved_table(services_factory)
    saved = city.reports.set_self_evaluation(
        EDITOR, table_id, 0, evaluation_form(city, table_id), "年度自评"
    )
    card = saved.view.scorecard
    assert card is not None
    assert (card.execution_score, card.total, card.grade) == (
        Decimal("10.00"),
        Decimal("100.00"),
        "优",
    )
    city.reports.submit(EDITOR, Stage.SELF_EVALUATION, table_id, None, saved.view.version)
    [(topic, _, _)] = relay_all(city)
    assert topic == inbox_topic("360000")
    city.relay.rewind(0)  # everything again: the table's submission is absorbed as a repeat
    assert carry(city, province) == [Outcome.DUPLICATE, Outcome.APPLIED]

    with pytest.raises(Forbidden):
        province.reports.decide(EDITOR, Stage.SELF_EVALUATION, table_id, None, "approve", 3)
    province.reports.decide(
        REVIEWER,
        Stage.SELF_EVALUATION,
        table_id,
        None,
        "recheck",
        3,
        "满意度调查样本不足，复核扣分",
        score=Decimal("88.5"),
    )
    assert carry(province, city) == [Outcome.APPLIED]
    own = city.reports.report(EDITOR, Stage.SELF_EVALUATION, table_id)
    assert own.status is ReportStatus.APPROVED
    assert own.scorecard is not None
    assert own.scorecard.total == Decimal("100.00")  # the bureau's own score stays
    assert own.decision is not None
    assert (own.decision.action, own.decision.score) == ("recheck", Decimal("88.50"))
    above = province.reports.report(REVIEWER, Stage.SELF_EVALUATION, table_id)
    assert above.decision is not None
    assert above.decision.score == Decimal("88.50")


def test_a_returned_round_is_filled_in_again_and_resubmitted(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = approved_table(services_factory)
    table = city.app.table(table_id)
    first = table.content.indicators[0]
    form = monitoring_form(city, table_id, "1")
    city.reports.set_monitoring(EDITOR, table_id, 7, 0, form)
    city.reports.submit(EDITOR, Stage.MONITORING, table_id, 7, 2)
    carry(city, province)
    province.reports.decide(
        REVIEWER,
        Stage.MONITORING,
        table_id,
        7,
        "return",
        3,
        "执行率过低，请说明",
        line_comments={first.id: "请核实"},
    )
    carry(province, city)
    returned = city.reports.report(EDITOR, Stage.MONITORING, table_id, 7)
    assert returned.status is ReportStatus.RETURNED
    assert returned.decision is not None
    assert dict(returned.decision.line_comments) == {first.id: "请核实"}
    lines = (
        MonitoringLine(
            indicator_id=first.id,
            actual_to_date=first.full_year,
            year_end_forecast=first.full_year,
            likelihood=Likelihood.POSSIBLE,
            causes=(Cause.FUNDING, Cause.OTHER),
            cause_note="资金下达晚",
            measures="加快支付进度",
        ),
        *form.lines[1:],
    )
    again = city.reports.set_monitoring(
        EDITOR, table_id, 7, 4, MonitoringForm(budget_executed=Decimal(1), lines=lines)
    )
    assert again.view.figures is not None
    assert again.view.figures.lights[0].light is Light.YELLOW
    city.reports.submit(EDITOR, Stage.MONITORING, table_id, 7, 5)
    assert carry(city, province) == [Outcome.APPLIED]
    assert province.reports.report(REVIEWER, Stage.MONITORING, table_id, 7).version == 6


def test_reports_refuse_what_the_rules_do_not_allow_and_store_nothing(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = approved_table(services_factory)
    draft = next(item for item in city.app.table_ids() if item != table_id)
    with pytest.raises(ReportNotOpen):
        city.reports.set_monitoring(EDITOR, draft, 6, 0, monitoring_form(city, draft, "1"))
    with pytest.raises(ScoringInvalid, match="1 to 12"):
        city.reports.set_monitoring(EDITOR, table_id, 13, 0, monitoring_form(city, table_id, "1"))
    with pytest.raises(Forbidden):
        city.reports.set_monitoring(
            SIBLING_EDITOR, table_id, 6, 0, monitoring_form(city, table_id, "1")
        )
    first = city.app.table(table_id).content.indicators[0]
    doubtful = MonitoringLine(indicator_id=first.id, likelihood=Likelihood.IMPOSSIBLE)
    with pytest.raises(ScoringInvalid, match="纠偏措施"):
        city.reports.set_monitoring(
            EDITOR, table_id, 6, 0, MonitoringForm(budget_executed=Decimal(1), lines=(doubtful,))
        )
    city.reports.set_monitoring(EDITOR, table_id, 6, 0, MonitoringForm(budget_executed=Decimal(1)))
    with pytest.raises(VersionConflict):
        city.reports.set_monitoring(EDITOR, table_id, 6, 0, monitoring_form(city, table_id, "2"))
    with pytest.raises(ScoringInvalid, match="not complete"):
        city.reports.submit(EDITOR, Stage.MONITORING, table_id, 6, 2)
    with pytest.raises(Forbidden):  # a city's own reviewers do not decide its reports
        city.reports.decide(CITY_REVIEWER, Stage.MONITORING, table_id, 6, "approve", 2)
    wrong_unit = EvaluationLine(indicator_id=first.id, actual=parse_value("12亿"))
    with pytest.raises(ScoringInvalid, match="亿"):
        city.reports.set_self_evaluation(
            EDITOR,
            table_id,
            0,
            EvaluationForm(
                budget_full_year=Decimal(10), budget_executed=Decimal(9), lines=(wrong_unit,)
            ),
        )
    own = city.reports.report(EDITOR, Stage.MONITORING, table_id, 6)
    assert (own.version, own.status) == (2, ReportStatus.DRAFT)
    with pytest.raises(UnknownReport):  # nothing was submitted, so nothing is at the province
        province.reports.decide(REVIEWER, Stage.MONITORING, table_id, 6, "approve", 2)


def test_the_history_of_a_round_names_who_reported_each_figure_and_who_decided(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = approved_table(services_factory)
    first = city.app.table(table_id).content.indicators[0]
    form = monitoring_form(city, table_id, "30")
    city.reports.set_monitoring(EDITOR, table_id, 6, 0, form, "初报")
    changed = MonitoringForm(
        budget_executed=Decimal("35.5"), budget_forecast=Decimal(78), lines=form.lines
    )
    city.reports.set_monitoring(EDITOR, table_id, 6, 2, changed, "补录支付")
    city.reports.submit(EDITOR, Stage.MONITORING, table_id, 6, 3)
    carry(city, province)
    province.reports.decide(REVIEWER, Stage.MONITORING, table_id, 6, "approve", 4, "同意")
    carry(province, city)

    timeline = city.report_history.timeline(AUDITOR, Stage.MONITORING, table_id, 6)
    assert [entry.event_type for entry in timeline] == [
        "Opened",
        "Reported",
        "Reported",
        "Submitted",
        "Approved",
    ]
    third = timeline[2]
    assert (third.actor, third.reason) == (EDITOR, "补录支付")
    assert [(c.path, c.before, c.after) for c in third.changes] == [
        ("budget.executed", "30", "35.5"),
        ("budget.forecast", None, "78"),
    ]
    assert timeline[4].actor == REVIEWER
    diff = city.report_history.diff(AUDITOR, Stage.MONITORING, table_id, 6, 2, 5)
    assert ("status", "draft", "approved") in [(c.path, c.before, c.after) for c in diff]
    blame = {
        line.path: line
        for line in city.report_history.blame(AUDITOR, Stage.MONITORING, table_id, 6)
    }
    assert blame["budget.executed"].entry.version == 3
    assert blame[f"lines.{first.id}.actual_to_date"].entry.version == 2
    assert blame["review.reason"].entry.actor == REVIEWER
    with pytest.raises(Forbidden):  # diff and blame are for auditors
        city.report_history.blame(EDITOR, Stage.MONITORING, table_id, 6)
    with pytest.raises(InvalidArgument):
        city.report_history.diff(AUDITOR, Stage.MONITORING, table_id, 6, 1, 9)

    above = province.report_history.timeline(REVIEWER, Stage.MONITORING, table_id, 6)
    assert [entry.event_type for entry in above] == ["Opened", "SubmissionReceived", "Approved"]
    assert above[1].actor == EDITOR  # who submitted it at the city


def test_the_watch_list_follows_the_jurisdictions_rule(services_factory: ServicesFactory) -> None:
    _province, city, table_id = approved_table(services_factory)
    # 7.8 of 78 万元 by the end of June: (7.8 ÷ 78) ÷ (6 ÷ 12) × 100 = 20.00, red
    city.reports.set_monitoring(EDITOR, table_id, 6, 0, monitoring_form(city, table_id, "7.8"))
    assert city.reports.watched(EDITOR, None) == []  # 78 万元 is below the default 200 万元
    # A province that watches from 50 万元: each round keeps the rule it was opened under.
    lenient = Reports(city.app, city.gate, MonitoringRules(watch_budget_from=Decimal(50)))
    lenient.set_monitoring(EDITOR, table_id, 8, 0, monitoring_form(city, table_id, "7.8"))
    # 39 by the end of September: (39 ÷ 78) ÷ (9 ÷ 12) × 100 = 66.67, yellow: not watched
    lenient.set_monitoring(EDITOR, table_id, 9, 0, monitoring_form(city, table_id, "39"))
    [watched] = lenient.watched(EDITOR, None)
    assert (watched.through_month, watched.figures is not None) == (8, True)
    assert lenient.watched(EDITOR, 9) == []
    assert [view.through_month for view in city.reports.rounds_of(EDITOR, table_id)] == [6, 8, 9]
