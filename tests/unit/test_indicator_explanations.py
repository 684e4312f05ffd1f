"""指标解释 and 指标值设定依据 columns in text documents: read in any column order, or refused."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import pytest

from domain.document import TableDocument
from domain.model import BasisKind, Form, ValueBasis
from infra.documents.cells import DocumentError, parse_basis
from infra.documents.reading import read_text_document
from tests.conftest import JIANGSU, NANCHANG, seed_documents

PROVINCIAL_TOP = """
## 浙江省省级项目预算绩效目标表
2026年度
项目名称\t海洋生态修复项目\t主管部门\t浙江省生态环境厅
项目类型\t一次性项目\t项目级次\t省本级
开始时间\t2026年\t完成时间\t2026年
实施单位\t浙江省海洋监测中心\t项目负责人/ 联系电话\t张三/0571-1234567
立项必要性\t修复受损岸线。
实施可行性\t技术成熟，已有试点。
项目实施内容\t岸线修复与监测。
项目资金 (万元)\t收入\t\t全年（程） 预算数
\t资金总额\t\t100
\t一般公共预算资金\t\t100
\t支出\t半年（程） 计划执行数\t全年（程） 预算数
\t岸线修复工程\t40\t100
中长期目标\t三年内修复岸线10公里。
年度目标\t修复岸线3公里。
"""

MUNICIPAL_TOP = """
项目支出绩效目标表
（2027年度）
项目名称\t城市环境卫生_道路清扫保洁项目
主管部门\t305-九江市城市管理局（部门）\t\t实施单位\t九江市环境卫生服务中心
项目属性\t当年项目\t项目日期范围\t2027年1月1日\t2027年12月31日
项目资金（万元）\t年度资金总额\t120.50
\t其中：财政拨款\t120.50
年度绩效目标\t保持主次干道整洁。
"""

FOOTER = "注：若为空表，则为该部门（单位）无部门预算项目支出。\n"

# The column after 三级指标 holding each part of a row, as the forms print its header.
NAME = "三级指标"
HALF = "半年（程） 指标值"
FULL = "全年（程） 指标值"
VALUE = "指标值"


@dataclass(frozen=True)
class Row:
    """One indicator row as written; empty level labels are inherited from the rows above."""

    level1: str
    level2: str
    name: str
    full: str
    half: str = ""
    explanation: str = ""
    basis: str = ""

    def cell(self, column: str) -> str:
        if column == NAME:
            return self.name
        if column == HALF:
            return self.half
        if column in (FULL, VALUE):
            return self.full
        if column in ("指标解释", "指标说明"):
            return self.explanation
        return self.basis


PROVINCIAL_ROWS = (
    Row("决策", "项目立项", "立项依据充分性", half="充分", full="充分", basis="计划标准"),
    Row(
        "过程",
        "资金管理",
        "预算执行率",
        half="≥40%",
        full="≥95%",
        explanation="反映预算资金的执行进度，即实际支出与预算之比",
        basis="历史标准(2025年实际执行率92%)",
    ),
    Row(
        "产出指标",
        "数量指标",
        "修复岸线长度",
        half="≥1公里",
        full="≥3公里",
        explanation="考核年度内完成修复并通过验收的岸线长度",
        basis="计划标准：《海洋生态修复三年行动计划》",
    ),
    Row("", "", "监测报告", half="≥2份", full="≥4份"),
    Row(
        "",
        "时效指标",
        "工程完工时间",
        full="2026年11月30日",
        explanation="工程通过竣工验收并移交的时间",
        basis="其他标准 根据施工合同确定",
    ),
    Row(
        "效益指标",
        "生态效益指标",
        "岸线植被覆盖率",
        half="≥30%",
        full="≥60%",
        explanation="修复岸段植被覆盖面积占岸段面积的比例",
        basis="行业标准：《海洋生态修复技术指南》",
    ),
    Row(
        "满意度",
        "服务对象满意度",
        "周边居民满意度",
        half="≥85%",
        full="≥90%",
        explanation="通过问卷调查了解周边居民的满意程度",
    ),
)

MUNICIPAL_ROWS = (
    Row(
        "成本指标",
        "经济成本指标",
        "保洁服务费",
        full="≤120.50万",
        explanation="道路清扫保洁服务合同金额",
        basis="计划标准",
    ),
    Row(
        "产出指标",
        "数量指标",
        "清扫面积",
        full="≥350万平方米",
        basis="历史：2026年清扫面积340万平方米",
    ),
    Row("", "", "清扫道路", full="≥ 120 条", explanation="纳入保洁范围的主次干道条数"),
    Row("", "质量指标", "道路保洁达标率", full="≥95%"),
    Row(
        "",
        "时效指标",
        "垃圾清运及时率",
        full="=100%",
        explanation="当日产生的垃圾当日清运完毕的比例",
        basis="行业标准：《城镇环境卫生设施设置标准》",
    ),
    Row(
        "效益指标",
        "社会效益指标",
        "市民投诉件数",
        full="≤20件",
        explanation="全年受理的道路保洁类投诉件数",
        basis="其他标准 根据调研确定",
    ),
    Row(
        "",
        "环境效益",
        "空气质量优良天数比例",
        full="≥85%",
        explanation="全年空气质量优良天数占全年天数的比例",
    ),
    Row(
        "满意度指标",
        "服务对象满意度指标",
        "市民满意度",
        full="≥90%",
        explanation="抽样调查市民对道路保洁的满意程度",
        basis="计划",
    ),
)

EXPECTED_BASES = {
    "立项依据充分性": ValueBasis(BasisKind.PLAN),
    "预算执行率": ValueBasis(BasisKind.HISTORY, "2025年实际执行率92%"),
    "修复岸线长度": ValueBasis(BasisKind.PLAN, "《海洋生态修复三年行动计划》"),
    "工程完工时间": ValueBasis(BasisKind.OTHER, "根据施工合同确定"),
    "岸线植被覆盖率": ValueBasis(BasisKind.INDUSTRY, "《海洋生态修复技术指南》"),
    "保洁服务费": ValueBasis(BasisKind.PLAN),
    "清扫面积": ValueBasis(BasisKind.HISTORY, "2026年清扫面积340万平方米"),
    "垃圾清运及时率": ValueBasis(BasisKind.INDUSTRY, "《城镇环境卫生设施设置标准》"),
    "市民投诉件数": ValueBasis(BasisKind.OTHER, "根据调研确定"),
    "市民满意度": ValueBasis(BasisKind.PLAN),
}


def document(top: str, columns: tuple[str, ...], rows: tuple[Row, ...]) -> str:
    """A table in the seed-text layout whose indicator columns come in ``columns`` order."""
    header = "\t".join(("一级指标", "二级指标", *columns))
    lines = ["\t".join((row.level1, row.level2, *(row.cell(c) for c in columns))) for row in rows]
    return "\n".join((top.rstrip("\n"), header, *lines, FOOTER))


def provincial_orders() -> list[tuple[str, ...]]:
    orders = permutations((HALF, FULL, "指标解释", "指标值设定依据"))
    return [(NAME, *order) for order in orders if order.index(HALF) < order.index(FULL)]


def municipal_orders() -> list[tuple[str, ...]]:
    aliases = (
        ("指标解释", "指标值设定依据"),
        ("指标说明", "指标值确定依据"),
        ("指标解释", "设定依据"),
    )
    orders: list[tuple[str, ...]] = []
    for number, order in enumerate(permutations((VALUE, "explanation", "basis"))):
        explanation, basis = aliases[number % len(aliases)]
        names = {VALUE: VALUE, "explanation": explanation, "basis": basis}
        orders.append((NAME, *(names[column] for column in order)))
    return orders


def check_indicators(read: TableDocument, rows: tuple[Row, ...]) -> None:
    assert [item.name for item in read.indicators] == [row.name for row in rows]
    for item, row in zip(read.indicators, rows, strict=True):
        assert item.full_year.raw == row.full, item.name
        assert (item.half_year.raw if item.half_year else "") == row.half, item.name
        assert item.explanation == (row.explanation or None), item.name
        assert item.basis == EXPECTED_BASES.get(row.name), item.name


@pytest.mark.parametrize("columns", provincial_orders(), ids="|".join)
def test_provincial_explanations_and_bases_in_any_column_order(columns: tuple[str, ...]) -> None:
    (read,) = read_text_document(
        document(PROVINCIAL_TOP, columns, PROVINCIAL_ROWS), "zhejiang.txt", "330000"
    )
    assert read.form is Form.PROVINCIAL
    check_indicators(read, PROVINCIAL_ROWS)
    deadline = read.indicators[4]
    assert (deadline.half_year, deadline.full_year.date) == (None, "2026-11-30")


@pytest.mark.parametrize("columns", municipal_orders(), ids="|".join)
def test_municipal_explanations_and_bases_in_any_column_order(columns: tuple[str, ...]) -> None:
    (read,) = read_text_document(
        document(MUNICIPAL_TOP, columns, MUNICIPAL_ROWS), "jiujiang.txt", "360400"
    )
    # 指标值设定依据 names no second value column: the table keeps its one annual value.
    assert read.form is Form.MUNICIPAL
    check_indicators(read, MUNICIPAL_ROWS)
    unknown = read.indicators[6]
    assert (unknown.level1_code, unknown.level2, unknown.level2_code) == (
        "benefit",
        "环境效益",
        "other",
    )


def test_only_some_indicators_have_an_explanation_or_a_basis() -> None:
    rows = (
        Row("成本指标", "经济成本指标", "保洁服务费", full="≤120.50万"),
        Row("产出指标", "数量指标", "清扫面积", full="≥350万平方米"),
        Row("", "质量指标", "道路保洁达标率", full="≥95%", basis="行业标准"),
        Row("效益指标", "社会效益指标", "市民投诉件数", full="≤20件"),
        Row(
            "满意度指标",
            "服务对象满意度指标",
            "市民满意度",
            full="≥90%",
            explanation="抽样调查市民对道路保洁的满意程度",
        ),
    )
    columns = (NAME, "指标值设定依据", VALUE, "指标解释")
    (read,) = read_text_document(document(MUNICIPAL_TOP, columns, rows), "x.txt", "360400")
    assert [(item.explanation, item.basis) for item in read.indicators] == [
        (None, None),
        (None, None),
        (None, ValueBasis(BasisKind.INDUSTRY)),
        (None, None),
        ("抽样调查市民对道路保洁的满意程度", None),
    ]


def test_the_same_indicators_get_the_same_ids_with_or_without_the_new_columns() -> None:
    plain = tuple(Row(row.level1, row.level2, row.name, row.full) for row in MUNICIPAL_ROWS)
    (without,) = read_text_document(
        document(MUNICIPAL_TOP, (NAME, VALUE), plain), "x.txt", "360400"
    )
    (with_them,) = read_text_document(
        document(MUNICIPAL_TOP, (NAME, "指标解释", VALUE, "设定依据"), MUNICIPAL_ROWS),
        "x.txt",
        "360400",
    )
    assert [item.id for item in without.indicators] == [item.id for item in with_them.indicators]
    assert {(item.explanation, item.basis) for item in without.indicators} == {(None, None)}


MUNICIPAL_COLUMNS = (NAME, "指标解释", VALUE, "指标值设定依据")
# The header is line 10 of the municipal document; the first indicator row is line 11.
FIRST_ROW = 11


@pytest.mark.parametrize(
    ("number", "row"),
    [
        (0, Row("成本指标", "经济成本指标", "保洁服务费", full="≤120.50万", basis="神秘标准")),
        (
            3,
            Row(
                "",
                "质量指标",
                "道路保洁达标率",
                full="≥95%",
                explanation="达到保洁质量标准的道路比例",
                basis="国家标准：GB 3838",
            ),
        ),
        (7, Row("满意度指标", "服务对象满意度指标", "市民满意度", full="≥90%", basis="上级要求")),
    ],
)
def test_a_basis_of_unknown_kind_is_refused_with_its_line(number: int, row: Row) -> None:
    rows = tuple(row if index == number else item for index, item in enumerate(MUNICIPAL_ROWS))
    text = document(MUNICIPAL_TOP, MUNICIPAL_COLUMNS, rows)
    with pytest.raises(DocumentError) as refused:
        read_text_document(text, "bad.txt", "360400")
    line = FIRST_ROW + number
    assert text.splitlines()[line - 1].startswith("\t".join((row.level1, row.level2, row.name)))
    ((found, message),) = refused.value.problems
    assert found.row == line
    assert message == (
        f"指标「{row.name}」的指标值设定依据「{row.basis}」无法识别："
        "应以计划标准、行业标准、历史标准、其他标准之一开头（其后可写说明，如「计划标准：…」）"
    )
    assert f"bad.txt:{line}: 指标「{row.name}」" in str(refused.value)


def test_a_row_whose_empty_column_cannot_be_told_is_refused_not_guessed() -> None:
    # Without its 指标解释, '及时' could be the full-year value or the explanation.
    rows = (
        Row("产出指标", "数量指标", "监测报告", half="≥2份", full="≥4份", explanation="报告份数"),
        Row("", "时效指标", "监测数据报送及时性", half="≥5次", full="及时"),
    )
    columns = (NAME, HALF, FULL, "指标解释")
    with pytest.raises(DocumentError) as refused:
        read_text_document(document(PROVINCIAL_TOP, columns, rows), "x.txt", "330000")
    ((line, message),) = refused.value.problems
    assert line.row == 20
    assert message == (
        "无法判断这一行 三级指标、半年(程)指标值、全年(程)指标值、指标解释 中哪 1 列是空的："
        "「时效指标 监测数据报送及时性 ≥5次 及时」"
    )


def test_a_row_with_more_cells_than_columns_names_the_optional_columns() -> None:
    text = document(MUNICIPAL_TOP, MUNICIPAL_COLUMNS, MUNICIPAL_ROWS[:1])
    text += "产出指标\t数量指标\t清扫面积\t清扫的道路面积\t≥350万平方米\t计划标准\t另一格\n"
    with pytest.raises(DocumentError) as refused:
        read_text_document(text, "x.txt", "360400")
    ((line, message),) = refused.value.problems
    assert line.row == FIRST_ROW + 2  # after the first row and the footer line
    assert message.startswith(
        "这一行应有指标名称和指标值（如填写，还有指标解释、指标值设定依据），实有 5 个单元格："
    )


@pytest.mark.parametrize(
    ("cell", "basis"),
    [
        ("计划标准", ValueBasis(BasisKind.PLAN)),
        ("计划", ValueBasis(BasisKind.PLAN)),
        (
            "行业标准：《城镇污水处理厂污染物排放标准》",
            ValueBasis(BasisKind.INDUSTRY, "《城镇污水处理厂污染物排放标准》"),
        ),
        ("行业: GB 18918", ValueBasis(BasisKind.INDUSTRY, "GB 18918")),
        ("历史标准(2025年实际完成值)", ValueBasis(BasisKind.HISTORY, "2025年实际完成值")),
        ("历史标准（2025年实际完成值）", ValueBasis(BasisKind.HISTORY, "2025年实际完成值")),
        ("其他标准 根据调研确定", ValueBasis(BasisKind.OTHER, "根据调研确定")),
        ("其他标准：", ValueBasis(BasisKind.OTHER)),
        ("其他资金", None),
        ("神秘标准", None),
        ("依据上级文件", None),
    ],
)
def test_a_basis_cell_gives_its_kind_and_its_text(cell: str, basis: ValueBasis | None) -> None:
    assert parse_basis(cell) == basis


def test_the_seeds_have_no_explanations_and_no_bases() -> None:
    for path, code in ((JIANGSU, "320000"), (NANCHANG, "360100")):
        indicators = [item for doc in seed_documents(path, code) for item in doc.indicators]
        assert indicators
        assert {(item.explanation, item.basis) for item in indicators} == {(None, None)}
