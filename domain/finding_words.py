"""Findings as the clerk reads them: what is wrong, and where, in Chinese.

The domain's finding messages are for engineers (and GraphQL clients); here each finding gets
a Chinese headline and, from the document it was found in, the cell or figures it is about.
The workbench, the review page and the CLI all say findings through ``finding_text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from domain import vocabulary
from domain.document import TableDocument
from domain.findings import Finding

_INDICATOR = re.compile(r"^indicators\[(?P<id>[^\]]+)\](?:\.(?P<period>half_year|full_year))?$")
_LINE = re.compile(r"^expenditures\[(?P<index>\d+)\]$")
_CATEGORY = re.compile(r"^categories\[(?P<level1>[^.\]]+)\.(?P<level2>[^\]]+)\]$")


def finding_text(finding: Finding, document: TableDocument | None = None) -> str:
    """The headline, then (with the document) what it is about: 「指标」全年(程)指标值 ≥100%."""
    headline = vocabulary.FINDING_HEADLINES.get(finding.code, finding.message)
    where = None if document is None else _about(finding, document)
    return headline if not where else f"{headline}：{where}"


def _about(finding: Finding, document: TableDocument) -> str | None:
    if finding.code == "text.unsafe_character":  # names the field and the character
        return finding.message
    if found := _INDICATOR.match(finding.path):
        return _indicator(document, found["id"], found["period"])
    if found := _LINE.match(finding.path):
        line = document.expenditures[int(found["index"])]
        return f"支出第{int(found['index']) + 1}行{f'「{line.name}」' if line.name else ''}"
    if found := _CATEGORY.match(finding.path):
        for empty in document.empty_categories:
            if (empty.level1_code, empty.level2_code) == (found["level1"], found["level2"]):
                return f"{empty.level1} / {empty.level2}"
    return _sums(finding, document)


def _indicator(document: TableDocument, indicator_id: str, period: str | None) -> str | None:
    for item in document.indicators:
        if item.id == indicator_id:
            if period is None:
                return f"「{item.name}」"
            value = item.half_year if period == "half_year" else item.full_year
            shown = "" if value is None else f" {value.raw}"
            return f"「{item.name}」{vocabulary.PERIOD_LABELS[period]}{shown}"
    return None


def _sums(finding: Finding, document: TableDocument) -> str | None:
    total = document.funds.total
    if finding.code == "funds.sources_mismatch":
        return f"来源合计 {_sum(document.funds.sources.values())} 万元，资金总额 {total} 万元"
    if finding.code == "expenditures.sum_mismatch":
        spent = _sum(line.full_year for line in document.expenditures)
        return f"支出合计 {spent} 万元，资金总额 {total} 万元"
    if finding.code == "cost.sum_mismatch":
        costs = _sum(
            item.full_year.number
            for item in document.indicators
            if item.level1_code == "cost"
            and item.full_year.number is not None
            and item.full_year.unit == "万元"
        )
        return f"成本指标合计 {costs} 万元，年度资金总额 {total} 万元"
    if finding.code == "indicators.level1_missing":
        return finding.message.rsplit(" ", 1)[-1]
    return None


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))
