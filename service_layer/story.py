"""A table's whole history, gathered once for replay, reports and the history views."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain import vocabulary
from domain.chain import Break
from domain.moments import labelled_time
from domain.narrative import change_text, event_label
from domain.table import TargetTable
from domain.text import visible
from projections.reads import TimelineEntry
from service_layer.history import Audit


@dataclass(frozen=True)
class Line:
    """One event, told in Chinese labels."""

    version: int
    at: str
    actor: str
    role: str
    jurisdiction: str
    action: str
    changes: list[str]
    reason: str | None

    def sentence(self) -> str:
        told = "；".join(self.changes) if self.changes else "（无字段变化）"
        why = f"（原因：{self.reason}）" if self.reason else ""
        who = f"{self.actor}（{self.role}，{self.jurisdiction}）"
        return f"v{self.version} {moment(self.at)} {who} {self.action}：{told}{why}"


@dataclass(frozen=True)
class Story:
    table: TargetTable
    lines: list[Line]
    chain_break: Break | None
    chain_head: str | None


def moment(at: str) -> str:
    """A stored UTC time as people read it: ``2026-11-22 14:41:44 北京时间``."""
    return labelled_time(at)


def story_of(audit: Audit, table_id: UUID) -> Story:
    table = audit.app.table(table_id)
    entries = audit.reads.timelines([str(table_id)]).get(str(table_id), [])
    names = indicator_names(audit, table, entries)
    recorded = audit.recorded(table_id)
    return Story(
        table=table,
        lines=[_line(entry, names) for entry in entries],
        chain_break=audit.verify(table_id),
        chain_head=recorded[-1] if recorded else None,
    )


def _line(entry: TimelineEntry, names: dict[str, str]) -> Line:
    return Line(
        version=entry.version,
        at=entry.at,
        actor=visible(entry.actor_name),
        role=vocabulary.ROLE_LABELS.get(entry.actor_role, entry.actor_role),
        jurisdiction=visible(entry.actor_jurisdiction),
        action=event_label(entry.event_type),
        changes=[change_text(change, names) for change in entry.changes],
        reason=None if entry.reason is None else visible(entry.reason),
    )


def indicator_names(
    audit: Audit, table: TargetTable, entries: list[TimelineEntry] | None = None
) -> dict[str, str]:
    """Every indicator's name, including removed ones (their last name before removal)."""
    if entries is None:
        entries = audit.reads.timelines([str(table.id)]).get(str(table.id), [])
    names: dict[str, str] = {}
    for entry in entries:
        for change in entry.changes:
            path = change.path
            if path.startswith("indicators.") and path.endswith(".name") and change.after:
                names[path.split(".")[1]] = change.after
    for item in audit.app.table(table.id, 1).content.indicators:
        names.setdefault(item.id, item.name)
    names.update({item.id: item.name for item in table.content.indicators})
    return names
