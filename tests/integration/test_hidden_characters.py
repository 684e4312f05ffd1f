"""Stored events are forever: a store written before the character policy may hold bidi and
control characters. It still loads, and every audit view shows them visibly (``⟨U+202E⟩``) —
the timeline and replay, the change lists, blame, the history pages' cells and both reports."""

from __future__ import annotations

from io import BytesIO
from uuid import UUID

from openpyxl import load_workbook

from api import reports
from api.web.history_views import Moment, PlainCells
from api.web.sheet import Cell, SheetView
from domain.document import document_of
from domain.model import Actor, Period, Role
from domain.narrative import change_text
from domain.values import parse_value
from infra.bootstrap import NodeServices
from tests.conftest import NANCHANG, ServicesFactory, seed_documents

RLO = "\u202e"
EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
AUDITOR = Actor("u-4", "赵审计", Role.AUDITOR, "360100")
OLD_REASON = f"更正{RLO}金额\x1b[31m"


def old_store(services: NodeServices) -> tuple[UUID, str]:
    """A seed table with two events no command makes today: the events' own bodies, as an
    earlier release's commands stored them."""
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = next(iter(services.app.table_ids()))
    indicator = services.app.table(table_id).content.indicators[0].id
    services.app.edit(
        table_id,
        1,
        lambda t: t._set_indicator_value(
            indicator, Period.FULL_YEAR, parse_value(f"≥1{RLO}0次"), EDITOR, OLD_REASON
        ),
    )
    services.app.edit(
        table_id, 2, lambda t: t._rename_indicator(indicator, f"巡查{RLO}次数", EDITOR, None)
    )
    services.runner.catch_up()
    return table_id, indicator


def test_an_old_store_with_hidden_characters_loads_and_its_findings_say_where(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, indicator = old_store(services)
    table = services.app.table(table_id)
    assert table.version == 3
    unsafe = {item.path for item in table.findings() if item.code == "text.unsafe_character"}
    assert unsafe == {f"indicators[{indicator}].name", f"indicators[{indicator}].full_year"}


def test_the_timeline_replay_and_reports_show_hidden_characters_visibly(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, _ = old_store(services)
    story = services.history.story(AUDITOR, table_id)
    edit = story.lines[1]
    assert edit.reason == "更正⟨U+202E⟩金额⟨U+001B⟩[31m"
    assert edit.changes[0].endswith("≥1⟨U+202E⟩0次")
    assert "巡查⟨U+202E⟩次数" in story.lines[2].sentence()
    page = reports.html_text(story)
    assert "⟨U+202E⟩" in page
    assert RLO not in page
    assert "\x1b" not in page
    sheet = load_workbook(BytesIO(reports.xlsx_bytes(story)))["变更记录"]
    assert sheet["H3"].value == "更正⟨U+202E⟩金额⟨U+001B⟩[31m"
    assert "巡查⟨U+202E⟩次数" in str(sheet["G4"].value)


def test_blame_diff_and_the_history_pages_show_hidden_characters_visibly(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    table_id, indicator = old_store(services)
    table = services.history.current(table_id)
    names = services.history.indicator_names(table)
    told = [change_text(change, names) for change in services.history.diff(AUDITOR, table_id, 1, 3)]
    assert "指标「巡查⟨U+202E⟩次数」全年(程)指标值: ≤60万 → ≥1⟨U+202E⟩0次" in told
    entries = services.reads.timelines([str(table_id)])[str(table_id)]
    moment = Moment.of(entries[1], names)
    assert moment.reason == "更正⟨U+202E⟩金额⟨U+001B⟩[31m"
    assert moment.changes[0].after == "≥1⟨U+202E⟩0次"
    cells = PlainCells(SheetView(document_of(table)))
    shown = cells.show(Cell(f"indicators.{indicator}.name", f"巡查{RLO}次数", "三级指标"))
    assert "巡查⟨U+202E⟩次数" in shown
    assert RLO not in shown
