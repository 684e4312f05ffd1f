"""The table document: one versioned shape for export, import, GraphQL and Kafka."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal

from domain import vocabulary
from domain.findings import Finding, check_table
from domain.model import (
    EmptyCategory,
    Expenditure,
    Form,
    Funds,
    Goals,
    Indicator,
    Project,
    Status,
    TableContent,
    indicator_id_problem,
)
from domain.table import TargetTable
from domain.values import amount_problem, number_problem

SCHEMA_VERSION = 1
# The fiscal years a table can be for: anything else is a typing slip, not a budget.
FISCAL_YEARS = range(2000, 2101)


@dataclass(frozen=True, kw_only=True)
class TableDocument:
    schema: int = SCHEMA_VERSION
    id: str | None = None
    jurisdiction: str
    fiscal_year: int
    form: Form
    status: Status = Status.DRAFT
    version: int | None = None
    project: Project
    funds: Funds
    expenditures: tuple[Expenditure, ...] = ()
    goals: Goals = field(default_factory=Goals)
    indicators: tuple[Indicator, ...]
    empty_categories: tuple[EmptyCategory, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def content(self) -> TableContent:
        return TableContent(
            project=self.project,
            funds=self.funds,
            expenditures=self.expenditures,
            goals=self.goals,
            indicators=self.indicators,
            empty_categories=self.empty_categories,
        )


def document_of(table: TargetTable) -> TableDocument:
    return document_for(
        str(table.id),
        table.jurisdiction,
        table.fiscal_year,
        table.form,
        table.status,
        table.version,
        table.content,
    )


def document_for(
    table_id: str,
    jurisdiction: str,
    fiscal_year: int,
    form: Form,
    status: Status,
    version: int | None,
    content: TableContent,
) -> TableDocument:
    """The document of a table in a given state, with the findings of that content."""
    parts = {item.name: getattr(content, item.name) for item in fields(TableContent)}
    return TableDocument(
        id=table_id,
        jurisdiction=jurisdiction,
        fiscal_year=fiscal_year,
        form=form,
        status=status,
        version=version,
        findings=tuple(check_table(form, content)),
        **parts,
    )


def impossible_values(document: TableDocument) -> list[tuple[str, str]]:
    """What no table can say, as (field, why) pairs: a fiscal year outside ``FISCAL_YEARS``,
    an amount below zero or beyond ``AMOUNTS``, an indicator's number beyond ``NUMBERS``, an
    indicator id off the id rule. (Amounts that do not add up are findings: they block
    submission.)"""
    found: list[tuple[str, str]] = []
    if document.fiscal_year not in FISCAL_YEARS:
        first, last = FISCAL_YEARS[0], FISCAL_YEARS[-1]
        found.append(
            (
                "fiscal_year",
                vocabulary.FISCAL_YEAR_IMPOSSIBLE.format(
                    year=document.fiscal_year, first=first, last=last
                ),
            )
        )
    amounts: list[tuple[str, Decimal | None]] = [("funds.total", document.funds.total)]
    amounts.extend(
        (f"funds.sources.{code}", value) for code, value in document.funds.sources.items()
    )
    for index, line in enumerate(document.expenditures):
        amounts.append((f"expenditures[{index}].half_year", line.half_year))
        amounts.append((f"expenditures[{index}].full_year", line.full_year))
    for path, amount in amounts:
        if amount is not None and amount < 0:
            found.append((path, vocabulary.AMOUNT_NEGATIVE.format(amount=amount)))
        elif amount is not None and (beyond := amount_problem(amount)) is not None:
            found.append((path, beyond))
    for item in document.indicators:
        for period, value in (("half_year", item.half_year), ("full_year", item.full_year)):
            if value is not None and (beyond := number_problem(value)) is not None:
                found.append((f"indicators[{item.id}].{period}", f"{value.raw}: {beyond}"))
    return found + _id_problems(document)


def _id_problems(document: TableDocument) -> list[tuple[str, str]]:
    found = []
    for position, item in enumerate(document.indicators):
        problem = indicator_id_problem(item.id)
        if problem is not None:
            words = vocabulary.INDICATOR_ID_INVALID.format(
                id=item.id, name=item.name, rule=vocabulary.INDICATOR_ID_RULE
            )
            found.append((f"indicators[{position}].id", words))
    return found


_EXPENDITURE_PATH = re.compile(r"expenditures\[(\d+)\]\.(half_year|full_year)")
_INDICATOR_PATH = re.compile(r"indicators\[([^\]]+)\]\.(half_year|full_year|id)")


def field_words(document: TableDocument, path: str) -> str:
    """The field ``path`` of ``impossible_values`` as a clerk names it on the form."""
    labels = vocabulary.DOCUMENT_FIELD_LABELS
    if path.startswith("funds.sources."):
        code = path.removeprefix("funds.sources.")
        return vocabulary.FUND_SOURCES.get(code, code)
    if match := _EXPENDITURE_PATH.fullmatch(path):
        number, period = int(match.group(1)) + 1, labels[match.group(2)]
        return vocabulary.EXPENDITURE_FIELD.format(number=number, period=period)
    if match := _INDICATOR_PATH.fullmatch(path):
        names = {item.id: item.name for item in document.indicators}
        if match.group(2) == "id":
            return vocabulary.PATH_LABELS["name"]
        name = names.get(match.group(1), match.group(1))
        return vocabulary.INDICATOR_FIELD.format(name=name, period=labels[match.group(2)])
    return labels.get(path, path)
