"""Issue 25, point 1: amounts and indicator numbers keep to the domain's plausible range, so
every figure a report computes from them fits the decimal context; what does not is refused,
naming the field, before anything is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.document import impossible_values
from domain.errors import InvalidEdit, OutOfRange, SubmissionRejected
from domain.evaluation import EvaluationForm, EvaluationLine, SelfEvaluation
from domain.model import Actor, Expenditure, Period, Role, Status
from domain.monitoring import MonitoringForm, MonitoringLine, MonitoringRound
from domain.received_report import ReceivedReport, ReportDocument
from domain.reports import Stage
from domain.scoring import EvaluationRules, MonitoringRules
from domain.table import TargetTable
from domain.values import amount_problem, parse_value, value_problem
from tests.conftest import NANCHANG, seed_documents
from tests.support.reports import NINES, basis, target

EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")
BASIS = basis(target("o1", "≥66块"), target("c1", "≤80万元", level1_code="cost"))


def test_the_amount_rule_allows_12_integer_digits_and_6_decimals_of_wan_yuan() -> None:
    for plausible in ("0", "36.20", "999999999999.999999", "0.000001"):
        assert amount_problem(Decimal(plausible)) is None, plausible
    for impossible in ("9" * 32, "1000000000000", "0.0000001", "1E+13"):
        problem = amount_problem(Decimal(impossible))
        assert "超出金额（万元）的范围" in (problem or ""), impossible


def test_an_indicator_number_beyond_15_digits_is_not_a_value() -> None:
    assert value_problem("≥999999999999999块") is None
    problem = value_problem("≥" + "9" * 32 + "块")
    assert "超出指标值的数的范围" in (problem or "")


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (MonitoringForm(budget_executed=NINES), "budgetExecuted"),
        (MonitoringForm(budget_executed=Decimal(1), budget_forecast=NINES), "budgetForecast"),
    ],
)
def test_a_monitoring_form_of_32_nines_is_refused_naming_the_field(
    form: MonitoringForm, field: str
) -> None:
    report = MonitoringRound.open(BASIS, 6, MonitoringRules(), EDITOR)
    with pytest.raises(OutOfRange) as refused:
        report.report(form, EDITOR, None)
    assert refused.value.field == field
    assert report.version == 1  # nothing recorded beyond the opening


def test_a_monitoring_line_of_32_nines_is_refused_naming_the_line() -> None:
    report = MonitoringRound.open(BASIS, 6, MonitoringRules(), EDITOR)
    line = MonitoringLine(indicator_id="o1", year_end_forecast=parse_value("9" * 32 + "块"))
    with pytest.raises(OutOfRange) as refused:
        report.report(MonitoringForm(budget_executed=Decimal(1), lines=(line,)), EDITOR, None)
    assert refused.value.field == "lines.o1.yearEndForecast"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (EvaluationForm(budget_full_year=NINES, budget_executed=Decimal(1)), "budgetFullYear"),
        (EvaluationForm(budget_full_year=Decimal(1), budget_executed=NINES), "budgetExecuted"),
        (
            EvaluationForm(
                budget_full_year=Decimal(1),
                budget_executed=Decimal(1),
                lines=(EvaluationLine(indicator_id="o1", actual=parse_value("9" * 32 + "块")),),
            ),
            "lines.o1.actual",
        ),
        (
            EvaluationForm(
                budget_full_year=Decimal(1),
                budget_executed=Decimal(1),
                lines=(EvaluationLine(indicator_id="o1", weight=NINES),),
            ),
            "lines.o1.weight",
        ),
    ],
)
def test_a_self_evaluation_of_32_nines_is_an_invalid_edit_not_a_decimal_error(
    form: EvaluationForm, field: str
) -> None:
    evaluation = SelfEvaluation.open(BASIS, EvaluationRules(), EDITOR)
    with pytest.raises(InvalidEdit) as refused:
        evaluation.report(form, EDITOR, None)
    assert refused.value.field == field
    assert evaluation.form is None


def test_a_qualitative_score_of_32_nines_is_refused_naming_it() -> None:
    qualitative = basis(target("q1", "规范"))
    evaluation = SelfEvaluation.open(qualitative, EvaluationRules(), EDITOR)
    line = EvaluationLine(indicator_id="q1", band=None, score=NINES)
    form = EvaluationForm(budget_full_year=Decimal(1), budget_executed=Decimal(1), lines=(line,))
    with pytest.raises(InvalidEdit) as refused:
        evaluation.report(form, EDITOR, None)
    assert refused.value.field == "lines.q1.score"


def _table() -> TargetTable:
    document = seed_documents(NANCHANG, "360100")[0]
    return TargetTable(
        id=uuid4(),
        jurisdiction="360100",
        fiscal_year=2026,
        form=document.form,
        status=Status.DRAFT,
        content=document.content,
        actor=EDITOR,
        reason="test",
    )


def test_a_table_refuses_32_nines_in_its_funds_lines_and_indicators() -> None:
    table = _table()
    edits: list[tuple[str, Callable[[], None]]] = [
        ("amount", lambda: table.set_fund_total(NINES, EDITOR, None)),
        ("amount", lambda: table.set_fund_source("general_public_budget", NINES, EDITOR, None)),
        (
            "line.fullYear",
            lambda: table.set_expenditure(
                0, Expenditure(name="购置", full_year=NINES), EDITOR, None
            ),
        ),
        (
            "value",
            lambda: table.set_indicator_value(
                table.content.indicators[0].id,
                Period.FULL_YEAR,
                parse_value("≥" + "9" * 32 + "块"),
                EDITOR,
                None,
            ),
        ),
    ]
    for field, edit in edits:
        with pytest.raises(OutOfRange) as refused:
            edit()
        assert refused.value.field == field
    assert table.version == 1


def test_a_table_document_with_an_impossible_amount_or_number_is_refused_naming_it() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    for amount in ("9" * 32, "1000000000000", "0.0000001"):
        bad = replace(document, funds=replace(document.funds, total=Decimal(amount)))
        assert [path for path, _ in impossible_values(bad)] == ["funds.total"]
    first = document.indicators[0]
    huge = replace(first, full_year=parse_value("9" * 32 + "块"))
    bad = replace(document, indicators=(huge, *document.indicators[1:]))
    assert [path for path, _ in impossible_values(bad)] == [f"indicators[{first.id}].full_year"]


def test_a_received_report_of_32_nines_is_rejected_and_nothing_is_kept() -> None:
    document = ReportDocument(
        stage=Stage.MONITORING,
        report_id=str(UUID(int=7)),
        version=2,
        basis=BASIS,
        through_month=6,
        monitoring_rules=MonitoringRules(),
        monitoring=MonitoringForm(budget_executed=NINES),
    )
    received = ReceivedReport(
        report_id=UUID(int=7), stage=Stage.MONITORING, table_id=UUID(int=8), jurisdiction="360100"
    )
    with pytest.raises(SubmissionRejected, match="budgetExecuted"):
        received.receive(document, "e-1", EDITOR)
    assert received.document is None


def test_the_extremes_of_the_bounds_still_compute_every_figure() -> None:
    """The largest amount over the smallest budget, and the largest number over the smallest
    target, in both reports: every rate, ratio and score fits the decimal context."""
    largest, smallest = "999999999999.999999", "0.000001"
    extreme = basis(
        target("o1", f"≥{smallest}块"),
        target("c1", f"≤{smallest}万元", level1_code="cost"),
        budget=smallest,
    )
    huge = parse_value("999999999999999.999999块")
    round_ = MonitoringRound.open(extreme, 1, MonitoringRules(), EDITOR)
    line = MonitoringLine(indicator_id="o1", actual_to_date=huge, year_end_forecast=huge)
    round_.report(MonitoringForm(budget_executed=Decimal(largest), lines=(line,)), EDITOR, None)
    assert round_.figures().execution_rate > 0
    evaluation = SelfEvaluation.open(extreme, EvaluationRules(), EDITOR)
    lines = (
        EvaluationLine(indicator_id="o1", actual=huge),
        EvaluationLine(indicator_id="c1", actual=parse_value(f"{largest}万元"), explanation="超支"),
    )
    form = EvaluationForm(
        budget_full_year=Decimal(smallest),
        budget_executed=Decimal(largest),
        lines=lines,
    )
    evaluation.report(form, EDITOR, None)
    card = evaluation.scorecard()
    assert card is not None
    assert card.execution_rate > 0
