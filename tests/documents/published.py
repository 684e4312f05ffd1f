"""The tables as bureaus publish them: seed content, written in real-world layouts.

Expected content comes from the seed text documents (and one small table written here, in
the seeds' own tab-separated shape); the layouts come from the published forms. Each
variant below says in one ``Layout`` what is unusual about it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from domain.document import TableDocument
from domain.model import Indicator
from domain.values import Value, ValueKind
from infra.documents.reading import read_text_document
from tests.conftest import JIANGSU, NANCHANG, seed_documents
from tests.documents.form_grid import AS_PRINTED, Form, Printing
from tests.documents.forms import form_of
from tests.documents.layout import Grid, Layout, Spread, sheet
from tests.documents.pages import Page, page_bytes
from tests.documents.workbooks import cell_name, xls_bytes, xlsx_bytes

JIANGSU_CODE = "320000"
NANCHANG_CODE = "360100"
JIANGSU_SHEETS = ("生态环境监控专项", "信息网络运维专项", "政务信息系统运维", "非现场监管能力提升")
NANCHANG_SHEETS = ("机动车污染防治", "监控中心运维", "综合技术评估", "水源地规范化建设")

# A small municipal table of our own, in the seeds' shape: a bare 95% and a date value.
SOIL_TEXT = "\n".join(
    [
        "项目支出绩效目标表",
        "(2026年度)",
        "项目名称\t土壤污染状况监测项目",
        "主管部门\t402-南昌市生态环境局(部门)\t实施单位\t南昌市生态环境监测站",
        "项目属性\t当年项目\t项目日期范围\t2026年3月1日",
        "\t\t\t2026年11月30日",
        "项目资金(万元)\t年度资金总额\t52.50",
        "\t其中:财政拨款\t52.50",
        "\t其他资金\t",
        "年度绩效目标\t完成全市重点地块和耕地土壤监测(含䶮山、𠮷岭片区),掌握土壤环境质量变化。",
        "一级指标\t二级指标\t三级指标\t指标值",
        "成本指标\t经济成本指标\t土壤监测费用\t≤52.5万",
        "产出指标\t数量指标\t土壤监测点位\t≥120个",
        "\t质量指标\t监测数据有效率\t95%",
        "\t时效指标\t监测报告完成时间\t2026年11月30日",
        "效益指标\t生态效益\t受污染耕地安全利用率\t≥93%",
        "满意度\t服务对象满意度\t群众满意度\t≥90%",
        "注:若为空表,则为该部门(单位)无部门预算项目支出。",
        "",
    ]
)
SOIL_SHEET = "土壤监测"


@cache
def jiangsu() -> tuple[TableDocument, ...]:
    return tuple(seed_documents(JIANGSU, JIANGSU_CODE))


@cache
def nanchang() -> tuple[TableDocument, ...]:
    return tuple(seed_documents(NANCHANG, NANCHANG_CODE))


@cache
def soil() -> tuple[TableDocument, ...]:
    return tuple(read_text_document(SOIL_TEXT, "soil.txt", NANCHANG_CODE))


def forms(documents: Sequence[TableDocument], printing: Printing = AS_PRINTED) -> list[Form]:
    return [form_of(document, printing) for document in documents]


@dataclass(frozen=True)
class Book:
    """A workbook's bytes, and where its cells went, sheet by sheet."""

    data: bytes
    grids: dict[str, Grid]

    def cell(self, sheet_name: str, key: str, table: int = 0) -> str:
        return cell_name(self.grids[sheet_name], key, table)


SheetForms = tuple[str, Sequence[Form]]


def xlsx(sheets: Sequence[SheetForms], layout: Layout) -> Book:
    grids = {name: sheet(tables, layout) for name, tables in sheets}
    return Book(xlsx_bytes(list(grids.items())), grids)


def xls(sheets: Sequence[SheetForms], layout: Layout) -> Book:
    grids = {name: sheet(tables, layout) for name, tables in sheets}
    return Book(xls_bytes(list(grids.items())), grids)


def one_per_sheet(names: Sequence[str], tables: Sequence[Form]) -> list[SheetForms]:
    return [(name, [form]) for name, form in zip(names, tables, strict=True)]


