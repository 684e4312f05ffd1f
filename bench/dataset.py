"""A province-scale dataset made from the shapes of the real seed tables.

Each generated table copies one seed table (its indicators, funds and layout) under a new
project name, then receives ordinary edits: indicator values changed in either period, a
rename now and then, and a submit → return → resubmit cycle, as bureaus do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from uuid import UUID

from api.cli.context import SEED_DOCUMENTS
from domain.document import TableDocument
from domain.identity import table_id_for
from domain.model import Actor, Period, Role, Status
from domain.table import TargetTable
from domain.values import parse_value
from infra.documents.reading import read_text_document
from service_layer.store import TablesApplication

EDITOR = Actor("bench:editor", "基准编报", Role.EDITOR, "320000")
REVIEWER = Actor("bench:reviewer", "基准审核", Role.REVIEWER, "320000")


def templates(jurisdiction: str) -> list[TableDocument]:
    """Every seed table, re-homed in ``jurisdiction``."""
    found: list[TableDocument] = []
    for code, path in SEED_DOCUMENTS:
        for document in read_text_document(path.read_text(encoding="utf-8"), path.name, code):
            found.append(replace(document, jurisdiction=jurisdiction))
    return found


def generate(
    app: TablesApplication, tables: int, events_per_table: int, batch: int = 50, offset: int = 0
) -> Iterator[int]:
    """Store ``tables`` tables of ``events_per_table`` events each; yields events stored so far.

    ``offset`` numbers the projects, so a second call makes tables of its own.
    """
    shapes = templates(app.jurisdiction)
    stored = 0
    pending: list[TargetTable] = []
    for number in range(offset, offset + tables):
        pending.append(_table(shapes[number % len(shapes)], number, events_per_table))
        if len(pending) == batch:
            app.save(*pending)
            stored += sum(table.version for table in pending)
            pending.clear()
            yield stored
    if pending:
        app.save(*pending)
        yield stored + sum(table.version for table in pending)


def generated_id(shapes: list[TableDocument], number: int) -> UUID:
    """The id ``generate`` gives project ``number`` (shapes as ``templates`` returns them)."""
    shape = shapes[number % len(shapes)]
    name = _project_name(shape, number)
    return table_id_for(shape.jurisdiction, shape.fiscal_year, shape.project.department, name)


def _project_name(shape: TableDocument, number: int) -> str:
    return f"{shape.project.name}（第{number}号）"


def _table(shape: TableDocument, number: int, events: int) -> TargetTable:
    project = replace(shape.project, name=_project_name(shape, number))
    table = TargetTable(
        id=generated_id([shape], number),
        jurisdiction=shape.jurisdiction,
        fiscal_year=shape.fiscal_year,
        form=shape.form,
        status=Status.DRAFT,
        content=replace(shape.content, project=project),
        actor=EDITOR,
        reason="bench import",
    )
    indicators = itertools.cycle(item.id for item in shape.indicators)
    while table.version < events:
        _edit(table, next(indicators), events)
    return table


def _edit(table: TargetTable, indicator: str, events: int) -> None:
    step = table.version
    remaining = events - step
    if step % 20 == 10 and remaining >= 3 and table.status is Status.DRAFT:
        table.submit(EDITOR, "bench submit")
        table.return_for_changes(table.version, "bench return", {indicator: "请核实"}, REVIEWER)
        table.set_indicator_value(
            indicator, Period.FULL_YEAR, parse_value(f"≥{step}项"), EDITOR, "fix"
        )
    elif step % 7 == 0:
        table.rename_indicator(indicator, f"指标{step}", EDITOR, "rename")
    else:
        period = Period.HALF_YEAR if step % 3 == 0 else Period.FULL_YEAR
        table.set_indicator_value(indicator, period, parse_value(f"≥{step}项"), EDITOR, "edit")
