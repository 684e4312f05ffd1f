"""What the review page shows of one submission: the document as submitted, the cells and
paths changed since the version submitted before it, and a 审核意见 box at each indicator."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from api.web.sheet import Cells, SheetView
from domain import vocabulary
from domain.document import TableDocument
from domain.finding_words import finding_text
from domain.history import Change, changes, content_fields
from domain.model import Indicator
from domain.narrative import path_label, value_words
from projections.documents import document_from_json
from projections.reads import Submissions

COMMENT_FIELD = "comment-"
REVIEW_STATUS = {
    "submitted": "待审核",
    "returned": "已退回",
    "approved": "已审核通过",
    "superseded": "已由新版本取代",
}
ACTIONS = {"return": "returned", "approve": "approved"}


@dataclass(frozen=True)
class ShownChange:
    """A change since the previous submission, as the reviewer reads it."""

    path: str
    label: str
    before: str
    after: str
    kind: str  # added, removed, changed


@dataclass
class Typed:
    """What the reviewer typed, shown back when the decision is refused."""

    reason: str = ""
    comments: dict[str, str] = field(default_factory=dict)


class ReviewCells(Cells):
    """Read-only cells, marked where they changed; a 审核意见 box at each indicator."""

    def __init__(
        self,
        view: SheetView,
        changed: frozenset[str],
        editable: bool,
        typed: dict[str, str],
        stored: dict[str, str],
    ) -> None:
        super().__init__(view, changed)
        self.editable = editable
        self.typed = typed
        self.stored = stored
        self.extra_heading = "审核意见" if editable or stored else None

    def row_extra(self, item: Indicator) -> Markup:
        if not self.editable:
            said = self.stored.get(item.id)
            if not said:
                return Markup("")
            return Markup('<p class="said">{}</p>').format(said)
        name = f"{COMMENT_FIELD}{item.id}"
        return Markup(
            '<label class="visually-hidden" for="{name}">「{label}」审核意见</label>'
            '<textarea class="indicator-comment" id="{name}" name="{name}" form="decide"'
            ' rows="2" maxlength="2000" placeholder="逐项意见">{typed}</textarea>'
        ).format(name=name, label=item.name, typed=escape(self.typed.get(item.id, "")))


@dataclass(frozen=True)
class Review:
    """One submission and everything its page shows."""

    table_id: str
    entry: Any
    document: TableDocument
    previous: Any | None
    newer: Any | None

    @classmethod
    def of(cls, found: Submissions, table_id: str, version: int) -> Review | None:
        rows = found.rows
        at = next((index for index, row in enumerate(rows) if row.version == version), None)
        if at is None:
            return None
        entry = rows[at]
        return cls(
            table_id,
            entry,
            document_from_json(entry.document),
            rows[at - 1] if at > 0 else None,
            rows[-1] if at < len(rows) - 1 else None,
        )

    @property
    def pending(self) -> bool:
        return self.entry.status == "submitted" and self.newer is None

    def changes(self) -> list[Change]:
        if self.previous is None:
            return []
        before = document_from_json(self.previous.document).content
        return changes(content_fields(before), content_fields(self.document.content))

    def shown_changes(self, found: list[Change]) -> list[ShownChange]:
        names = {item.id: item.name for item in self.document.indicators}
        if self.previous is not None:
            earlier = document_from_json(self.previous.document).indicators
            names = {**{item.id: item.name for item in earlier}, **names}
        municipal = self.document.form.value == "municipal"
        return [_shown_change(change, names, municipal) for change in found]

    def stored_comments(self) -> dict[str, str]:
        """The comments at indicators the reviewer returned this version with, kept with it."""
        stored = self.entry.indicator_comments
        return {} if stored is None else dict(json.loads(stored))


def _shown_change(change: Change, names: dict[str, str], municipal: bool) -> ShownChange:
    label = path_label(change.path, names)
    if municipal and change.path.endswith(".full_year"):
        label = label.replace(vocabulary.PERIOD_LABELS["full_year"], "指标值")
    kind = "added" if change.before is None else "removed" if change.after is None else "changed"
    return ShownChange(
        change.path,
        label,
        _value(change.path, change.before),
        _value(change.path, change.after),
        kind,
    )


def _value(path: str, text: str | None) -> str:
    return "（空）" if text is None or text == "" else value_words(path, text)


def finding_lines(view: SheetView) -> list[tuple[str, str]]:
    """Errors, then warnings, each said once (a value's half- and full-year often agree)."""
    lines = [("error", finding_text(item, view.document)) for item in view.errors]
    lines += [("warning", finding_text(item, view.document)) for item in view.warnings]
    return list(dict.fromkeys(lines))
