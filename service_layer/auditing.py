"""History as people ask for it: a table at any version or time, what changed between two
versions, who last set each value, whether the stored history is intact, and the whole story.

Every question names the actor: reading a past version needs the right to read the table,
diff, blame and verify are for auditors and admins. "Versions are 1..current" and "a time
must carry its zone" are checked here, once, for every entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.access import Operation
from domain.chain import Break
from domain.history import Change
from domain.model import Actor
from domain.table import TargetTable
from service_layer import parsing as p
from service_layer.access import Gate
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.history import Audit, BlameLine
from service_layer.story import Story, indicator_names, story_of


class History:
    def __init__(self, audit: Audit, gate: Gate) -> None:
        self.audit = audit
        self.gate = gate

    def table(
        self,
        actor: Actor | None,
        table_id: UUID,
        version: int | None = None,
        at: str | datetime | None = None,
    ) -> TargetTable:
        """The table now, at ``version``, or as it stood at time ``at`` (with its zone)."""
        self.gate.check(actor, Operation.READ)
        if at is not None:
            if version is not None:
                raise InvalidArgument("asOf", "give either version or asOf, not both")
            version = self.version_at(table_id, p.moment_of("asOf", at))
        if version is None:
            return self.current(table_id)
        # The read model's row names the current version in one light query; loading the
        # current table itself would cost a fast-forward query for a past version's read.
        row = self.audit.reads.table_summaries([str(table_id)]).get(str(table_id))
        current = row.version if row is not None else self.current(table_id).version
        self._check_version(table_id, "version", version, current)
        return self.audit.app.table(table_id, version)

    def version_at(self, table_id: UUID, moment: datetime) -> int:
        stamp = moment.astimezone(UTC).isoformat(timespec="microseconds")
        found = self.audit.reads.version_at(str(table_id), stamp)
        if found is None:
            raise InvalidArgument(
                "asOf", f"table {table_id} did not exist yet at {moment.isoformat()}"
            )
        return found

    def diff(self, actor: Actor | None, table_id: UUID, before: int, after: int) -> list[Change]:
        """Exactly what differs between two versions."""
        self.gate.check(actor, Operation.AUDIT)
        current = self.current(table_id).version
        self._check_version(table_id, "fromVersion", before, current)
        self._check_version(table_id, "toVersion", after, current)
        return self.audit.diff(table_id, before, after)

    def blame(self, actor: Actor | None, table_id: UUID) -> list[BlameLine]:
        """For every current field and value, the event that last set it."""
        self.gate.check(actor, Operation.AUDIT)
        self.current(table_id)
        return self.audit.blame(table_id)

    def verify(self, actor: Actor | None, table_id: UUID | None = None) -> VerifyResult:
        """Recompute hash chains (one table, or every table the ledger has seen)."""
        self.gate.check(actor, Operation.AUDIT)
        if table_id is not None:
            self.current(table_id)
            found = self.audit.verify(table_id)
            return VerifyResult(1, [] if found is None else [(table_id, found)])
        return VerifyResult(len(self.audit.ledger_tables()), self.audit.verify_all())

    def story(self, actor: Actor | None, table_id: UUID) -> Story:
        """The whole history told in Chinese labels: replay, timeline and reports."""
        self.gate.check(actor, Operation.AUDIT)
        self.current(table_id)
        return story_of(self.audit, table_id)

    def indicator_names(self, table: TargetTable) -> dict[str, str]:
        return indicator_names(self.audit, table)

    def current(self, table_id: UUID) -> TargetTable:
        try:
            return self.audit.app.table(table_id)
        except AggregateNotFoundError:
            raise UnknownTable(str(table_id), self.gate.place.code) from None

    @staticmethod
    def _check_version(table_id: UUID, field: str, version: int, current: int) -> None:
        if not 1 <= version <= current:
            raise InvalidArgument(
                field, f"table {table_id} has versions 1..{current}, not {version}"
            )


@dataclass(frozen=True)
class VerifyResult:
    """How many tables were checked, and each broken one with its first broken link."""

    checked: int
    broken: list[tuple[UUID, Break]]
