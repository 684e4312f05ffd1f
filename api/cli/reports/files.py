"""A filled-in form from a file: a workbook in the official layout, or a JSON form.

The JSON form mirrors the API's input (``budgetExecuted``, ``lines[].indicatorId`` …) and is
read by ``service_layer.report_inputs`` as the API's is; choices may also be given in Chinese
(确定能, 经费保障, 达成). A malformed file is refused naming the file and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from api.cli.reports.common import refusal
from api.cli.reports.views import BAND_LABELS, CAUSE_LABELS, LIKELIHOOD_LABELS
from domain.errors import DomainError, InvalidEdit, UnknownIndicator
from domain.evaluation import EvaluationForm
from domain.monitoring import MonitoringForm
from domain.reports import Basis
from domain.scoring import Band, Cause, Likelihood
from infra.documents.cells import DocumentError
from infra.documents.report_sheets import read_evaluation_workbook, read_monitoring_workbook
from service_layer import report_inputs as ri
from service_layer.errors import InvalidArgument

T = TypeVar("T")
E = TypeVar("E", Likelihood, Cause, Band)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97–2003 workbook
_MONITORING_KEYS = ("budgetExecuted", "budgetForecast", "lines", "goalProgress")
_MONITORING_LINE_KEYS = (
    "indicatorId",
    "actualToDate",
    "yearEndForecast",
    "likelihood",
    "causes",
    "causeNote",
    "measures",
)
_EVALUATION_KEYS = (
    "budgetFullYear",
    "budgetExecuted",
    "budgetNote",
    "lines",
    "conclusion",
    "goalResult",
    "problems",
    "measures",
)
_EVALUATION_LINE_KEYS = ("indicatorId", "actual", "weight", "band", "score", "explanation")


@dataclass(frozen=True)
class FormFile:
    """A filled-in form as read from ``source``: a workbook (bytes) or JSON (parsed)."""

    source: str
    workbook: bytes | None
    data: Any = None


def read_form_file(file: Path) -> FormFile:
    """The file's content: a workbook (a ZIP or an OLE2 file: .xlsx, .xls, or another kind the
    workbook reader names when it refuses it) or a JSON form.

    A whole ``show --json`` output gives its ``form``, so a report printed can be edited and
    stored again.
    """
    source = str(file)
    try:
        content = file.read_bytes()
    except OSError as error:
        raise DocumentError(source, [(0, f"cannot read the file: {error.strerror}")]) from None
    if content.startswith((b"PK", _OLE2)):
        return FormFile(source, content)
    try:
        found = json.loads(content.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        message = "neither a workbook (.xlsx, .xls) nor a JSON form (UTF-8 text)"
        raise DocumentError(source, [(0, message)]) from None
    except json.JSONDecodeError as error:
        raise DocumentError(source, [(error.lineno, f"not JSON: {error.msg}")]) from None
    if isinstance(found, dict) and isinstance(found.get("form"), dict):
        found = found["form"]
    return FormFile(source, None, found)


def monitoring_form_of(file: FormFile, basis: Basis, through_month: int) -> MonitoringForm:
    """The monitoring form in ``file``; a malformed one names the file and the field."""
    if file.workbook is not None:
        return read_monitoring_workbook(file.workbook, file.source, basis, through_month)
    return _converted(file.source, lambda: ri.monitoring_form(_monitoring_entry(file.data)))


def evaluation_form_of(file: FormFile, basis: Basis) -> EvaluationForm:
    """The self-evaluation form in ``file``; a malformed one names the file and the field."""
    if file.workbook is not None:
        return read_evaluation_workbook(file.workbook, file.source, basis)
    return _converted(file.source, lambda: ri.evaluation_form(_evaluation_entry(file.data)))


def _converted(source: str, convert: Callable[[], T]) -> T:
    try:
        return convert()
    except InvalidArgument as error:
        raise DocumentError(source, [(0, refusal(error))]) from None


def _monitoring_entry(data: Any) -> ri.MonitoringEntry:
    """The JSON form as ``report_inputs`` reads it (as the API sends it), after its shape."""
    form = _object("form", data, _MONITORING_KEYS)
    lines = []
    for index, item in enumerate(_list("lines", form.get("lines"))):
        where = f"lines[{index}]"
        line = _object(where, item, _MONITORING_LINE_KEYS)
        causes = _list(f"{where}.causes", line.get("causes"))
        lines.append(
            ri.MonitoringLineEntry(
                indicator_id=_required(f"{where}.indicatorId", line.get("indicatorId")),
                actual_to_date=_scalar(f"{where}.actualToDate", line.get("actualToDate")),
                year_end_forecast=_scalar(f"{where}.yearEndForecast", line.get("yearEndForecast")),
                likelihood=_named(f"{where}.likelihood", line.get("likelihood"), LIKELIHOOD_LABELS),
                causes=[
                    _required(
                        f"{where}.causes[{at}]",
                        _named(f"{where}.causes[{at}]", cause, CAUSE_LABELS),
                    )
                    for at, cause in enumerate(causes)
                ],
                cause_note=_text(f"{where}.causeNote", line.get("causeNote")),
                measures=_text(f"{where}.measures", line.get("measures")),
            )
        )
    return ri.MonitoringEntry(
        budget_executed=_required("budgetExecuted", form.get("budgetExecuted")),
        budget_forecast=_scalar("budgetForecast", form.get("budgetForecast")),
        lines=lines,
        goal_progress=_text("goalProgress", form.get("goalProgress")),
    )


def _evaluation_entry(data: Any) -> ri.EvaluationEntry:
    form = _object("form", data, _EVALUATION_KEYS)
    lines = []
    for index, item in enumerate(_list("lines", form.get("lines"))):
        where = f"lines[{index}]"
        line = _object(where, item, _EVALUATION_LINE_KEYS)
        lines.append(
            ri.EvaluationLineEntry(
                indicator_id=_required(f"{where}.indicatorId", line.get("indicatorId")),
                actual=_scalar(f"{where}.actual", line.get("actual")),
                weight=_scalar(f"{where}.weight", line.get("weight")),
                band=_named(f"{where}.band", line.get("band"), BAND_LABELS),
                score=_scalar(f"{where}.score", line.get("score")),
                explanation=_text(f"{where}.explanation", line.get("explanation")),
            )
        )
    return ri.EvaluationEntry(
        budget_full_year=_required("budgetFullYear", form.get("budgetFullYear")),
        budget_executed=_required("budgetExecuted", form.get("budgetExecuted")),
        budget_note=_text("budgetNote", form.get("budgetNote")),
        lines=lines,
        conclusion=_text("conclusion", form.get("conclusion")),
        problems=_text("problems", form.get("problems")),
        measures=_text("measures", form.get("measures")),
        goal_result=_text("goalResult", form.get("goalResult")),
    )


def _object(field: str, data: Any, keys: Sequence[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidArgument(field, f"expected an object with {', '.join(keys)}")
    unknown = [key for key in data if key not in keys]
    if unknown:
        where = str(unknown[0]) if field == "form" else f"{field}.{unknown[0]}"
        raise InvalidArgument(where, f"unknown key; expected one of {', '.join(keys)}")
    return data


def _list(field: str, data: Any) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise InvalidArgument(field, "expected a list")
    return data


def _text(field: str, data: Any) -> str | None:
    if data is None or isinstance(data, str):
        return data
    raise InvalidArgument(field, "expected text")


def _scalar(field: str, data: Any) -> str | None:
    """Text, or a JSON number as it was written (read as a Decimal, never a float)."""
    if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
        return str(data)
    if data is None or isinstance(data, str):
        return data
    raise InvalidArgument(field, "expected a number or text")


def _required(field: str, data: Any) -> str:
    text = _scalar(field, data)
    if text is None or not text.strip():
        raise InvalidArgument(field, "cannot be empty")
    return text


def _named(field: str, data: Any, labels: Mapping[E, str]) -> str | None:
    """A choice as ``report_inputs`` reads it (CERTAIN), also when given in Chinese (确定能)."""
    text = _text(field, data)
    if text is None:
        return None
    named = {label: choice.name for choice, label in labels.items()}
    return named.get(text.strip(), text)


def name_lines(error: DomainError, indicators: Sequence[str]) -> None:
    """Name a domain refusal about one line by its place in the JSON form (``lines[3].causes``,
    not ``lines.<indicator>.causes``), as the API does."""
    if isinstance(error, UnknownIndicator):
        error.field = ri.unknown_indicator_field("lines", error.indicator_id, indicators)
    elif isinstance(error, InvalidEdit):
        error.field = ri.located(error.field, "lines", indicators)
