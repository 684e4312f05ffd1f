"""The review page in a real Chromium: a reviewer returns a submission with a comment at an
indicator, sees exactly what the resubmission changed, and approves it; stale and forged
decisions are refused and store nothing."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.web.conftest import WebNode

RESULT = """
fragment Result on EditResult {
  __typename
  ... on TableChanged { table { id version status } }
}
"""
FIND = "query($search: String) { tables(search: $search) { edges { node { id version } } } }"
TABLE = """
query($id: ID!) {
  table(id: $id) {
    id version status
    indicators { id name fullYear { raw } }
    review { action version comment indicatorComments { indicatorId comment } }
  }
}
"""
EDITOR = "editor@320000"
REVIEWER = "李审核"


def mutate(node: WebNode, name: str, data: dict[str, Any], role: str = "editor") -> Any:
    kind = name[0].upper() + name[1:] + "Input"
    query = f"mutation($input: {kind}!) {{ {name}(input: $input) {{ ...Result }} }}" + RESULT
    result = node.graphql(query, {"input": data}, role)[name]
    assert result["__typename"] == "TableChanged", result
    return result["table"]


def table(node: WebNode, table_id: str) -> Any:
    return node.graphql(TABLE, {"id": table_id})["table"]


def table_named(node: WebNode, search: str) -> Any:
    edges = node.graphql(FIND, {"search": search})["tables"]["edges"]
    assert len(edges) == 1, edges
    return table(node, edges[0]["node"]["id"])


def submit(node: WebNode, table_id: str, version: int) -> int:
    submitted = mutate(node, "submitTable", {"tableId": table_id, "expectedVersion": version})
    assert submitted["status"] == "SUBMITTED"
    return int(submitted["version"])


def open_from_inbox(page: Page, node: WebNode, name: str, version: int) -> None:
    page.goto(f"{node.url}/")
    row = page.locator("section.inbox tbody tr", has_text=name)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(3)).to_have_text(str(version))
    row.get_by_role("link", name="审核").click()
    expect(page.get_by_role("heading", name=f"审核：{name}")).to_be_visible()


def test_return_with_a_comment_at_an_indicator_then_review_the_change_and_approve(
    province: WebNode, browser: Any
) -> None:
    name = "生态环境监控专项"
    target = table_named(province, name)
    table_id = target["id"]
    first, second = target["indicators"][12], target["indicators"][13]  # 视频会议保障率, 联网数
    version = submit(province, table_id, target["version"])

    reviewer = province.sign_in(browser, "reviewer")
    page = reviewer.page
    open_from_inbox(page, province, name, version)
    # The document as submitted, who submitted it, and its findings.
    expect(page.locator("#review-status")).to_have_text("待审核")
    expect(page.locator("#submitted-by")).to_have_text(EDITOR)
    sheet = page.locator("#sheet")
    expect(sheet.locator(".sheet-title")).to_have_text("省级项目预算绩效目标表")
    expect(sheet.locator('[data-path="project.name"]')).to_have_text(name)
    value = sheet.locator(f'[data-path="indicators.{first["id"]}.full_year"]')
    expect(value).to_have_text("≥100%")
    findings = page.locator("section.findings")
    expect(findings).to_contain_text("二级指标下没有三级指标")
    expect(findings).to_contain_text("指标值只能恰好在边界上达到")
    expect(page.locator("section.changes")).to_contain_text("第一次报送")
    expect(sheet.locator(".changed")).to_have_count(0)

    # A return without a reason is refused; what was typed at the indicator stays.
    comment = page.get_by_label(f"「{first['name']}」审核意见", exact=True)
    comment.fill("<b>请说明</b>保障率的测算口径")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("#decide-problem")).to_contain_text("退回时必须填写审核意见")
    expect(comment).to_have_value("<b>请说明</b>保障率的测算口径")
    assert table(province, table_id)["status"] == "SUBMITTED"

    page.get_by_label("审核意见", exact=True).fill("指标值需细化")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator(".verdict")).to_contain_text(f"已退回：由 {REVIEWER} 于")
    expect(page.locator("#review-status")).to_have_text("已退回")
    expect(page.get_by_role("button", name="退回", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    said = page.locator(f'tr[data-indicator-id="{first["id"]}"] td.extra .said')
    expect(said).to_have_text("<b>请说明</b>保障率的测算口径")  # text, never markup
    expect(page.locator("section.decision")).to_contain_text("审核意见：指标值需细化")

    returned = table(province, table_id)
    assert returned["status"] == "RETURNED"
    assert returned["review"]["action"] == "return"
    assert returned["review"]["comment"] == "指标值需细化"
    assert returned["review"]["indicatorComments"] == [
        {"indicatorId": first["id"], "comment": "<b>请说明</b>保障率的测算口径"}
    ]
    page.goto(f"{province.url}/")
    expect(page.locator("section.inbox tbody tr", has_text=name)).to_have_count(0)
    listed = page.locator("#tables tbody tr", has_text=name)
    expect(listed.locator(".status")).to_have_text("已退回")

    # The editor changes one value and resubmits: the new version shows exactly that change.
    edited = mutate(
        province,
        "setIndicatorValue",
        {
            "tableId": table_id,
            "expectedVersion": returned["version"],
            "indicatorId": second["id"],
            "value": "≥16000家",
        },
    )
    version = submit(province, table_id, edited["version"])
    open_from_inbox(page, province, name, version)
    changed = page.locator("#sheet .changed")
    expect(changed).to_have_count(1)
    expect(changed).to_have_attribute("data-path", f"indicators.{second['id']}.full_year")
    expect(changed).to_have_text("≥16000家")
    listing = page.locator("section.changes li")
    expect(listing).to_have_count(1)
    expect(listing).to_contain_text(f"指标「{second['name']}」全年(程)指标值")
    expect(listing.locator("del")).to_have_text("≥15000家")
    expect(listing.locator("ins")).to_have_text("≥16000家")

    page.get_by_label("审核意见", exact=True).fill("同意")
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.locator(".verdict")).to_contain_text(f"已审核通过：由 {REVIEWER} 于")
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    approved = table(province, table_id)
    assert approved["status"] == "APPROVED"
    assert approved["review"]["comment"] == "同意"
    page.goto(f"{province.url}/")
    expect(page.locator("section.inbox tbody tr", has_text=name)).to_have_count(0)
    reviewer.no_console_errors()


def test_a_stale_decision_is_refused_and_stores_nothing(province: WebNode, browser: Any) -> None:
    name = "信息网络运维专项"
    target = table_named(province, name)
    table_id = target["id"]
    version = submit(province, table_id, target["version"])
    reviewer = province.sign_in(browser, "reviewer")
    page = reviewer.page
    open_from_inbox(page, province, name, version)

    # Meanwhile it is returned elsewhere and resubmitted: this page's version is stale.
    returned = mutate(
        province,
        "returnSubmission",
        {"tableId": table_id, "version": version, "reason": "补充说明"},
        "reviewer",
    )
    newer = submit(province, table_id, returned["version"])
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.locator(".stale")).to_contain_text(f"该表已重新报送（版本 {newer}）")
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    assert table(province, table_id)["status"] == "SUBMITTED"

    page.get_by_role("link", name=f"查看版本 {newer}").click()
    expect(page.locator("section.changes")).to_contain_text("没有修改")
    mutate(province, "approveSubmission", {"tableId": table_id, "version": newer}, "reviewer")
    page.get_by_label("审核意见", exact=True).fill("不同意")
    page.get_by_role("button", name="退回", exact=True).click()
    stale = page.locator(".stale")
    expect(stale).to_contain_text("该报送已由 reviewer@320000 于")
    expect(stale).to_contain_text("审核（已审核通过），不能再次审核；本次提交未保存")
    expect(page.locator(".verdict")).to_contain_text("已审核通过：由 reviewer@320000 于")
    after = table(province, table_id)
    assert (after["status"], after["review"]["comment"]) == ("APPROVED", None)
    reviewer.no_console_errors()


def test_only_a_reviewer_may_decide(province: WebNode, browser: Any) -> None:
    name = "政务信息系统运维项目"
    target = table_named(province, name)
    table_id = target["id"]
    version = submit(province, table_id, target["version"])
    address = f"{province.url}/review/{table_id}/{version}"
    indicator = target["indicators"][0]["id"]

    auditor = province.sign_in(browser, "auditor")
    auditor.page.goto(address)
    expect(auditor.page.locator("#review-status")).to_have_text("待审核")
    expect(auditor.page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    expect(auditor.page.locator("textarea")).to_have_count(0)

    editor = province.sign_in(browser, "editor")
    refused = editor.page.request.get(address)
    assert refused.status == 403
    assert "无权" in refused.text()

    for watched in (auditor, editor):
        watched.page.goto(f"{province.url}/")
        csrf = watched.page.locator("form[action='/logout'] input[name=csrf]").get_attribute(
            "value"
        )
        assert csrf
        for decision in ("approve", "return"):
            forged = watched.page.request.post(
                address,
                form={
                    "csrf": csrf,
                    "decision": decision,
                    "reason": "伪造",
                    f"comment-{indicator}": "伪造",
                },
                max_redirects=0,
            )
            assert forged.status == 403, (watched.page.url, decision, forged.status)
            assert "无权" in forged.text()
    unchanged = table(province, table_id)
    assert (unchanged["status"], unchanged["version"], unchanged["review"]) == (
        "SUBMITTED",
        version,
        None,
    )
    # Without the session's CSRF token even a reviewer's post is refused.
    reviewer = province.sign_in(browser, "reviewer")
    forged = reviewer.page.request.post(address, form={"decision": "approve"}, max_redirects=0)
    assert forged.status == 403
    assert table(province, table_id)["status"] == "SUBMITTED"
    for watched in (auditor, editor, reviewer):
        watched.no_console_errors()


def test_the_clerk_s_reasons_and_the_reviewer_s_own_word_stay_on_both_pages(
    province: WebNode, browser: Any
) -> None:
    name = "非现场监管能力提升项目"
    target = table_named(province, name)
    table_id = target["id"]
    indicator = target["indicators"][0]
    first = mutate(
        province,
        "submitTable",
        {"tableId": table_id, "expectedVersion": target["version"], "reason": "资金已落实"},
    )["version"]
    reviewer = province.sign_in(browser, "reviewer")
    page = reviewer.page
    page.goto(f"{province.url}/review/{table_id}/{first}")
    expect(page.locator("#submit-reason")).to_have_text("资金已落实")
    expect(page.locator("#submission-kind")).to_have_text("报送")

    page.get_by_label("审核意见", exact=True).fill("指标值需细化")
    page.get_by_label(f"「{indicator['name']}」审核意见", exact=True).fill("请说明口径")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("#decision-reason")).to_have_text("审核意见：指标值需细化")

    # Resubmitted and approved: the returned version still shows what the reviewer said.
    second = submit(province, table_id, table(province, table_id)["version"])
    mutate(province, "approveSubmission", {"tableId": table_id, "version": second}, "reviewer")
    page.goto(f"{province.url}/review/{table_id}/{first}")
    expect(page.locator("#decision-reason")).to_have_text("审核意见：指标值需细化")
    said = page.locator(f'tr[data-indicator-id="{indicator["id"]}"] td.extra .said')
    expect(said).to_have_text("请说明口径")

    # 调整中 is no approval banner, and the adjustment's reason reaches the reviewer.
    adjusting = mutate(
        province,
        "openAdjustment",
        {"tableId": table_id, "expectedVersion": second + 1, "reason": "追加监测点位"},
    )["version"]
    editor = province.sign_in(browser, "editor")
    editor.page.goto(f"{province.url}/tables/{table_id}")
    expect(editor.page.locator("#adjustment-note")).to_contain_text("调整原因：追加监测点位")
    expect(editor.page.locator(".decision-approve")).to_have_count(0)
    third = mutate(
        province,
        "submitTable",
        {"tableId": table_id, "expectedVersion": adjusting, "reason": "调整后重新报送"},
    )["version"]
    editor.page.goto(f"{province.url}/tables/{table_id}")
    expect(editor.page.locator("#note-adjustment-reason")).to_have_text("追加监测点位")
    expect(editor.page.locator("#note-submit-reason")).to_have_text("调整后重新报送")

    page.goto(f"{province.url}/")
    row = page.locator("section.inbox tbody tr", has_text=name)
    expect(row.locator(".tag.adjustment")).to_have_text("调整")
    page.goto(f"{province.url}/review/{table_id}/{third}")
    expect(page.locator("#submission-kind")).to_contain_text("调整")
    expect(page.locator("#adjustment-reason")).to_have_text("追加监测点位")
    expect(page.locator("#submit-reason")).to_have_text("调整后重新报送")
    for watched in (reviewer, editor):
        watched.no_console_errors()
