"""What the history pages show: the timeline in Chinese labels, the form whose cells answer
"who set this, when and why", the form at a past version, and two versions side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import quote

from markupsafe import Markup

from api.web.render import shown_time
from api.web.sheet import Cell, Cells, Marks, SheetView
from domain import vocabulary
from domain.chain import Break
from domain.history import Change
from domain.moments import SHOWN_ZONE
from domain.narrative import change_text, event_label, path_label, value_words
from domain.text import visible
from projections.reads import TimelineEntry
from service_layer.errors import InvalidArgument
from service_layer.history import BlameLine

COLLAPSE_AFTER = 8  # a registration lists every initial value: fold long change lists


@dataclass(frozen=True)
class ChangeRow:
    """One field's change: its label, and its value before and after, as people read them."""

    path: str
    label: str
    before: str | None
    after: str | None
    text: str

    @classmethod
    def of(cls, change: Change, names: dict[str, str]) -> ChangeRow:
        return cls(
            path=change.path,
            label=path_label(change.path, names),
            before=_value_text(change.path, change.before),
            after=_value_text(change.path, change.after),
            text=change_text(change, names),
        )


def _value_text(path: str, value: str | None) -> str | None:
    return None if value is None else value_words(path, value)


@dataclass(frozen=True)
class Moment:
    """One version of the table in the timeline: who did what, when, why, and what changed."""

    version: int
    at: str
    action: str
    actor: str
    role: str
    jurisdiction: str
    reason: str | None
    changes: list[ChangeRow]

    @classmethod
    def of(cls, entry: TimelineEntry, names: dict[str, str]) -> Moment:
        return cls(
            version=entry.version,
            at=entry.at,
            action=event_label(entry.event_type),
            actor=visible(entry.actor_name),
            role=vocabulary.ROLE_LABELS.get(entry.actor_role, entry.actor_role),
            jurisdiction=visible(entry.actor_jurisdiction),
            reason=None if entry.reason is None else visible(entry.reason),
            changes=[ChangeRow.of(change, names) for change in entry.changes],
        )

    @property
    def collapsed(self) -> bool:
        return len(self.changes) > COLLAPSE_AFTER

    @property
    def choice(self) -> str:
        """How a version reads in a version picker."""
        return f"第 {self.version} 版 · {shown_time(self.at)} · {self.actor} · {self.action}"


@dataclass(frozen=True)
class Blame:
    """Who last set one cell's value: the version that did, and the change it made there."""

    path: str
    label: str
    value: str | None
    moment: Moment | None
    change: ChangeRow | None


def blame_of(
    path: str, lines: list[BlameLine], moments: list[Moment], names: dict[str, str]
) -> Blame:
    """The blame of ``path``; an empty cell is answered by the last version that changed it."""
    label = path_label(path, names)
    line = next((item for item in lines if item.path == path), None)
    by_version = {item.version: item for item in moments}
    if line is not None:
        moment = by_version.get(line.entry.version)
        value = _value_text(path, line.value)
    else:
        moment = next((item for item in reversed(moments) if _change_at(item, path)), None)
        value = None
    change = None if moment is None else _change_at(moment, path)
    return Blame(path, label, value, moment, change)


def _change_at(moment: Moment, path: str) -> ChangeRow | None:
    return next((item for item in moment.changes if item.path == path), None)


_PROBLEMS = (
    (
        r"version (\d+) was recorded but is no longer stored",
        "第 {0} 版已登记在链中，但存储里已没有它",
    ),
    (
        r"version (\d+) is missing \(the next stored event is version (\d+)\)",
        "缺少第 {0} 版（存储中的下一个事件是第 {1} 版）",
    ),
    (r"version (\d+) was altered, removed or reordered", "第 {0} 版被改动、删除或调换了顺序"),
    (r"events were stored without being recorded in the chain", "有事件被存入却未登记在链中"),
)


@dataclass(frozen=True)
class ChainStatus:
    """The table's hash chain, recomputed: intact, or where it first breaks and how."""

    intact: bool
    versions: int
    head: str | None
    broken_at: int | None = None
    problem: str | None = None

    @classmethod
    def of(cls, found: Break | None, versions: int, head: str | None) -> ChainStatus:
        if found is None:
            return cls(True, versions, head)
        return cls(False, versions, head, found.version, problem_text(found.problem))

    @property
    def verdict(self) -> str:
        if self.intact:
            return f"哈希链完整：第 1–{self.versions} 版与登记的链一致"
        return f"哈希链断裂：{self.problem}"


def problem_text(problem: str) -> str:
    """The chain check's finding in Chinese (the original when it is not a known one)."""
    for pattern, told in _PROBLEMS:
        found = re.fullmatch(pattern, problem)
        if found:
            return told.format(*found.groups())
    return problem


def moment_typed(text: str) -> tuple[datetime, str]:
    """A ``datetime-local`` value (Beijing time) → the aware moment it means, and how to say it.

    The timeline shows times to the second, so a time counts to the end of the minute or second
    typed: asking for the time a version was made shows that version.
    """
    typed = text.strip()
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        raise InvalidArgument("asOf", f"“{text}”不是有效的时间（如 2026-03-01 09:00）") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHOWN_ZONE)
    to_minute = len(typed) <= len("2026-03-01T09:00")
    told = shown_time(moment)[: 16 if to_minute else 19]
    if to_minute:
        moment += timedelta(seconds=59, microseconds=999999)
    elif moment.microsecond == 0:
        moment += timedelta(microseconds=999999)
    return moment, told


def local_input(at: str | datetime) -> str:
    """A stored time as a ``datetime-local`` input value, in Beijing time, to the second."""
    return shown_time(at).replace(" ", "T")


class PlainCells(Cells):
    """Read-only cells without the checker's marks: history is about values, not findings.
    Invisible and bidi characters are shown (``⟨U+202E⟩``): history shows what was stored."""

    def __init__(self, view: SheetView, changed: frozenset[str] = frozenset()) -> None:
        super().__init__(view, changed)
        self.marks = Marks()

    def show(self, cell: Cell) -> Markup:
        return super().show(replace(cell, text=visible(cell.text)) if cell.text else cell)


class BlameCells(PlainCells):
    """Every cell a button: pressing it (or Enter on it) asks who set its value."""

    def __init__(self, view: SheetView, table_id: str) -> None:
        super().__init__(view)
        self.table_id = table_id

    def show(self, cell: Cell) -> Markup:
        url = f"/tables/{self.table_id}/blame?path={quote(cell.path, safe='')}"
        return Markup(
            '<button type="button" class="cell-button blame-button" data-blame="{path}" '
            'hx-get="{url}" hx-target="#blame-panel" hx-swap="innerHTML" '
            'aria-controls="blame-panel" title="查看此值由谁、何时、为何设定" '
            'aria-label="{label}：查看由谁、何时、为何设定">{text}</button>'
        ).format(path=cell.path, url=url, label=cell.label, text=super().show(cell))
