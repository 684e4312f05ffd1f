"""The text reader on the real seeds, on variants of the same forms, and on broken documents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.findings import Severity, check_table
from domain.model import Form, Kind
from infra.documents.cells import DocumentError
from infra.documents.reading import read_text_document
from tests.conftest import JIANGSU, NANCHANG, seed_documents


def test_jiangsu_document_gives_four_provincial_tables() -> None:
    documents = seed_documents(JIANGSU, "320000")
    assert [len(doc.indicators) for doc in documents] == [31, 33, 20, 20]
    assert [doc.funds.total for doc in documents] == [
        Decimal(n) for n in ("249", "880", "663", "210")
    ]
    assert {doc.form for doc in documents} == {Form.PROVINCIAL}
    assert {doc.project.kind for doc in documents} == {Kind.RECURRING}
    assert {(doc.project.start, doc.project.end) for doc in documents} == {("2024", "2026")}
    assert all(doc.fiscal_year == 2026 for doc in documents)


def test_nanchang_document_gives_four_municipal_tables_one_carried_over() -> None:
    documents = seed_documents(NANCHANG, "360100")
    assert [len(doc.indicators) for doc in documents] == [10, 13, 17, 19]
    assert [str(doc.funds.total) for doc in documents] == ["78.00", "65.34", "36.20", "436.41"]
    carryover = documents[3]
    assert carryover.project.kind is Kind.CARRYOVER
    assert (carryover.project.start, carryover.project.end) == ("2025-04-01", "2026-04-30")
    assert {doc.project.department for doc in documents} == {"南昌市生态环境局"}
    assert {doc.project.department_code for doc in documents} == {"402"}


def test_empty_economic_benefit_rows_are_findings_not_indicators() -> None:
    documents = seed_documents(JIANGSU, "320000")
    empty = [[category.level2 for category in doc.empty_categories] for doc in documents]
    assert empty == [["经济效益"], [], ["经济效益"], []]
    for document in (documents[0], documents[2]):
        codes = [finding.code for finding in check_table(document.form, document.content)]
        assert "indicators.empty_category" in codes
        assert not any(item.name == "经济效益" for item in document.indicators)


def test_continuation_rows_inherit_their_categories() -> None:
    first = seed_documents(JIANGSU, "320000")[0]
    social = [item for item in first.indicators if item.level2_code == "social_benefit"]
    assert [item.level1_code for item in social] == ["benefit"] * 3
    cost = next(item for item in first.indicators if item.name == "成本控制率")
    assert (cost.level1_code, cost.level2_code) == ("output", "output_cost")


def test_provincial_funds_and_expenditure_lines() -> None:
    second = seed_documents(JIANGSU, "320000")[1]
    assert second.funds.sources["general_public_budget"] == Decimal("650")
    assert second.funds.sources["prior_year_carryover"] == Decimal("180")
    assert [(line.half_year, line.full_year) for line in second.expenditures] == [
        (Decimal("50"), Decimal("230")),
        (Decimal("250"), Decimal("650")),
    ]


def test_the_seeds_have_no_error_findings_only_warnings() -> None:
    for path, code in ((JIANGSU, "320000"), (NANCHANG, "360100")):
        for document in seed_documents(path, code):
            findings = check_table(document.form, document.content)
            assert all(finding.severity is Severity.WARNING for finding in findings)


OTHER_BUREAU = """
项目支出绩效目标表
（2027年度）
项目名称\t城市环境卫生_道路清扫保洁项目
主管部门\t305-九江市城市管理局（部门）\t\t实施单位\t九江市环境卫生服务中心
项目属性\t当年项目\t项目日期范围\t2027年1月1日\t2027年12月31日
项目资金（万元）\t年度资金总额\t120.50
\t其中：财政拨款\t100.50
\t其他资金\t20
年度绩效目标
<p>保持主次干道整洁。</p><p>提升市容环境。</p>
第二行继续写目标。
一级指标\t二级指标\t三级指标\t指标值
成本指标\t经济成本指标\t保洁服务费\t≤120.50万
产出指标\t数量指标\t清扫面积\t≥350万平方米
\t\t\t清扫道路\t≥ 120 条
\t质量指标\t道路保洁达标率\t≥95%
时效指标\t垃圾清运及时率\t=100%
效益指标\t社会效益指标\t市民投诉件数\t≤20件
\t环境效益\t空气质量优良天数比例\t≥85%
满意度指标\t服务对象满意度指标\t市民满意度\t≥90%
注：若为空表，则为该部门（单位）无部门预算项目支出。
"""


def test_another_bureau_with_shifted_cells_and_full_width_punctuation() -> None:
    (document,) = read_text_document(OTHER_BUREAU, "jiujiang.txt", "360400")
    assert document.fiscal_year == 2027
    assert document.form is Form.MUNICIPAL
    assert (document.project.department, document.project.department_code) == (
        "九江市城市管理局",
        "305",
    )
    assert document.project.implementing_unit == "九江市环境卫生服务中心"
    assert (document.project.start, document.project.end) == ("2027-01-01", "2027-12-31")
    assert document.funds.total == Decimal("120.50")
    assert document.funds.sources == {
        "fiscal_appropriation": Decimal("100.50"),
        "other": Decimal("20"),
    }
    assert document.goals.annual == "保持主次干道整洁。\n提升市容环境。\n第二行继续写目标。"
    names = [item.name for item in document.indicators]
    assert names == [
        "保洁服务费",
        "清扫面积",
        "清扫道路",
        "道路保洁达标率",
        "垃圾清运及时率",
        "市民投诉件数",
        "空气质量优良天数比例",
        "市民满意度",
    ]
    roads = document.indicators[2]
    assert (
        roads.level2_code,
        roads.full_year.op,
        roads.full_year.number,
        roads.full_year.unit,
    ) == (
        "quantity",
        ">=",
        Decimal("120"),
        "条",
    )
    unknown = document.indicators[6]
    assert (unknown.level1_code, unknown.level2, unknown.level2_code) == (
        "benefit",
        "环境效益",
        "other",
    )
    assert document.indicators[4].level2_code == "timeliness"


PROVINCIAL_VARIANT = """
## 浙江省省级项目预算绩效目标表
2026年度
项目名称\t海洋生态修复项目\t主管部门\t浙江省生态环境厅
项目类型\t一次性项目\t项目级次\t省本级
开始时间\t2026年\t完成时间\t2026年
实施单位\t浙江省海洋监测中心\t项目负责人/ 联系电话\t张三/0571-1234567
立项必要性\t修复受损岸线。
实施可行性
技术成熟，已有试点。
项目实施内容\t岸线修复与监测。
项目资金 (万元)\t收入\t\t全年（程） 预算数
\t资金总额\t\t100
\t一般公共预算资金\t\t80
\t\t政府性基金\t20
\t支出\t半年（程） 计划执行数\t全年（程） 预算数
\t岸线修复工程\t30\t60
监测服务\t\t10\t40\t
中长期目标\t三年内修复岸线10公里。
年度目标\t修复岸线3公里。
一级指标\t二级指标\t三级指标\t半年（程） 指标值\t全年（程） 指标值
决策\t项目立项\t立项依据充分性\t充分\t充分
过程\t资金管理\t预算执行率\t≥40%\t≥95%
产出指标\t数量指标\t修复岸线长度\t≥1公里\t≥3公里
\t\t监测报告\t≥2份\t≥4份
\t时效指标\t工程完工时间\t\t2026年11月30日
效益指标\t生态效益指标\t岸线植被覆盖率\t≥30%\t≥60%
满意度\t服务对象满意度\t周边居民满意度\t≥85%\t≥90%
"""


def test_a_provincial_table_from_another_province() -> None:
    (document,) = read_text_document(PROVINCIAL_VARIANT, "zhejiang.txt", "330000")
    assert document.form is Form.PROVINCIAL
    assert document.project.kind is Kind.CURRENT_YEAR
    assert document.project.manager == "张三/0571-1234567"
    assert document.project.feasibility == "技术成熟，已有试点。"
    assert document.funds.sources == {
        "general_public_budget": Decimal("80"),
        "government_fund": Decimal("20"),
    }
    assert [(line.name, line.half_year, line.full_year) for line in document.expenditures] == [
        ("岸线修复工程", Decimal("30"), Decimal("60")),
        ("监测服务", Decimal("10"), Decimal("40")),
    ]
    reports = document.indicators[3]
    assert (reports.name, reports.half_year and reports.half_year.raw, reports.full_year.raw) == (
        "监测报告",
        "≥2份",
        "≥4份",
    )
    deadline = document.indicators[4]
    assert deadline.half_year is None
    assert deadline.full_year.date == "2026-11-30"
    assert document.indicators[-1].level1 == "满意度"
    assert document.indicators[-1].level1_code == "satisfaction"
    findings = check_table(document.form, document.content)
    assert not [finding for finding in findings if finding.severity is Severity.ERROR]


def test_a_fiscal_year_can_be_given_when_the_text_has_none() -> None:
    text = OTHER_BUREAU.replace("（2027年度）", "")
    with pytest.raises(DocumentError, match="表格上方没有预算年度"):
        read_text_document(text, "x.txt", "360400")
    (document,) = read_text_document(text, "x.txt", "360400", fiscal_year=2027)
    assert document.fiscal_year == 2027


@pytest.mark.parametrize(
    ("broken", "line", "problem"),
    [
        (
            ("\t\t\t清扫道路\t≥ 120 条", "\t\t\t清扫道路"),
            16,
            "这一行应有指标名称和指标值，实有 1 个单元格：「清扫道路」",
        ),
        (
            ("年度资金总额\t120.50", "年度资金总额\t一百二十"),
            7,
            "资金来源中有无法识别的单元格：「一百二十」",
        ),
        (
            ("项目属性\t当年项目", "项目属性\t神秘项目"),
            6,
            "无法识别的项目属性「神秘项目」（应为当年项目、上年结转项目、常年安排项目）",
        ),
        (("2027年12月31日", "2027年13月31日"), 6, "无法把「2027年13月31日」读作日期或年份"),
        (
            ("一级指标\t二级指标\t三级指标\t指标值", "指标表"),
            4,
            "表格缺少「一级指标/二级指标/三级指标」表头行",
        ),
        (("\t其他资金\t20", "\t其他资金\t20\t30"), 9, "金额「30」没有对应的标签"),
        (
            ("时效指标\t垃圾清运及时率\t=100%", "=100%\t=100%"),
            18,
            "指标名称像是一个指标值：「=100%」",
        ),
    ],
)
def test_a_broken_document_names_the_line_and_the_problem(
    broken: tuple[str, str], line: int, problem: str
) -> None:
    original, replacement = broken
    assert original in OTHER_BUREAU
    with pytest.raises(DocumentError) as refused:
        read_text_document(OTHER_BUREAU.replace(original, replacement), "bad.txt", "360400")
    assert any(
        place.row == line and problem in message for place, message in refused.value.problems
    ), refused.value.problems
    assert f"bad.txt:{line}:" in str(refused.value)


def test_text_that_is_not_a_target_table_is_refused() -> None:
    with pytest.raises(DocumentError, match="不是绩效目标表"):
        read_text_document("hello\nworld\n", "notes.txt", "360100")
