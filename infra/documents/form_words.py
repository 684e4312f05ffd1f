"""How the printed forms word what the vocabulary does not carry: titles, years, dates.

The few words below are printed on the official forms but are not labels the readers match
(they read the year with a pattern, split the department's code off, skip the footer); they sit
here until ``domain/vocabulary.py`` takes them.
"""

from __future__ import annotations

import re

from domain import vocabulary
from domain.model import Form, ValueBasis
from infra.jurisdictions import UnknownJurisdiction, ancestors_of, jurisdiction

# The municipal form prints its fiscal appropriation as a part of the total.
AMONG = "其中:"
# Which kind of unit a department code names, after the municipal form's 主管部门.
DEPARTMENT_SUFFIX = "(部门)"
YEAR_WORD = "年度"
# The municipal form's footer, under the indicators.
FOOTER_NOTE = vocabulary.FOOTER_PREFIXES[0] + "若为空表,则为该部门(单位)无部门预算项目支出。"
DATE_WORDS = ("年", "月", "日")

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def title_of(form: Form, jurisdiction_code: str) -> str:
    """The form's title; a province prefixes its name (江苏省省级项目预算绩效目标表)."""
    title = vocabulary.FORM_TITLES[form.value]
    if form is not Form.PROVINCIAL:
        return title
    try:
        place = jurisdiction(jurisdiction_code)
        province = ([place, *ancestors_of(place.code)])[-1]
    except UnknownJurisdiction:
        return title
    return province.name + title


def year_text(form: Form, fiscal_year: int | None) -> str:
    """``2026年度`` on the provincial form, ``(2026年度)`` on the municipal one."""
    year = f"{fiscal_year}{YEAR_WORD}" if fiscal_year else YEAR_WORD
    return year if form is Form.PROVINCIAL else f"({year})"


def printed_date(iso: str | None) -> str:
    """``2026-01-01`` → ``2026年1月1日``, ``2026-01`` → ``2026年1月``, ``2024`` → ``2024年``;
    anything else as it is."""
    if not iso:
        return ""
    match = _ISO.match(iso.strip())
    if match is None:
        return iso
    parts = [part for part in match.groups() if part is not None]
    return "".join(f"{int(part)}{word}" for part, word in zip(parts, DATE_WORDS, strict=False))


def period_text(start: str | None, end: str | None) -> str:
    """项目日期范围 as the municipal form prints it: ``2025年4月1日-2026年4月30日``."""
    if not start and not end:
        return ""
    return f"{printed_date(start)}-{printed_date(end)}"


def department_text(name: str, code: str | None) -> str:
    """主管部门 with its code, as ``402-南昌市生态环境局(部门)``, or the name alone."""
    return f"{code}-{name}{DEPARTMENT_SUFFIX}" if code else name


def basis_text(basis: ValueBasis | None) -> str | None:
    """指标值设定依据 as ``计划标准：《…》``, or the kind alone."""
    if basis is None:
        return None
    label = vocabulary.BASIS_LABELS[basis.kind.value]
    return f"{label}：{basis.text}" if basis.text else label
