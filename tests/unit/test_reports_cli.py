"""``jixiao monitoring`` and ``jixiao evaluation`` as a province's staff would run them.

江苏省 (320000) is a root jurisdiction: its own reviewers decide its reports. The table is
江苏省生态环境非现场监管能力提升项目 (年度资金总额 210 万元, 20 indicators), imported from the
seed and approved through the use cases (the CLI has no table workflow commands).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from api.cli.main import app
from domain.model import Actor, Role
from domain.values import ValueKind, parse_value
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import JIANGSU
from tests.support.office import convert

TABLE = "bd29b958-0790-5f82-b263-1e7242704fac"
EDITOR = Actor(id="cli:王编报", name="王编报", role=Role.EDITOR, jurisdiction="320000")
REVIEWER = Actor(id="cli:李审核", name="李审核", role=Role.REVIEWER, jurisdiction="320000")
HOSTILE = "[/red] 加快支付进度"
SET_JUNE = ("monitoring", "set", "-j", "320000", TABLE, "-m", "6")


class Jixiao:
    def __init__(self, data_dir: Path) -> None:
        # Wide enough that no table cell wraps what the assertions look for.
        env = {"JIXIAO_DATA_DIR": str(data_dir), "JIXIAO_DATABASE_URL": None, "COLUMNS": "220"}
        self.runner = CliRunner(env=env)

    def __call__(self, *args: str, ok: bool = True) -> Result:
        result = self.runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def jixiao(tmp_path: Path) -> Jixiao:
    data_dir = tmp_path / "var"
    run = Jixiao(data_dir)
    run("import", "-j", "320000", str(JIANGSU), "--as", "王编报")
    services = build_services("320000", Settings(data_dir=data_dir, database_url=None))
    try:
        services.workflow.submit(EDITOR, UUID(TABLE), 1, "请审核")
        services.workflow.approve(REVIEWER, UUID(TABLE), 2, "同意")
    finally:
        services.close()
    return run


def indicators(jixiao: Jixiao) -> list[dict[str, Any]]:
    document = json.loads(jixiao("export", "-j", "320000", TABLE[:8]).stdout)
    found: list[dict[str, Any]] = document["indicators"]
    return found


def reached(raw: str) -> str:
    """A value that reaches the target ``raw``: the number itself, one more for ``>``."""
    value = parse_value(raw)
    if value.kind is not ValueKind.NUMERIC:
        return raw
    assert value.number is not None
    number = value.number + 1 if value.op == ">" else value.number
    return f"{number}{value.unit or ''}"


def monitoring_form(jixiao: Jixiao, executed: str, **doubtful: Any) -> dict[str, Any]:
    """Every target certain to be reached, except 现场帮扶企业数 with ``doubtful``."""
    lines = []
    for item in indicators(jixiao):
        target = reached(item["full_year"]["raw"])
        line = {"indicatorId": item["id"], "actualToDate": target, "yearEndForecast": target}
        if item["name"] == "现场帮扶企业数":
            line.update({"actualToDate": "30家", **doubtful})
        lines.append(line)
    return {"budgetExecuted": executed, "budgetForecast": "200", "lines": lines}


def write(path: Path, form: dict[str, Any]) -> str:
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    return str(path)


POSSIBLE = {
    "likelihood": "有可能",
    "causes": ["FUNDING", "其他"],
    "causeNote": "资金下达晚",
    "measures": HOSTILE,
}


def test_a_round_is_filled_in_submitted_approved_and_read_with_its_lights(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    form = write(tmp_path / "m6.json", monitoring_form(jixiao, "52.5", **POSSIBLE))
    saved = jixiao("monitoring", "set", "-j", "320000", TABLE[:8], "--month", "6", "-f", form)
    assert "saved the round to month 6 as version 2" in saved.stdout
    # 52.5 of 210 spent by the end of June: (52.5 ÷ 210) ÷ (6 ÷ 12) × 100 = 50.00 < 60 → red;
    # a budget of 210 ≥ 200 with a red light is 重点监控.
    for words in ("50.00%", "红灯 RED", "重点监控", "黄灯 YELLOW", "绿灯 GREEN", HOSTILE):
        assert words in saved.stdout
    shown = json.loads(
        jixiao("monitoring", "show", "-j", "320000", TABLE, "-m", "6", "--json").stdout
    )
    figures = shown["figures"]
    assert (figures["executionRate"], figures["executionLight"], figures["watched"]) == (
        "50.00",
        "RED",
        True,
    )
    doubtful = next(line for line in shown["form"]["lines"] if line["likelihood"] == "POSSIBLE")
    assert figures["lights"][doubtful["indicatorId"]] == "YELLOW"
    assert (doubtful["causes"], doubtful["measures"]) == (["FUNDING", "OTHER"], HOSTILE)

    submitted = jixiao("monitoring", "submit", "-j", "320000", TABLE[:8], "-m", "6")
    assert "as version 3" in submitted.stdout
    review = ("monitoring", "review", "-j", "320000", TABLE[:8], "-m", "6", "--as", "李审核")
    jixiao(*review, "--approve", "--reason", "按序时推进")
    approved = jixiao("monitoring", "show", "-j", "320000", TABLE[:8], "-m", "6").stdout
    for words in (
        "已审核通过 (版本 4)",
        "审核通过 (第 3 版) — 李审核, 审核人 320000",
        "按序时推进",
    ):
        assert words in approved

    # The printed round, stored again as the round to March: the same spending is on time.
    again = write(tmp_path / "shown.json", shown)
    march = jixiao("monitoring", "set", "-j", "320000", TABLE[:8], "-m", "3", "-f", again).stdout
    assert "100.00%" in march
    assert "绿灯 GREEN" in march
    assert "重点监控" not in march
    listing = jixiao("monitoring", "list", "-j", "320000").stdout
    assert "3月" in listing
    assert "6月" in listing
    watched = jixiao("monitoring", "list", "-j", "320000", "--watched").stdout
    assert "6月" in watched
    assert "3月" not in watched
    assert "红灯 RED" in watched


def test_a_round_that_may_miss_without_causes_is_refused_in_one_line_and_nothing_is_stored(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    names = [item["name"] for item in indicators(jixiao)]
    at = names.index("现场帮扶企业数")
    form = write(tmp_path / "m6.json", monitoring_form(jixiao, "52.5", likelihood="POSSIBLE"))
    refused = jixiao(*SET_JUNE, "-f", form, ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1  # one line, however long
    assert refused.stderr.startswith(f"error: lines[{at}].causes: 现场帮扶企业数: ")
    assert refused.stderr.rstrip().endswith("纠偏措施; nothing was stored")
    missing = jixiao("monitoring", "show", "-j", "320000", TABLE, "-m", "6", ok=False)
    assert "no monitoring round to month 6" in missing.stderr

    malformed = monitoring_form(jixiao, "52.5", likelihood="maybe")
    refused = jixiao(*SET_JUNE, "-f", write(tmp_path / "bad.json", malformed), ok=False)
    assert refused.exit_code == 1
    assert f"bad.json: lines[{at}].likelihood: " in refused.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"budgetExecuted": 1,\n  "lines": [}', encoding="utf-8")
    refused = jixiao(*SET_JUNE, "-f", str(broken), ok=False)
    assert "broken.json:2: not JSON" in refused.stderr
    assert "no monitoring rounds" in jixiao("monitoring", "list", "-j", "320000").stdout


def test_the_history_of_a_round_names_who_changed_what(jixiao: Jixiao, tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", monitoring_form(jixiao, "52.5", **POSSIBLE))
    jixiao(*SET_JUNE, "-f", first, "--as", "王编报")
    second = write(tmp_path / "b.json", monitoring_form(jixiao, "63", **POSSIBLE))
    jixiao(*SET_JUNE, "-f", second, "--as", "张编报", "--reason", "补录支付")
    timeline = jixiao("monitoring", "timeline", "-j", "320000", TABLE, "-m", "6").stdout
    for words in (
        "开启",
        "填报",
        "王编报",
        "张编报",
        "补录支付",
        "1–6月执行数: 52.5 → 63",
        HOSTILE,
    ):
        assert words in timeline
    diff = jixiao(
        "monitoring", "diff", "-j", "320000", TABLE, "-m", "6", "--from", "2", "--to", "3"
    ).stdout
    assert diff.splitlines() == ["1–6月执行数: 52.5 → 63"]
    blame = jixiao("monitoring", "blame", "-j", "320000", TABLE, "-m", "6").stdout
    assert "现场帮扶企业数 可能性" in blame
    assert "有可能" in blame


def evaluation_form(jixiao: Jixiao) -> dict[str, Any]:
    """Weights of 4.5 for each of the 20 indicators; two numeric targets missed."""
    lines = []
    for item in indicators(jixiao):
        raw = item["full_year"]["raw"]
        line: dict[str, Any] = {"indicatorId": item["id"], "weight": "4.5"}
        if parse_value(raw).kind is ValueKind.TEXT:
            line.update(band="达成", score="4.5")
        else:
            line["actual"] = reached(raw)
        if item["name"] == "服务对象满意":  # ≥80%
            line.update(actual="60%", explanation="样本偏少")
        if item["name"] == "发现存环境问题企业并督促整改":  # >10家
            line.update(actual="5家", explanation="企业整改滞后")
        lines.append(line)
    return {
        "budgetFullYear": "210",
        "budgetExecuted": "42",
        "lines": lines,
        "conclusion": "基本完成",
    }


def test_a_self_evaluation_is_scored_and_its_recheck_is_shown_beside_it(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    form = write(tmp_path / "e.json", evaluation_form(jixiao))
    saved = jixiao("evaluation", "set", "-j", "320000", TABLE[:8], "-f", form).stdout
    # 执行: min(42 ÷ 210, 1) × 10 = 2.00; 18 lines reached: 18 × 4.5 = 81.00;
    # 服务对象满意 60 ÷ 80 × 4.5 = 3.375 → 3.38; 发现…整改 5 ÷ 10 × 4.5 = 2.25;
    # 2.00 + 81.00 + 3.38 + 2.25 = 88.63, 良 (80 ≤ 88.63 < 90).
    for words in ("20.00%", "2.00", "3.38", "2.25", "总分  88.63  自评等级: 良"):
        assert words in saved
    card = json.loads(jixiao("evaluation", "show", "-j", "320000", TABLE, "--json").stdout)
    assert (card["scorecard"]["total"], card["scorecard"]["grade"]) == ("88.63", "良")

    jixiao("evaluation", "submit", "-j", "320000", TABLE[:8])
    args = ("evaluation", "review", "-j", "320000", TABLE[:8], "--as", "李审核")
    refused = jixiao(*args, "--recheck", "88.5", ok=False)
    assert refused.stderr.startswith("error: reason: setting a 复核 score requires a reason")
    jixiao(*args, "--recheck", "88.5", "--reason", "满意度样本不足，复核扣分")
    shown = jixiao("evaluation", "show", "-j", "320000", TABLE).stdout
    for words in ("总分      88.63  自评等级: 良", "复核得分  88.50", "复核 (第 3 版) — 李审核"):
        assert words in shown
    listing = jixiao("evaluation", "list", "-j", "320000").stdout
    assert "88.63" in listing
    assert "88.50" in listing
    assert "已审核通过" in listing


def test_the_forms_go_out_as_workbooks_and_come_back(jixiao: Jixiao, tmp_path: Path) -> None:
    blank = tmp_path / "blank.xlsx"
    jixiao("monitoring", "template", "-j", "320000", TABLE, "-m", "6", "-o", str(blank))
    sheet = load_workbook(blank).worksheets[0]
    assert sheet["A1"].value == "项目支出绩效目标执行监控表"
    form = write(tmp_path / "m6.json", monitoring_form(jixiao, "52.5", **POSSIBLE))
    jixiao(*SET_JUNE, "-f", form)
    filled = tmp_path / "m6.xlsx"
    jixiao("monitoring", "export", "-j", "320000", TABLE, "-m", "6", "-o", str(filled))
    again = jixiao(*SET_JUNE, "-f", str(filled)).stdout
    assert "as version 2" in again  # the same form: nothing new is stored
    wrong = jixiao(
        "monitoring", "set", "-j", "320000", TABLE, "-m", "3", "-f", str(filled), ok=False
    )
    assert "m6.xlsx!项目支出绩效目标执行监控表!" in wrong.stderr
    assert wrong.stderr.rstrip().endswith("error: nothing was stored")

    jixiao(
        "evaluation",
        "set",
        "-j",
        "320000",
        TABLE,
        "-f",
        write(tmp_path / "e.json", evaluation_form(jixiao)),
    )
    scored = tmp_path / "e.xlsx"
    jixiao("evaluation", "export", "-j", "320000", TABLE, "-o", str(scored))
    back = jixiao("evaluation", "set", "-j", "320000", TABLE, "-f", str(scored)).stdout
    assert "as version 2" in back
    assert "88.63" in back
    jixiao("evaluation", "template", "-j", "320000", TABLE, "-o", str(tmp_path / "e0.xlsx"))
    assert load_workbook(tmp_path / "e0.xlsx").worksheets[0]["A1"].value == "项目支出绩效自评表"
    assert not list(tmp_path.glob("*.partial"))


def test_a_form_saved_by_libreoffice_is_read_as_xls_and_named_as_ods(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    jixiao(*SET_JUNE, "-f", write(tmp_path / "m6.json", monitoring_form(jixiao, "52.5")))
    filled = tmp_path / "m6.xlsx"
    jixiao("monitoring", "export", "-j", "320000", TABLE, "-m", "6", "-o", str(filled))
    (xls,) = convert([filled], "xls", tmp_path / "xls")
    assert "as version 2" in jixiao(*SET_JUNE, "-f", str(xls)).stdout  # the same form
    (ods,) = convert([filled], "ods", tmp_path / "ods")
    refused = jixiao(*SET_JUNE, "-f", str(ods), ok=False)
    said = " ".join(refused.stderr.split())
    assert (
        f"{ods}: OpenDocument 电子表格（.ods），无法读取：请提交 Excel 工作簿（.xlsx 或 .xls"
        in said
    )
    assert "zip" not in said.lower()
    assert said.endswith("nothing was stored")
    evaluated = jixiao("evaluation", "set", "-j", "320000", TABLE, "-f", str(ods), ok=False)
    assert "OpenDocument 电子表格（.ods）" in evaluated.stderr


def test_how_the_goal_stands_typed_into_the_workbook_is_kept_on_set(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    jixiao(*SET_JUNE, "-f", write(tmp_path / "m6.json", monitoring_form(jixiao, "52.5")))
    filled = tmp_path / "m6.xlsx"
    jixiao("monitoring", "export", "-j", "320000", TABLE, "-m", "6", "-o", str(filled))
    book = load_workbook(filled)
    assert book.worksheets[0]["J9"].value == "1-6月执行情况"
    book.worksheets[0]["J10"] = "非现场监管平台已上线，帮扶按计划推进"
    book.save(filled)
    assert "as version 3" in jixiao(*SET_JUNE, "-f", str(filled)).stdout
    shown = json.loads(
        jixiao("monitoring", "show", "-j", "320000", TABLE, "-m", "6", "--json").stdout
    )
    assert shown["form"]["goalProgress"] == "非现场监管平台已上线，帮扶按计划推进"
    history = jixiao("monitoring", "timeline", "-j", "320000", TABLE, "-m", "6").stdout
    assert "年度总体目标执行情况" in history


def test_a_round_of_32_nines_is_refused_naming_the_field_and_nothing_is_stored(
    jixiao: Jixiao, tmp_path: Path
) -> None:
    """Issue 25, point 1: the CLI's way in keeps to the amount rule too."""
    form = write(tmp_path / "nines.json", monitoring_form(jixiao, "9" * 32))
    refused = jixiao(*SET_JUNE, "-f", form, ok=False)
    assert refused.exit_code != 0
    assert "budgetExecuted" in refused.output
    assert "超出金额（万元）的范围" in refused.output
    shown = jixiao("monitoring", "show", "-j", "320000", TABLE, "-m", "6", ok=False)
    assert shown.exit_code != 0  # no round was opened
