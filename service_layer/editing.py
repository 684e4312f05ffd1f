"""What a bureau's editor does to a table: every edit the form allows, and imports.

Each use case names the actor, checks that the actor may edit here, reads its arguments, and
then loads the table, calls the aggregate and saves (refusing a stale ``expected_version``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.access import Operation
from domain.categories import as_the_table_writes, category_for
from domain.document import TableDocument
from domain.errors import IndicatorPositionOutOfRange, NoSuchExpenditureLine
from domain.model import Actor, Indicator, Period
from domain.table import TargetTable
from service_layer import parsing as p
from service_layer.access import Gate, requires
from service_layer.admission import NamedIn, check_places
from service_layer.errors import UnknownTable
from service_layer.store import ImportOutcome, Saved, TablesApplication

Change = Callable[[TargetTable], None]


class Editing:
    def __init__(self, app: TablesApplication, gate: Gate, named_in: NamedIn) -> None:
        """``named_in`` names the jurisdictions a name begins with (the GB/T 2260 registry)."""
        self.app = app
        self.gate = gate
        self.named_in = named_in

    def edit(
        self, actor: Actor | None, table_id: UUID, expected_version: int, change: Change
    ) -> Saved:
        """Load, refuse a stale version, apply ``change``, save: the shape of every edit."""
        self.gate.check(actor, Operation.EDIT)
        return self.store(table_id, expected_version, change)

    def store(self, table_id: UUID, expected_version: int, change: Change) -> Saved:
        """Get → call → save, for an actor the caller has authorised."""
        try:
            return self.app.edit(table_id, expected_version, change)
        except AggregateNotFoundError:
            raise UnknownTable(str(table_id), self.gate.place.code) from None

    @requires(Operation.EDIT)
    def set_project_field(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        field: str,
        value: str | None,
        reason: str | None = None,
    ) -> Saved:
        text = p.text_of("value", value)
        why = p.text_of("reason", reason)
        return self.store(table_id, version, lambda t: t.set_project_field(field, text, actor, why))

    @requires(Operation.EDIT)
    def set_fund_total(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        amount: str | None,
        reason: str | None = None,
    ) -> Saved:
        total = p.amount_of("amount", amount)
        why = p.text_of("reason", reason)
        return self.store(table_id, version, lambda t: t.set_fund_total(total, actor, why))

    @requires(Operation.EDIT)
    def set_fund_source(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        source: str,
        amount: str | None,
        reason: str | None = None,
    ) -> Saved:
        code = p.source_of(source)
        value = p.amount_of("amount", amount)
        why = p.text_of("reason", reason)
        return self.store(table_id, version, lambda t: t.set_fund_source(code, value, actor, why))

    @requires(Operation.EDIT)
    def add_expenditure(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        name: str,
        full_year: str,
        half_year: str | None = None,
        reason: str | None = None,
    ) -> Saved:
        line = p.line_of(name, full_year, half_year)
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.set_expenditure(len(t.content.expenditures), line, actor, why),
        )

    @requires(Operation.EDIT)
    def set_expenditure(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        index: int,
        name: str,
        full_year: str,
        half_year: str | None = None,
        reason: str | None = None,
    ) -> Saved:
        line = p.line_of(name, full_year, half_year)
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.set_expenditure(_existing_line(t, index), line, actor, why),
        )

    @requires(Operation.EDIT)
    def remove_expenditure(
        self, actor: Actor, table_id: UUID, version: int, index: int, reason: str | None = None
    ) -> Saved:
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.set_expenditure(_existing_line(t, index), None, actor, why),
        )

    @requires(Operation.EDIT)
    def set_goal(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        goal: str,
        text: str | None,
        reason: str | None = None,
    ) -> Saved:
        words = p.text_of("text", text)
        why = p.text_of("reason", reason)
        return self.store(table_id, version, lambda t: t.set_goal(goal, words, actor, why))

    @requires(Operation.EDIT)
    def add_indicator(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        level1: str,
        level2: str,
        name: str,
        full_year: str,
        half_year: str | None = None,
        position: int | None = None,
        reason: str | None = None,
    ) -> Saved:
        named = category_for(level1, level2)
        item = Indicator(
            id=uuid.uuid4().hex[:12],
            level1=named.level1,
            level1_code=named.level1_code,
            level2=named.level2,
            level2_code=named.level2_code,
            name=p.name_of("name", name),
            half_year=p.value_of("halfYear", half_year),
            full_year=p.required_value_of("fullYear", full_year),
        )
        why = p.text_of("reason", reason)

        def add(table: TargetTable) -> None:
            category = as_the_table_writes(table.content, named)
            joined = replace(item, level1=category.level1, level2=category.level2)
            table.add_indicator(joined, _position(table, position), actor, why)

        return self.store(table_id, version, add)

    @requires(Operation.EDIT)
    def set_indicator_value(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        indicator_id: str,
        period: Period,
        value: str | None,
        reason: str | None = None,
    ) -> Saved:
        parsed = p.value_of("value", value)
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.set_indicator_value(indicator_id, period, parsed, actor, why),
        )

    @requires(Operation.EDIT)
    def rename_indicator(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        indicator_id: str,
        name: str,
        reason: str | None = None,
    ) -> Saved:
        new = p.name_of("name", name)
        why = p.text_of("reason", reason)
        return self.store(
            table_id, version, lambda t: t.rename_indicator(indicator_id, new, actor, why)
        )

    @requires(Operation.EDIT)
    def move_indicator(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        indicator_id: str,
        level1: str,
        level2: str,
        reason: str | None = None,
    ) -> Saved:
        named = category_for(level1, level2)
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.move_indicator(
                indicator_id, as_the_table_writes(t.content, named), actor, why
            ),
        )

    @requires(Operation.EDIT)
    def explain_indicator(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        indicator_id: str,
        explanation: str | None,
        basis: str | None,
        basis_text: str | None = None,
        reason: str | None = None,
    ) -> Saved:
        """指标解释 and 指标值设定依据 (计划标准 / 行业标准 / 历史标准 / 其他标准, with text)."""
        words = p.text_of("explanation", explanation)
        words = words if words and words.strip() else None
        grounds = p.basis_of(basis, basis_text)
        why = p.text_of("reason", reason)
        return self.store(
            table_id,
            version,
            lambda t: t.explain_indicator(indicator_id, words, grounds, actor, why),
        )

    @requires(Operation.EDIT)
    def remove_indicator(
        self,
        actor: Actor,
        table_id: UUID,
        version: int,
        indicator_id: str,
        reason: str | None = None,
    ) -> Saved:
        why = p.text_of("reason", reason)
        return self.store(table_id, version, lambda t: t.remove_indicator(indicator_id, actor, why))

    def import_documents(
        self,
        actor: Actor | None,
        documents: Sequence[TableDocument],
        reason: str | None,
        *,
        keep_status: bool = False,
        create_only: bool = False,
    ) -> list[ImportOutcome]:
        """New tables are registered as drafts, known ones revised; all of it is stored, or none.

        An editor imports. Only an admin may ``keep_status``: restore tables in the status their
        documents give, which their first event records. ``create_only`` (seeds) leaves every
        table already here as it is, whatever its status.
        """
        who = self.gate.check(actor, Operation.KEEP_STATUS if keep_status else Operation.EDIT)
        why = p.text_of("reason", reason)
        check_places(documents, self.gate.place, self.named_in)
        return self.app.import_documents(
            documents, who, why, keep_status=keep_status, create_only=create_only
        )


def _existing_line(table: TargetTable, index: int) -> int:
    count = len(table.content.expenditures)
    if not 0 <= index < count:
        raise NoSuchExpenditureLine(index, count)
    return index


def _position(table: TargetTable, position: int | None) -> int | None:
    count = len(table.content.indicators)
    if position is not None and not 0 <= position <= count:
        raise IndicatorPositionOutOfRange(position, count)
    return position
