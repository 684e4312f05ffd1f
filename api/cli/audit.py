"""The auditor's commands: timeline, as-of, diff, blame, verify, replay and reports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional
from uuid import UUID

import typer
from rich.table import Table
from rich.text import Text

from api import reports
from api.cli import render
from api.cli.context import (
    TableNotFound,
    data_console,
    fail,
    open_services,
    operator_actor,
    refusals,
    resolve_table,
)
from domain.model import Actor
from domain.narrative import change_text, path_label, value_words
from domain.text import visible
from infra.bootstrap import NodeServices
from service_layer.story import moment

console = data_console()
audit = typer.Typer(help="Replay, compare and verify a table's history.", no_args_is_help=True)
JurisdictionOption = Annotated[
    str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code, e.g. 360100")
]
TableArgument = Annotated[str, typer.Argument(help="table id, or a unique prefix of it")]


class Format(StrEnum):
    HTML = "html"
    XLSX = "xlsx"


def _table(services: NodeServices, reference: str) -> UUID:
    services.runner.catch_up()
    try:
        return resolve_table(services.app, services.place.code, reference)
    except TableNotFound as error:
        fail(str(error))


@audit.command("timeline")
def timeline(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """Every event: version, time, who, what changed (before → after), and why."""
    with open_services(jurisdiction) as services:
        story = services.history.story(_operator(services), _table(services, table))
        view = Table("版本", "时间", "操作人", "操作", "变更", "原因", show_lines=True)
        for line in story.lines:
            who = f"{line.actor}\n{line.role} {line.jurisdiction}"
            view.add_row(
                str(line.version),
                moment(line.at),
                who,
                line.action,
                "\n".join(line.changes),
                line.reason or "",
            )
        console.print(view)


@audit.command("asof")
def asof(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    version: Annotated[Optional[int], typer.Option(help="the table at this version")] = None,  # noqa: UP045
    at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="the table as it stood at this time, e.g. 2026-03-01T09:00:00+08:00"),
    ] = None,
) -> None:
    """The table as it stood at a version or a time (a time needs its zone)."""
    if (version is None) == (at is None):
        fail("give either --version or --at", code=2)
    with open_services(jurisdiction) as services, refusals():
        table_id = _table(services, table)
        found = services.history.table(_operator(services), table_id, version, at)
        current = services.history.current(table_id).version
        console.print(f"version {found.version} of {current}")
        console.print(render.table_form(found))


@audit.command("diff")
def diff(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    before: Annotated[int, typer.Argument(help="from this version")],
    after: Annotated[int, typer.Argument(help="to this version")],
) -> None:
    """Exactly what differs between two versions."""
    with open_services(jurisdiction) as services, refusals():
        table_id = _table(services, table)
        found = services.history.diff(_operator(services), table_id, before, after)
        names = services.history.indicator_names(services.history.current(table_id))
        if not found:
            console.print(f"versions {before} and {after} are the same")
        for change in found:
            console.print(change_text(change, names), highlight=False)


@audit.command("blame")
def blame(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """For every field and value: the version, time, person and reason that last set it."""
    with open_services(jurisdiction) as services, refusals():
        table_id = _table(services, table)
        lines = services.history.blame(_operator(services), table_id)
        names = services.history.indicator_names(services.history.current(table_id))
        view = Table("字段", "当前值", "版本", "时间", "操作人", "原因")
        for line in lines:
            entry = line.entry
            view.add_row(
                path_label(line.path, names),
                value_words(line.path, line.value)[:60] if line.value else "",
                str(entry.version),
                moment(entry.at),
                visible(entry.actor_name),
                visible(entry.reason or ""),
            )
        console.print(view)


@audit.command("verify")
def verify(
    jurisdiction: JurisdictionOption,
    table: Annotated[Optional[str], typer.Argument(help="one table (default: --all)")] = None,  # noqa: UP045
    everything: Annotated[bool, typer.Option("--all", help="every table of the node")] = False,
) -> None:
    """Recompute every hash chain; exit 1 naming the table and the first broken version."""
    if table is not None and everything:
        fail("give either a table id or --all", code=2)
    with open_services(jurisdiction) as services, refusals():
        services.runner.catch_up()
        table_id = None if table is None else _table(services, table)
        result = services.history.verify(_operator(services), table_id)
        broken, checked = result.broken, result.checked
        for table_id, problem in broken:
            console.print(
                Text.assemble(
                    ("broken", "red"),
                    f" table {table_id} at version {problem.version}: {problem.problem}",
                ),
                highlight=False,
            )
        if broken:
            raise typer.Exit(1)
        console.print(f"verified {checked} table(s): every hash chain is intact")


@audit.command("replay")
def replay(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """The table's life as a story, one line per event."""
    with open_services(jurisdiction) as services:
        story = services.history.story(_operator(services), _table(services, table))
        name = visible(story.table.content.project.name)
        console.print(f"{name}（{story.table.id}）", highlight=False)
        for line in story.lines:
            typer.echo(line.sentence())


@audit.command("report")
def report(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    format: Annotated[Format, typer.Option("--format", help="html or xlsx")] = Format.HTML,
    output: Annotated[Optional[Path], typer.Option(help="file to write")] = None,  # noqa: UP045
) -> None:
    """Write the full history as a document an auditor can file."""
    with open_services(jurisdiction) as services:
        story = services.history.story(_operator(services), _table(services, table))
        path = output or Path(f"audit-{str(story.table.id)[:8]}.{format.value}")
        if format is Format.HTML:
            reports.write_html(story, path)
        else:
            reports.write_xlsx(story, path)
        console.print(f"wrote {path} ({len(story.lines)} events)")


def _operator(services: NodeServices) -> Actor:
    return operator_actor(services.place.code)
