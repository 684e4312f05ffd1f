"""The character policy: every command refuses NUL, control and bidi characters (line breaks only
where a field holds several lines), documents report them, and history shows them visibly."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from uuid import uuid4

import pytest

from api.web.refusals import refusal_of
from domain.errors import SubmissionBlocked, UnsafeText
from domain.findings import Severity, check_table
from domain.history import Change
from domain.model import Actor, BasisKind, Expenditure, Period, Role, Status, ValueBasis
from domain.narrative import change_text
from domain.submission import ReceivedTable
from domain.table import TargetTable
from domain.text import describe, refused_character, text_problems, visible
from domain.values import parse_value
from infra.transcodings import new_transcoder
from service_layer.errors import InvalidArgument
from service_layer.parsing import value_of
from service_layer.store import TablesApplication
from tests.conftest import NANCHANG, seed_documents
from tests.unit.test_table import EDITOR, REVIEWER, first_indicator, move_to, new_table

RLO = "\u202e"


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a\x00b", "\x00"),
        ("≥5\x1b[31m个", "\x1b"),
        (f"同意{RLO}改", RLO),
        ("\u2066隔离\u2069", "\u2066"),
        ("\ud800", "\ud800"),
        ("\x85", "\x85"),
        ("两行\n文字", "\n"),
        ("制表\t符", "\t"),
        ("回车\r", "\r"),
    ],
)
def test_a_line_refuses_control_bidi_and_break_characters(text: str, refused: str) -> None:
    assert refused_character(text) == refused


@pytest.mark.parametrize(
    "text", ["新建界标", "≥66块", "2026年4月30日", "中文\u3000全角空格", "（程）", "[/red]", "=1+1"]
)
def test_chinese_text_and_markup_like_text_are_allowed(text: str) -> None:
    assert refused_character(text) is None
    assert refused_character(text, multi_line=True) is None


def test_several_lines_may_hold_breaks_and_tabs_but_nothing_else() -> None:
    assert refused_character("第一行\r\n第二行\n\t第三行", multi_line=True) is None
    assert refused_character(f"第一行\n{RLO}第二行", multi_line=True) == RLO
    assert refused_character("a\x00b", multi_line=True) == "\x00"


def test_characters_are_named_by_code_point_and_name() -> None:
    assert describe(RLO) == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert describe("\x00") == "U+0000 NULL"
    assert describe("\x1b") == "U+001B ESCAPE"
    assert describe("\x03") == "U+0003 (a control character)"


def test_history_shows_invisible_and_bidi_characters_visibly() -> None:
    assert visible(f"同意{RLO}改") == "同意⟨U+202E⟩改"
    assert visible("a\x00b\x1b[31m") == "a⟨U+0000⟩b⟨U+001B⟩[31m"
    assert visible("零\u200b宽") == "零⟨U+200B⟩宽"
    assert visible("两行\r\n文字\n\t缩进") == "两行\r\n文字\n\t缩进"
    assert visible("覆盖\r写") == "覆盖⟨U+000D⟩写"
    assert visible("全角\u3000空格") == "全角\u3000空格"


def test_a_change_in_history_is_told_with_its_hidden_characters_shown() -> None:
    change = Change("indicators.x.full_year", "≥66块", f"≥66{RLO}块")
    told = change_text(change, {"x": f"新建{RLO}界标"})
    assert told == "指标「新建⟨U+202E⟩界标」全年(程)指标值: ≥66块 → ≥66⟨U+202E⟩块"


Command = Callable[[TargetTable], None]
NUL, ESC = "\x00", "\x1b"
COMMANDS: list[tuple[str, Command, str]] = [
    (
        "a value",
        lambda t: t.set_indicator_value(
            first_indicator(t), Period.FULL_YEAR, parse_value(f"≥5{NUL}个"), EDITOR, None
        ),
        "value",
    ),
    ("a reason", lambda t: t.set_fund_total(Decimal(1), EDITOR, f"改{RLO}正"), "reason"),
    ("a name", lambda t: t.rename_indicator(first_indicator(t), f"名{ESC}", EDITOR, None), "name"),
    ("a name's line break", lambda t: t.set_project_field("name", "两\n行", EDITOR, None), "name"),
    (
        "a narrative",
        lambda t: t.set_project_field("necessity", f"必要{NUL}", EDITOR, None),
        "necessity",
    ),
    ("a goal", lambda t: t.set_goal("annual", f"目标{RLO}", EDITOR, None), "text"),
    (
        "a line",
        lambda t: t.set_expenditure(
            0, Expenditure(name=f"支{ESC}出", full_year=Decimal(1)), EDITOR, None
        ),
        "line.name",
    ),
    (
        "an explanation",
        lambda t: t.explain_indicator(
            first_indicator(t), "解释", ValueBasis(BasisKind.PLAN, f"《规划》{RLO}"), EDITOR, None
        ),
        "basis.text",
    ),
    (
        "a new indicator",
        lambda t: t.add_indicator(
            replace(t.content.indicators[0], id="new", full_year=parse_value(f"≥1{RLO}次")),
            None,
            EDITOR,
            None,
        ),
        "fullYear",
    ),
    (
        "the actor",
        lambda t: t.remove_indicator(first_indicator(t), replace(EDITOR, name=f"王{NUL}"), None),
        "actor.name",
    ),
    ("a submission", lambda t: t.submit(EDITOR, f"提交{ESC}"), "reason"),
]


@pytest.mark.parametrize(("what", "command", "field"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_edit_refuses_text_the_policy_refuses_and_stores_nothing(
    what: str, command: Command, field: str
) -> None:
    table = new_table()
    with pytest.raises(UnsafeText, match=rf"^{re.escape(field)} contains U\+") as refused:
        command(table)
    assert refused.value.field == field
    assert len(table.pending_events) == 1  # the registration only


def test_several_lines_are_fine_where_a_field_holds_them() -> None:
    table = new_table()
    table.set_goal("annual", "第一行\r\n第二行", EDITOR, "原因一\n原因二")
    table.set_project_field("necessity", "必要\n可行", EDITOR, None)
    assert table.content.goals.annual == "第一行\r\n第二行"


def test_a_reviewer_decision_refuses_a_bidi_override_in_its_reason_or_comments() -> None:
    table = move_to(Status.SUBMITTED)
    with pytest.raises(UnsafeText, match=r"reason contains U\+202E RIGHT-TO-LEFT OVERRIDE"):
        table.approve(table.version, f"同意{RLO}", REVIEWER)
    indicator = first_indicator(table)
    with pytest.raises(UnsafeText) as refused:
        table.return_for_changes(table.version, "请改", {indicator: f"改{RLO}"}, REVIEWER)
    assert refused.value.field == f"indicatorComments[{indicator}]"
    assert table.status is Status.SUBMITTED


def test_a_received_submission_with_a_nul_is_refused_before_it_is_stored() -> None:
    document = seed_documents(NANCHANG, "360100")[0]
    hostile = replace(document, project=replace(document.project, name=f"项目{NUL}"))
    received = ReceivedTable(table_id=uuid4(), jurisdiction="360100")
    with pytest.raises(UnsafeText, match=r"document\.project\.name contains U\+0000 NULL"):
        received.receive(hostile, 1, ["a"], "e-1", EDITOR)
    assert received.received == []


def old_table_with(reason: str) -> TargetTable:
    """A table whose store holds a character from before the policy: an event no command
    would make today, made the way the event itself is applied."""
    table = new_table()
    table._set_fund_total(table.content.funds.total, EDITOR, reason)
    item = table.content.indicators[0]
    table._set_indicator_value(item.id, Period.FULL_YEAR, parse_value(f"≥1{RLO}次"), EDITOR, None)
    return table


def test_an_old_store_with_such_characters_still_loads_and_cannot_be_submitted() -> None:
    app = TablesApplication("360100", new_transcoder, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    stored = old_table_with(f"改{RLO}正\x00")
    app.save(stored)
    table = app.table(stored.id)
    assert table.version == 3
    found = [item for item in table.findings() if item.code == "text.unsafe_character"]
    indicator = table.content.indicators[0].id
    assert [(item.severity, item.path) for item in found] == [
        (Severity.ERROR, f"indicators[{indicator}].full_year")
    ]
    assert found[0].message == (
        f"indicators[{indicator}].full_year contains U+202E RIGHT-TO-LEFT OVERRIDE"
    )
    with pytest.raises(SubmissionBlocked):
        table.submit(EDITOR, None)


def test_the_seed_documents_hold_no_refused_character() -> None:
    for document in seed_documents(NANCHANG, "360100"):
        assert list(text_problems(document)) == []
        assert not [
            item
            for item in check_table(document.form, document.content)
            if item.code.startswith("text.")
        ]


def test_an_actor_named_with_a_control_character_cannot_sign_an_edit() -> None:
    table = new_table()
    someone = Actor(id="u-9", name="王\x07", role=Role.EDITOR, jurisdiction="360100")
    with pytest.raises(UnsafeText, match=r"actor\.name contains U\+0007 BELL"):
        table.set_goal("annual", "目标", someone, None)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("≥≥abc%", "'≥≥abc%' is not a value"),
        ("2026年2月30日", "there is no 2026年2月30日"),
        ("≥5\x00个", "fullYear contains U+0000 NULL"),
        (f"≥5{RLO}个", "fullYear contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_typed_value_is_read_once_at_the_edge_and_refused_naming_its_field(
    typed: str, said: str
) -> None:
    with pytest.raises(InvalidArgument, match=re.escape(said)) as refused:
        value_of("fullYear", typed)
    assert refused.value.field == "fullYear"


def test_the_workbench_says_which_character_or_value_is_refused_in_chinese() -> None:
    with pytest.raises(UnsafeText) as unsafe:
        new_table().set_fund_total(Decimal(1), EDITOR, f"改{RLO}")
    assert refusal_of(unsafe.value).message == (
        "输入有误：原因含有不允许的字符 U+202E RIGHT-TO-LEFT OVERRIDE"
        "（控制字符或双向文字控制符），请删除后再保存"
    )
    with pytest.raises(InvalidArgument) as grammar:
        value_of("value", "≥≥abc%")
    assert refusal_of(grammar.value).message.startswith("输入有误：值不是有效的指标值：比较符")