def page(tables: Sequence[Form], layout: Layout, wrapping: Page) -> bytes:
    return page_bytes(tables, layout, wrapping)


@dataclass(frozen=True)
class Variant:
    """One way of laying a seed's tables out in a workbook."""

    name: str
    seed: str  # "jiangsu" or "nanchang"
    layout: Layout
    stacked_on: str | None = None  # the one sheet all tables share, or one sheet per table

    def documents(self) -> tuple[TableDocument, ...]:
        return jiangsu() if self.seed == "jiangsu" else nanchang()

    @property
    def jurisdiction(self) -> str:
        return JIANGSU_CODE if self.seed == "jiangsu" else NANCHANG_CODE

    def sheets(self) -> list[SheetForms]:
        tables = forms(self.documents(), self.layout.printing)
        if self.stacked_on is not None:
            return [(self.stacked_on, tables)]
        names = JIANGSU_SHEETS if self.seed == "jiangsu" else NANCHANG_SHEETS
        return one_per_sheet(names, tables)


WORKBOOK_VARIANTS = (
    Variant(
        "jiangsu-merged-numbers",
        "jiangsu",
        Layout(
            blank_under_title=1,
            unit_line=True,
            amounts_as_numbers=True,
            years_as_numbers=True,
            percents_as_numbers=True,
        ),
    ),
    Variant(
        "jiangsu-shifted-unmerged",
        "jiangsu",
        Layout(
            top=2,
            left=1,
            title_merged=False,
            blank_under_title=3,
            levels=Spread.REPEAT,
            values=Spread.FIRST,
        ),
    ),
    Variant(
        "jiangsu-funds-label-repeated",
        "jiangsu",
        Layout(levels=Spread.REPEAT, labels=Spread.REPEAT),
    ),
    Variant(
        "jiangsu-stacked-first-only",
        "jiangsu",
        Layout(
            blank_under_title=2,
            levels=Spread.FIRST,
            labels=Spread.FIRST,
            amounts_as_numbers=True,
            blank_between=3,
        ),
        stacked_on="省本级",
    ),
    Variant(
        "nanchang-stacked-repeated",
        "nanchang",
        Layout(
            levels=Spread.REPEAT, labels=Spread.REPEAT, printing=Printing(period_in_one_cell=True)
        ),
        stacked_on="项目支出绩效目标表",
    ),
    Variant(
        "nanchang-excel-dates-merged",
        "nanchang",
        Layout(
            left=1,
            blank_under_title=2,
            unit_line=True,
            amounts_as_numbers=True,
            dates_as_excel=True,
        ),
    ),
    Variant(
        "nanchang-first-only-goal-below",
        "nanchang",
        Layout(
            top=1,
            levels=Spread.FIRST,
            labels=Spread.FIRST,
            values=Spread.FIRST,
            dates_as_excel=True,
            date_format="yyyy/m/d",
            printing=Printing(goal_below_label=True),
        ),
    ),
    Variant(
        "nanchang-period-on-two-lines",
        "nanchang",
        Layout(
            blank_under_title=1, printing=Printing(period_in_one_cell=True, period_separator="\n")
        ),
        stacked_on="南昌市",
    ),
    Variant(
        "nanchang-period-with-zhi",
        "nanchang",
        Layout(
            levels=Spread.REPEAT, printing=Printing(period_in_one_cell=True, period_separator="至")
        ),
    ),
)


def comparable(documents: Sequence[TableDocument]) -> list[TableDocument]:
    """Documents with each date value's raw text set to its date: an Excel date has no raw."""
    return [
        dataclasses.replace(
            document, indicators=tuple(_dated(item) for item in document.indicators)
        )
        for document in documents
    ]


def _dated(indicator: Indicator) -> Indicator:
    def plain(value: Value | None) -> Value | None:
        if value is None or value.kind is not ValueKind.DATE or value.date is None:
            return value
        return dataclasses.replace(value, raw=value.date)

    full = plain(indicator.full_year)
    assert full is not None
    return dataclasses.replace(indicator, half_year=plain(indicator.half_year), full_year=full)
