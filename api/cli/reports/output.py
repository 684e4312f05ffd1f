"""Reports as JSON for programs; the ``form`` is what ``set --file`` reads back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.evaluation import EvaluationForm, Scorecard
from domain.monitoring import MonitoringForm
from domain.reports import ReportDecision, Stage
from service_layer.reports import ReportView


def view_json(view: ReportView) -> dict[str, Any]:
    """A report for programs: its state, its form (as ``set --file`` reads it) and figures."""
    basis = view.basis
    found: dict[str, Any] = {
        "stage": view.stage.value,
        "reportId": str(view.report_id),
        "tableId": basis.table_id,
        "jurisdiction": basis.jurisdiction,
        "fiscalYear": basis.fiscal_year,
        "projectName": basis.project_name,
        "department": basis.department,
        "tableVersion": basis.table_version,
        "budget": _str(basis.budget),
        "throughMonth": view.through_month,
        "version": view.version,
        "status": view.status.value,
        "received": view.received,
        "missing": list(view.missing),
        "decision": _decision_json(view.decision),
    }
    if view.stage is Stage.MONITORING:
        found["form"] = None if view.monitoring is None else monitoring_form_json(view.monitoring)
        figures = view.figures
        found["figures"] = None
        if figures is not None:
            found["figures"] = {
                "executionRate": str(figures.execution_rate),
                "executionLight": figures.execution_light.value,
                "watched": figures.watched,
                "lights": {
                    line.indicator_id: None if line.light is None else line.light.value
                    for line in figures.lights
                },
            }
    else:
        found["form"] = None if view.evaluation is None else evaluation_form_json(view.evaluation)
        found["scorecard"] = _scorecard_json(view.scorecard)
    return found


def monitoring_form_json(form: MonitoringForm) -> dict[str, Any]:
    return {
        "budgetExecuted": str(form.budget_executed),
        "budgetForecast": _str(form.budget_forecast),
        "goalProgress": form.goal_progress,
        "lines": [
            {
                "indicatorId": line.indicator_id,
                "actualToDate": raw_text(line.actual_to_date),
                "yearEndForecast": raw_text(line.year_end_forecast),
                "likelihood": line.likelihood.value,
                "causes": [cause.value for cause in line.causes],
                "causeNote": line.cause_note,
                "measures": line.measures,
            }
            for line in form.lines
        ],
    }


def evaluation_form_json(form: EvaluationForm) -> dict[str, Any]:
    return {
        "budgetFullYear": str(form.budget_full_year),
        "budgetExecuted": str(form.budget_executed),
        "budgetNote": form.budget_note,
        "lines": [
            {
                "indicatorId": line.indicator_id,
                "actual": raw_text(line.actual),
                "weight": _str(line.weight),
                "band": None if line.band is None else line.band.value,
                "score": _str(line.score),
                "explanation": line.explanation,
            }
            for line in form.lines
        ],
        "conclusion": form.conclusion,
        "goalResult": form.goal_result,
        "problems": form.problems,
        "measures": form.measures,
    }


def _scorecard_json(card: Scorecard | None) -> dict[str, Any] | None:
    if card is None:
        return None
    return {
        "executionRate": str(card.execution_rate),
        "executionScore": str(card.execution_score),
        "total": str(card.total),
        "grade": card.grade,
        "lines": [
            {
                "indicatorId": line.indicator_id,
                "weight": str(line.weight),
                "score": _str(line.score),
                "band": None if line.band is None else line.band.value,
                "explanationRequired": line.explanation_required,
            }
            for line in card.lines
        ],
    }


def _decision_json(decision: ReportDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "action": decision.action,
        "version": decision.version,
        "reviewer": decision.actor.name,
        "reviewerJurisdiction": decision.actor.jurisdiction,
        "reason": decision.reason,
        "score": _str(decision.score),
        "lineComments": dict(decision.line_comments),
    }


def _str(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def raw_text(value: Any) -> str | None:
    return None if value is None else str(value.raw)
