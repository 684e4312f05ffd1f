"""运行监控 and 绩效自评 in a real Chromium, on 江苏省 (a root: it reviews its own reports).

The editor fills in the mid-year monitoring of an approved table (a refused line keeps what was
typed), sees the budget and indicator lights, submits; the reviewer approves it. Then the
year-end self-evaluation scores while it is typed, is submitted, and the reviewer sets a 复核
score beside the bureau's own. With ``JIXIAO_SCREENSHOTS=<folder>`` both pages are saved there
(``docs/screenshots/`` in the README).
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from tests.web.conftest import WebNode
from tests.web.test_review import mutate, submit, table_named

TABLE = "江苏省生态环境非现场监管能力提升项目"  # 210 万元, 20 indicators, 10 of them qualitative
MONTH = 6
# Numeric targets: (1–6月执行情况, 全年预计完成情况, 实际完成值 at year end).
NUMERIC = {
    "资金到位率": ("50%", "100%", "100%"),
    "预算执行率": ("50%", "100%", "100%"),
    "现场帮扶企业数": ("30家", "60家", "85家"),
    "问题线索精准率": ("72%", "75%", "75%"),
    "线上数据巡检及时率": ("20小时", "20小时", "20小时"),
    "政府采购招标合规率": ("100%", "100%", "100%"),
    "自动监测监控联网质量保障率": ("98%", "100%", "100%"),
    "发现存环境问题企业并督促整改": ("6家", "12家", "12家"),
    "采集的非现场监管数据类别不断丰富": ("12家", "22家", "25家"),
    "服务对象满意": ("85%", "85%", "72%"),
}
IMPOSSIBLE = "现场帮扶企业数"
POSSIBLE = "自动监测监控联网质量保障率"
REVIEWER = "李审核"


@pytest.fixture(scope="module")
def approved(province: WebNode) -> dict[str, Any]:
    """The table, submitted and approved through the API: reports start from here."""
    found: dict[str, Any] = table_named(province, TABLE)
    version = submit(province, found["id"], found["version"])
    mutate(province, "approveSubmission", {"tableId": found["id"], "version": version}, "reviewer")
    return found


def shot(page: Page, name: str) -> None:
    """A screenshot for the README, when asked for."""
    folder = os.environ.get("JIXIAO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def row(page: Page, name: str) -> Locator:
    header = page.get_by_role("rowheader", name=name, exact=True)
    return page.locator("tr.line").filter(has=header)


def light(page: Page, name: str) -> Locator:
    return row(page, name).locator(".light-cell .light")


def test_a_monitoring_round_is_filled_in_refused_in_words_submitted_and_approved(
    province: WebNode, approved: dict[str, Any], browser: Any
) -> None:
    editor = province.sign_in(browser, "editor")
    page = editor.page
    page.goto(f"{province.url}/tables/{approved['id']}")
    panel = page.locator("#reports-panel")
    expect(panel).to_contain_text("尚未填报运行监控")
    expect(panel.get_by_label("截至")).to_have_value(str(MONTH))
    panel.get_by_role("button", name="填报运行监控").click()
    page.wait_for_url(f"**/tables/{approved['id']}/monitoring/{MONTH}")
    expect(page.locator("#report-status")).to_have_text("未填报")
    expect(page.locator("#budget-full-year")).to_have_text("210")

    page.get_by_label("1–6月执行数").fill("52.5")
    page.get_by_label("全年预计执行数").fill("200")
    page.get_by_label("1–6月执行情况", exact=True).fill("非现场监管平台已上线")
    names = page.locator("tr.line th.name").all_text_contents()
    assert len(names) == 20
    for name in names:
        target = row(page, name).locator("td.target").text_content() or ""
        actual, forecast, _ = NUMERIC.get(name, ("按计划推进", target, ""))
        page.get_by_label(f"「{name}」1–6月执行情况", exact=True).fill(actual)
        page.get_by_label(f"「{name}」全年预计完成情况", exact=True).fill(forecast)
    page.get_by_label(f"「{IMPOSSIBLE}」完成目标可能性").select_option(label="完全不可能")
    impossible = row(page, IMPOSSIBLE)
    impossible.get_by_label("经费保障", exact=True).check()
    impossible.get_by_label("人员保障", exact=True).check()
    page.get_by_label(f"「{IMPOSSIBLE}」纠偏措施").fill("追加帮扶经费，增派帮扶人员")
    page.get_by_label(f"「{POSSIBLE}」完成目标可能性").select_option(label="有可能")

    # 有可能 without causes or measures: refused in words, nothing stored, nothing lost.
    page.get_by_role("button", name="保存", exact=True).click()
    problems = page.locator("#form-problems")
    expect(problems).to_contain_text(
        f"「{POSSIBLE}」：完成目标可能性为“有可能”时，须勾选偏差原因并填写纠偏措施"
    )
    expect(row(page, POSSIBLE).locator("+ tr.row-problem")).to_contain_text("须勾选偏差原因")
    expect(page.locator("#report-status")).to_have_text("未填报")
    expect(page.get_by_label("1–6月执行数")).to_have_value("52.5")
    expect(page.get_by_label(f"「{IMPOSSIBLE}」1–6月执行情况")).to_have_value("30家")
    expect(page.get_by_label(f"「{IMPOSSIBLE}」完成目标可能性")).to_have_value("IMPOSSIBLE")
    expect(impossible.get_by_label("经费保障", exact=True)).to_be_checked()
    expect(page.get_by_label(f"「{IMPOSSIBLE}」纠偏措施")).to_have_value(
        "追加帮扶经费，增派帮扶人员"
    )
    expect(page.get_by_label(f"「{POSSIBLE}」完成目标可能性")).to_have_value("POSSIBLE")

    possible = row(page, POSSIBLE)
    possible.get_by_label("硬件条件保障", exact=True).check()
    possible.get_by_label("其他", exact=True).check()
    page.get_by_label(f"「{POSSIBLE}」原因说明").fill("部分站点设备老化")
    page.get_by_label(f"「{POSSIBLE}」纠偏措施").fill("年内更换老化设备")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved-notice")).to_have_text("已保存（版本 2）")
    expect(page.locator("#report-status")).to_have_text("填报中")

    # (52.5 ÷ 210) ÷ (6 ÷ 12) × 100 = 50.00 %: below 60 %, red; 210 ≥ 200 万元, so 重点监控.
    expect(page.locator("#execution-rate")).to_have_text("50.00%")
    expect(page.locator("#execution-light")).to_have_text("红")
    expect(page.locator("#watched")).to_have_text("重点监控")
    expect(light(page, IMPOSSIBLE)).to_have_text("红")
    expect(light(page, IMPOSSIBLE)).to_have_attribute("data-light", "RED")
    expect(light(page, POSSIBLE)).to_have_text("黄")
    expect(page.locator(".light-cell .light-green")).to_have_count(18)
    expect(page.get_by_label(f"「{POSSIBLE}」原因说明")).to_have_value("部分站点设备老化")
    expect(page.get_by_label("1–6月执行情况", exact=True)).to_have_value("非现场监管平台已上线")
    shot(page, "11-monitoring")

    page.get_by_role("button", name="提交上级审核").click()
    expect(page.locator("#report-status")).to_have_text("待审核")
    expect(page.get_by_role("button", name="保存", exact=True)).to_have_count(0)
    expect(page.locator(".report-locked")).to_contain_text("已提交上级审核（版本 3）")

    reviewer = province.sign_in(browser, "reviewer")
    review = reviewer.page
    waiting = review.locator("#report-inbox tbody tr", has_text="运行监控（1–6月）")
    expect(waiting).to_contain_text(TABLE)
    waiting.get_by_role("link", name="审核").click()
    expect(review.locator("#report-status")).to_have_text("待审核")
    expect(light(review, IMPOSSIBLE)).to_have_text("红")
    expect(row(review, IMPOSSIBLE)).to_contain_text("经费保障")
    review.get_by_role("button", name="退回", exact=True).click()
    expect(review.locator("#decide-problem")).to_contain_text("退回时必须填写审核意见")
    review.get_by_label("审核意见", exact=True).fill("同意，注意帮扶进度")
    review.get_by_role("button", name="通过", exact=True).click()
    expect(review.locator("#report-status")).to_have_text("已通过")
    expect(review.locator("#decision-title")).to_have_text("审核结果：审核通过")
    expect(review.locator("#report-decision .verdict")).to_contain_text(f"由 {REVIEWER}")
    expect(review.get_by_role("button", name="通过", exact=True)).to_have_count(0)
    review.goto(f"{province.url}/")
    expect(review.locator("#report-inbox")).to_have_count(0)

    page.reload()
    expect(page.locator("#report-status")).to_have_text("已通过")
    expect(page.locator("#decision-reason")).to_have_text("审核意见：同意，注意帮扶进度")
    page.goto(f"{province.url}/tables/{approved['id']}")
    listed = page.locator("#monitoring-rounds li")
    expect(listed).to_have_count(1)
    expect(listed.get_by_role("link")).to_have_text("1–6月")
    expect(listed.locator(".status")).to_have_text("已通过")
    expect(listed).to_contain_text("执行率 50.00%")
    expect(listed.locator(".light")).to_have_text("红")
    editor.no_console_errors()
    reviewer.no_console_errors()


def test_a_self_evaluation_scores_live_and_is_rechecked_above(
    province: WebNode, approved: dict[str, Any], browser: Any
) -> None:
    editor = province.sign_in(browser, "editor")
    page = editor.page
    page.goto(f"{province.url}/tables/{approved['id']}")
    page.get_by_role("link", name="填报绩效自评").click()
    page.wait_for_url(f"**/tables/{approved['id']}/evaluation")
    expect(page.get_by_label("全年预算数（A）")).to_have_value("210")
    expect(page.locator("#live-total")).to_have_text("—")

    # B = 189: 189 ÷ 210 = 90 % of the budget, 0.9 × 10 = 9.00; nothing else scored yet.
    page.get_by_label("全年执行数（B）").fill("189")
    expect(page.locator("#live-execution-rate")).to_have_text("90.00%")
    expect(page.locator("#live-execution-score")).to_have_text("9.00")
    expect(page.locator("#live-total")).to_have_text("9.00")
    # 服务对象满意 ≥80 %, weight 10 by default: 72 ÷ 80 × 10 = 9.00, missed, so explain.
    satisfied = "服务对象满意"
    expect(page.get_by_label(f"「{satisfied}」分值")).to_have_attribute("placeholder", "10.00")
    required = row(page, satisfied).locator(".required-tag")
    expect(required).to_be_hidden()
    page.get_by_label(f"「{satisfied}」实际完成值").fill("72%")
    expect(page.locator(f"#line-score-{_id(page, satisfied)}")).to_have_text("9.00")
    expect(page.locator("#live-total")).to_have_text("18.00")
    expect(page.locator("#live-grade")).to_have_text("差")
    expect(required).to_be_visible()
    # 现场帮扶企业数 >80家, default weight 50 ÷ 15 output lines (3.33): 60 ÷ 80 × 3.33 = 2.4975.
    helped = "现场帮扶企业数"
    expect(page.get_by_label(f"「{helped}」分值")).to_have_attribute("placeholder", "3.33")
    page.get_by_label(f"「{helped}」实际完成值").fill("60家")
    expect(page.locator(f"#line-score-{_id(page, helped)}")).to_have_text("2.50")
    expect(page.locator("#live-indicator-score")).to_have_text("11.50")
    expect(page.locator("#live-total")).to_have_text("20.50")

    # Every line reached (qualitative ones 达成 at full weight) but the satisfaction survey.
    for name in page.locator("tr.line th.name").all_text_contents():
        if name in NUMERIC:
            page.get_by_label(f"「{name}」实际完成值").fill(NUMERIC[name][2])
            continue
        weight = page.get_by_label(f"「{name}」分值").get_attribute("placeholder")
        assert weight
        page.get_by_label(f"「{name}」达成程度").select_option(label="达成")
        page.get_by_label(f"「{name}」打分").fill(weight)
    page.get_by_label(f"「{satisfied}」偏差原因分析及改进措施").fill("样本偏少；下年度加强服务回访")
    page.get_by_label("实际完成情况", exact=True).fill("平台升级完成")
    expect(page.locator("#live-total")).to_have_text("98.00")
    expect(page.locator("#live-grade")).to_have_text("优")
    page.get_by_label("评价结论", exact=True).fill(
        "项目总体完成年度目标，服务对象满意度略低于目标。"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#saved-notice")).to_have_text("已保存（版本 2）")
    expect(page.get_by_label("实际完成情况", exact=True)).to_have_value("平台升级完成")
    expect(page.locator("#live-total")).to_have_text("98.00")
    expect(page.locator(f"#line-score-{_id(page, helped)}")).to_have_text("3.33")
    shot(page, "12-self-evaluation")
    page.get_by_role("button", name="提交上级审核").click()
    expect(page.locator("#report-status")).to_have_text("待审核")

    reviewer = province.sign_in(browser, "reviewer")
    review = reviewer.page
    waiting = review.locator("#report-inbox tbody tr", has_text="绩效自评")
    waiting.get_by_role("link", name="审核").click()
    expect(review.locator("#live-total")).to_have_text("98.00")
    review.get_by_label("复核得分").fill("92.5")
    review.get_by_role("button", name="复核", exact=True).click()
    expect(review.locator("#decide-problem")).to_contain_text("复核时必须填写复核意见")
    expect(review.get_by_label("复核得分")).to_have_value("92.5")
    review.get_by_label("审核意见", exact=True).fill("满意度调查样本不足，复核扣分")
    review.get_by_role("button", name="复核", exact=True).click()
    expect(review.locator("#report-status")).to_have_text("已复核")
    scores = review.locator("#recheck-scores")
    expect(scores).to_contain_text("自评得分 98.00（优）")
    expect(scores).to_contain_text("复核得分 92.50（优）")

    page.reload()
    expect(page.locator("#report-status")).to_have_text("已复核")
    expect(page.locator("#recheck-score")).to_have_text("92.50")
    expect(page.locator("#decision-reason")).to_have_text("审核意见：满意度调查样本不足，复核扣分")
    expect(page.locator("#live-total")).to_have_text("98.00")  # the bureau's own score stays
    editor.no_console_errors()
    reviewer.no_console_errors()


def _id(page: Page, name: str) -> str:
    found = row(page, name).get_attribute("data-indicator-id")
    assert found
    return found


def test_the_preview_stores_nothing_and_only_a_reviewer_may_decide(
    province: WebNode, approved: dict[str, Any], browser: Any
) -> None:
    editor = province.sign_in(browser, "editor")
    page = editor.page
    address = f"{province.url}/tables/{approved['id']}"
    page.goto(f"{address}/evaluation")
    csrf = page.locator("form[action='/logout'] input[name=csrf]").get_attribute("value")
    assert csrf
    satisfied = next(item for item in approved["indicators"] if item["name"] == "服务对象满意")
    form: dict[str, str | float | bool] = {
        "budget_full_year": "200",
        "budget_executed": "150",
        f"actual-{satisfied['id']}": "40%",
        f"weight-{satisfied['id']}": "-1",
    }
    # 150 ÷ 200 × 10 = 7.50; a negative weight is said at its line, and that line scores nothing.
    previewed = page.request.post(f"{address}/evaluation/preview", form={"csrf": csrf, **form})
    assert previewed.status == 200
    scores = previewed.json()
    assert (scores["executionRate"], scores["executionScore"]) == ("75.00%", "7.50")
    assert "分值不能为负数" in scores["lines"][satisfied["id"]]["problem"]
    forged = page.request.post(f"{address}/evaluation/preview", form=form)
    assert forged.status == 403
    page.reload()
    expect(page.get_by_label("全年执行数（B）")).to_have_count(0)  # decided: read-only now
    expect(page.locator("#budget_executed")).to_have_text("189")

    for path in ("monitoring/9/decision", "evaluation/decision"):
        refused = page.request.post(
            f"{address}/{path}",
            form={"csrf": csrf, "decision": "approve", "reason": "伪造"},
            max_redirects=0,
        )
        assert refused.status == 403, path
        assert "无权" in refused.text()
    page.goto(f"{address}/monitoring/13")
    expect(page.locator("section.refused")).to_contain_text("截止月份应为 1–12 月")
    editor.errors.clear()  # the 404 page above is logged as a console error by design
    editor.no_console_errors()


def test_both_report_pages_download_their_excel_form_and_print(
    province: WebNode, approved: dict[str, Any], browser: Any
) -> None:
    editor = province.sign_in(browser, "editor")
    page = editor.page
    forms = (
        (f"monitoring/{MONTH}", "项目支出绩效目标执行监控表", "J4"),
        ("evaluation", "项目支出绩效自评表", "H4"),
    )
    for path, title, unit in forms:
        page.goto(f"{province.url}/tables/{approved['id']}/{path}")
        expect(page.get_by_role("button", name="打印", exact=True)).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="下载 Excel").click()
        assert download.value.suggested_filename.startswith(TABLE)
        sheet = load_workbook(BytesIO(download.value.path().read_bytes())).worksheets[0]
        assert (sheet["A1"].value, sheet["C3"].value) == (title, TABLE)
        assert sheet[unit].value == "江苏省生态环境监控中心"
    editor.no_console_errors()
