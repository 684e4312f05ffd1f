"""The form drawn for someone who may edit it: each cell a button that opens its editor.

A cell's editor replaces the cell's slot (``.cell-slot``) in place; the actions of an indicator
row (改名, 移动, 解释, 删除, 新增) open theirs in the row's 三级指标 cell, and new lines and
indicators are added in the panel under the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

from markupsafe import Markup

from api.web.sheet import Cell, Cells, SheetView
from domain.model import Form, Indicator

PROJECT_CELLS = {
    Form.PROVINCIAL: (
        "name",
        "department",
        "kind",
        "level",
        "start",
        "end",
        "implementing_unit",
        "manager",
        "necessity",
        "feasibility",
        "content",
    ),
    Form.MUNICIPAL: ("name", "department", "implementing_unit", "kind", "start", "end"),
}
GOAL_CELLS = {Form.PROVINCIAL: ("long_term", "annual"), Form.MUNICIPAL: ("annual",)}
ROW_ACTIONS = (("move", "移动"), ("explain", "解释"), ("remove", "删除"))
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def slot_id(path: str) -> str:
    """An element id for the cell at ``path`` that CSS and htmx selectors accept as written."""
    return "cell-" + _NOT_ID.sub("-", path)


def all_cells(view: SheetView) -> Iterator[Cell]:
    """Every editable cell of the form, in printed order."""
    form = view.document.form
    yield from (view.project(name) for name in PROJECT_CELLS[form])
    yield view.fund_total()
    yield from view.fund_sources()
    for _, name, half, full in view.expenditures():
        yield from (name, half, full) if view.provincial else ()
    yield from (view.goal(name) for name in GOAL_CELLS[form])
    for item in view.document.indicators:
        yield view.name_cell(item)
        if view.provincial:
            yield view.value_cell(item, "half_year")
        yield view.value_cell(item, "full_year")


def cell_at(view: SheetView, path: str) -> Cell | None:
    """The cell ``path`` names on this form, or None when the form has no such cell."""
    return next((cell for cell in all_cells(view) if cell.path == path), None)


def indicator_of(view: SheetView, indicator_id: str) -> Indicator | None:
    return next((item for item in view.document.indicators if item.id == indicator_id), None)


def table_url(table_id: str | None, version: int, action: str, **query: str | int) -> str:
    """An address under this table; the version the page shows always travels with it."""
    return f"/tables/{table_id}/{action}?{urlencode({**query, 'version': version})}"


class EditableCells(Cells):
    """Draws each cell as a button that opens its editor; ``focus`` names the cell to focus."""

    extra_heading = "操作"
    extra_width = "19%"

    def __init__(
        self, view: SheetView, focus: str | None = None, version: int | None = None
    ) -> None:
        super().__init__(view)
        self.focus = focus
        self.version = (view.document.version or 0) if version is None else version
        self.group_ends = _group_ends(view)

    def url(self, action: str, **query: str | int) -> str:
        return table_url(self.view.document.id, self.version, action, **query)

    def show(self, cell: Cell) -> Markup:
        text = cell.text or ""
        return Markup(
            '<div class="cell-slot" id="{slot}"><button type="button" class="cell-button" '
            'hx-get="{url}" hx-target="closest .cell-slot" hx-swap="outerHTML" '
            'aria-label="{label}：{shown}" title="修改{label}"{focus}>{text}</button></div>'
        ).format(
            slot=slot_id(cell.path),
            url=self.url("editor", path=cell.path),
            label=cell.label,
            shown=text or "（空）",
            focus=Markup(" data-autofocus") if cell.path == self.focus else "",
            text=text,
        )

    def row_extra(self, item: Indicator) -> Markup:
        name_slot = "#" + slot_id(f"indicators.{item.id}.name")
        rename_url = self.url("editor", path=f"indicators.{item.id}.name")
        rename = _action_button("改名", f"改名「{item.name}」", rename_url, name_slot)
        actions = [rename] + [
            _action_button(
                text,
                f"{text}「{item.name}」",
                self.url(f"indicators/{item.id}/{action}"),
                name_slot,
            )
            for action, text in ROW_ACTIONS
        ]
        position = self.group_ends.get(item.id)
        if position is not None:
            category = f"{item.level1_code}/{item.level2}"
            actions.append(self._add_button(item.level2, category, position))
        return Markup('<div class="row-actions">{}</div>').format(Markup("").join(actions))

    def group_extra(self, level1: str, level2: str) -> Markup:
        """新增 into an empty category: after the last indicator of its level 1."""
        items = self.view.document.indicators
        code = next(group.code for group in self.view.level1_groups() if group.label == level1)
        after = [index + 1 for index, item in enumerate(items) if item.level1_code == code]
        return self._add_button(level2, f"{code}/{level2}", max(after, default=len(items)))

    def _add_button(self, level2: str, category: str, position: int) -> Markup:
        url = self.url("indicators/new", category=category, position=position)
        return _action_button("＋新增", f"在「{level2}」下新增指标", url, "#add-panel", "add")


def _action_button(text: str, label: str, url: str, target: str, kind: str = "") -> Markup:
    return Markup(
        '<button type="button" class="row-action {kind}" hx-get="{url}" hx-target="{target}" '
        'hx-swap="{swap}" aria-label="{label}">{text}</button>'
    ).format(
        kind=kind,
        url=url,
        target=target,
        swap="innerHTML" if target == "#add-panel" else "outerHTML",
        label=label,
        text=text,
    )


def _group_ends(view: SheetView) -> dict[str, int]:
    """The last indicator of each level-2 run, and the position just after it."""
    positions = {item.id: index for index, item in enumerate(view.document.indicators)}
    return {
        group.indicators[-1].id: positions[group.indicators[-1].id] + 1
        for level1 in view.level1_groups()
        for group in level1.groups
        if group.indicators
    }
