"""Issue 25, point 14: the edges of self-evaluation scoring, each a named rule.

- a line of weight 0 scores 0 in any band (``band_range``);
- weights and scores are written to the cent (``POINTS``), so weights add up exactly and a
  form that meets every target totals the full score;
- a negative actual against a ceiling of zero or more is refused (``check_actual_sign``);
- 全年预算数 A is the approved budget unless a reason says why not (``check_budget_note``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidEdit
from domain.evaluation import EvaluationForm, EvaluationLine, SelfEvaluation
from domain.model import Actor, Role
from domain.monitoring import MonitoringForm, MonitoringLine, MonitoringRound
from domain.scoring import Band, EvaluationRules, MonitoringRules, ScoringInvalid, band_range
from domain.values import parse_value
from service_layer.report_views import document_of_report, view_of
from tests.support.reports import basis, target

D = Decimal
EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="360100")
TEN = basis(*(target(f"n{index}", "≥10件") for index in range(10)), budget="100")


def _evaluation(form: EvaluationForm) -> SelfEvaluation:
    """A self-evaluation of the ten-target table, with ``form`` stored."""
    evaluation = SelfEvaluation.open(TEN, EvaluationRules(), EDITOR)
    evaluation.report(form, EDITOR, None)
    return evaluation


def _all_met(weights: list[str], budget: str = "100") -> EvaluationForm:
    lines = tuple(
        EvaluationLine(indicator_id=f"n{index}", actual=parse_value("10件"), weight=D(weight))
        for index, weight in enumerate(weights)
    )
    return EvaluationForm(budget_full_year=D(budget), budget_executed=D(budget), lines=lines)


def test_a_weight_0_qualitative_line_can_be_not_achieved_and_scores_0() -> None:
    for band in Band:
        assert band_range(band, D(0), EvaluationRules()) == (D(0), D(0), True)
    qualitative = basis(target("q1", "规范"), target("n1", "≥10件"))
    evaluation = SelfEvaluation.open(qualitative, EvaluationRules(), EDITOR)
    lines = (
        EvaluationLine(indicator_id="q1", weight=D(0), band=Band.NOT_ACHIEVED, score=D(0)),
        EvaluationLine(indicator_id="n1", weight=D(90), actual=parse_value("10件")),
    )
    evaluation.report(
        EvaluationForm(budget_full_year=D(100), budget_executed=D(100), lines=lines), EDITOR, None
    )
    card = evaluation.scorecard()
    assert card is not None
    assert [(line.band, line.score) for line in card.lines] == [
        (Band.NOT_ACHIEVED, D("0.00")),
        (None, D("90.00")),
    ]
    assert card.total == D("100.00")


def test_weights_of_a_thousandth_are_refused_naming_the_weight() -> None:
    # 89.991 + 9 × 0.001 = 90, yet each 0.001 line would score 0.00: every target met, 99.99.
    evaluation = SelfEvaluation.open(TEN, EvaluationRules(), EDITOR)
    with pytest.raises(ScoringInvalid) as refused:
        evaluation.report(_all_met(["89.991"] + ["0.001"] * 9), EDITOR, None)
    assert refused.value.field == "lines.n0.weight"
    assert evaluation.form is None


def test_weights_to_the_cent_with_every_target_met_total_the_full_score() -> None:
    card = _evaluation(_all_met(["89.91"] + ["0.01"] * 9)).scorecard()
    assert card is not None
    assert card.total == D("100.00")


def test_weights_that_differ_from_90_by_1e_29_are_refused() -> None:
    evaluation = SelfEvaluation.open(TEN, EvaluationRules(), EDITOR)
    weights = ["45", "45." + "0" * 28 + "1"] + ["0"] * 8
    with pytest.raises(ScoringInvalid) as refused:
        evaluation.report(_all_met(weights), EDITOR, None)
    assert refused.value.field == "lines.n1.weight"


COST = basis(target("c1", "≤80万元", level1_code="cost"), target("z1", "=0起"))


@pytest.mark.parametrize(("indicator", "actual"), [("c1", "-5万元"), ("z1", "-1起")])
def test_a_negative_actual_against_a_ceiling_is_refused(indicator: str, actual: str) -> None:
    evaluation = SelfEvaluation.open(COST, EvaluationRules(), EDITOR)
    line = EvaluationLine(indicator_id=indicator, actual=parse_value(actual))
    form = EvaluationForm(budget_full_year=D(100), budget_executed=D(100), lines=(line,))
    with pytest.raises(ScoringInvalid) as refused:
        evaluation.report(form, EDITOR, None)
    assert refused.value.field == f"lines.{indicator}.actual"
    monitoring = MonitoringRound.open(COST, 6, MonitoringRules(), EDITOR)
    forecast = MonitoringLine(indicator_id=indicator, year_end_forecast=parse_value(actual))
    with pytest.raises(ScoringInvalid) as refused:
        monitoring.report(MonitoringForm(budget_executed=D(1), lines=(forecast,)), EDITOR, None)
    assert refused.value.field == f"lines.{indicator}.yearEndForecast"


def test_a_negative_actual_against_a_target_to_reach_is_a_miss_not_a_refusal() -> None:
    growth = basis(target("g1", "≥5%"))
    evaluation = SelfEvaluation.open(growth, EvaluationRules(), EDITOR)
    line = EvaluationLine(indicator_id="g1", actual=parse_value("-2%"), explanation="需求下降")
    evaluation.report(
        EvaluationForm(budget_full_year=D(100), budget_executed=D(100), lines=(line,)), EDITOR, None
    )
    card = evaluation.scorecard()
    assert card is not None
    assert card.lines[0].score == D("0.00")


def test_a_budget_other_than_the_approved_one_needs_a_reason_the_reviewer_reads() -> None:
    # A = B = 1 against an approved 100 万元 would score the execution weight in full.
    evaluation = SelfEvaluation.open(TEN, EvaluationRules(), EDITOR)
    with pytest.raises(InvalidEdit) as refused:
        evaluation.report(_all_met(["9"] * 10, budget="1"), EDITOR, None)
    assert refused.value.field == "budgetNote"
    assert evaluation.form is None
    noted = EvaluationForm(
        budget_full_year=D(1),
        budget_executed=D(1),
        budget_note="年中调减预算",
        lines=_all_met(["9"] * 10).lines,
    )
    evaluation.report(noted, EDITOR, None)
    assert view_of(evaluation).evaluation == noted
    travelling = document_of_report(evaluation).evaluation
    assert travelling is not None
    assert travelling.budget_note == "年中调减预算"  # what the reviewer above reads


def test_the_approved_budget_as_a_needs_no_reason() -> None:
    card = _evaluation(_all_met(["9"] * 10, budget="100.00")).scorecard()
    assert card is not None
    assert card.execution_score == D("10.00")
