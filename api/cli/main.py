"""The ``jixiao`` command: parse → call the node → present. Nothing else lives here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO, Optional

import typer

from api.cli import audit, operations, render, serving
from api.cli.context import (
    cli_actor,
    data_console,
    fail,
    open_node,
    open_services,
    operator_actor,
    read_documents,
    refusals,
    resolve_table,
    settings_for,
)
from api.cli.reports import evaluation, monitoring
from domain import vocabulary
from domain.document import TableDocument, document_of
from domain.model import Form, Period
from infra.documents.exports import ExportFormat
from infra.documents.printable import printable_html
from infra.documents.template import template_bytes
from infra.documents.workbook import write_workbook
from projections.documents import document_json_schema, dump_document, dump_documents
from projections.reads import TableFilter

app = typer.Typer(
    name="jixiao",
    help="Jixiao: budget performance target tables (绩效目标表), event-sourced.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = data_console()
app.add_typer(operations.tokens, name="token")
app.add_typer(operations.projections, name="projections")
app.add_typer(operations.parked, name="parked")
app.add_typer(operations.relay, name="relay")
app.add_typer(audit.audit, name="audit")
app.add_typer(monitoring.commands, name="monitoring")
app.add_typer(evaluation.commands, name="evaluation")
app.command("serve")(serving.serve)
app.command("up")(serving.up)

JurisdictionOption = Annotated[
    str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code of the node, e.g. 360100")
]
TableArgument = Annotated[str, typer.Argument(help="table id, or a unique prefix of it")]
ActorOption = Annotated[str | None, typer.Option("--as", help="your name, recorded on every event")]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="why, recorded on the event")]  # noqa: UP045


@app.command("import")
def import_documents(
    jurisdiction: JurisdictionOption,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Excel (.xlsx, .xls), HTML pages, text from PDF in any encoding, or table"
            " documents (JSON); the format is told from the content"
        ),
    ],
    fiscal_year: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="fiscal year for tables without a '2026年度' line"),
    ] = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
    keep_status: Annotated[
        bool,
        typer.Option(
            "--keep-status",
            help="restore (as the node's admin): new tables keep the status their documents"
            " give, which their history records; otherwise they start as drafts",
        ),
    ] = False,
) -> None:
    """Import documents as drafts: all of them are stored, or (on any problem) none. The node
    is created if the data directory has none, once the documents have been read."""
    _, place = settings_for(jurisdiction)
    with refusals():
        documents = read_documents(files, place.code, fiscal_year)
    with open_services(jurisdiction, create=True) as services, refusals():
        who = operator_actor if keep_status else cli_actor
        outcomes = services.editing.import_documents(
            who(services.place.code, actor_name),
            documents,
            reason or _imported_from(files),
            keep_status=keep_status,
        )
        console.print(render.import_report(outcomes))


@app.command("export")
def export(
    jurisdiction: JurisdictionOption,
    table: Annotated[Optional[str], typer.Argument(help="table id or prefix")] = None,  # noqa: UP045
    all_tables: Annotated[bool, typer.Option("--all", help="every table of the node")] = False,
    output_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format", help="json (schema 1), xlsx (a sheet per table) or html (to print)"
        ),
    ] = ExportFormat.JSON,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="write to this file instead of stdout"),
    ] = None,
) -> None:
    """Export table documents: JSON (schema 1), an official-layout workbook, or a page to print."""
    if (table is None) == (not all_tables):
        fail("give either a table id or --all", code=2)
    if output_format is ExportFormat.XLSX and output is None:
        fail("--format xlsx writes a workbook: give --output FILE", code=2)
    with open_node(jurisdiction) as node, refusals():
        documents: Iterator[TableDocument]
        if all_tables:
            documents = (document_of(node.app.table(item)) for item in node.app.table_ids())
        else:
            documents = iter([document_of(node.table(table or ""))])
        if output_format is ExportFormat.XLSX and output is not None:
            _write_file(output, lambda stream: write_workbook(documents, stream))
        elif output_format is ExportFormat.HTML:
            _present(printable_html(documents), output)
        elif all_tables:
            _present(dump_documents(list(documents)) + "\n", output)
        else:
            _present(dump_document(next(documents)) + "\n", output)
    if output is not None:
        console.print(f"wrote {output}")


@app.command("template")
def template(
    form: Annotated[Form, typer.Option("--form", help="provincial or municipal")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the workbook to write")],
    fiscal_year: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="the year the form is for; next year by default"),
    ] = None,
) -> None:
    """Write an empty workbook of a form, with its drop-down lists, to fill in and import."""
    year = fiscal_year or date.today().year + 1
    _write_file(output, lambda stream: stream.write(template_bytes(form, year)))
    console.print(f"wrote {output}")


def _present(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write_file(output, lambda stream: stream.write(text.encode("utf-8")))


def _write_file(output: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write beside ``output``, then put it in place: no half-written file is left behind."""
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("wb") as stream:
            write(stream)
        partial.replace(output)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    finally:
        partial.unlink(missing_ok=True)


@app.command("tables")
def tables(
    jurisdiction: JurisdictionOption,
    search: Annotated[Optional[str], typer.Option(help="part of a name or department")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option(help="show at most this many (1–100)")] = 100,
) -> None:
    """List the node's tables with status, version, funds and findings."""
    if not 1 <= limit <= 100:
        fail("--limit must be between 1 and 100", code=2)
    with open_services(jurisdiction) as services:
        services.runner.catch_up()
        page = services.reads.tables(TableFilter(search=search), limit, None)
        console.print(render.tables_overview(page.rows, console))
        if page.has_next:
            console.print(f"showing {len(page.rows)} of {page.total} tables; narrow with --search")


@app.command("show")
def show(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    version: Annotated[int | None, typer.Option(help="show the table as of this version")] = None,
) -> None:
    """Show one table laid out as the official form."""
    with open_node(jurisdiction) as node, refusals():
        console.print(render.table_form(node.table(table, version)))


@app.command("findings")
def findings(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """List a table's findings: errors block submission, warnings travel with it."""
    with open_node(jurisdiction) as node, refusals():
        chosen = node.table(table)
        found = chosen.findings()
        if not found:
            console.print("no findings")
            return
        console.print(render.findings_view(found, document_of(chosen)))


@app.command("set-value")
def set_value(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    indicator: Annotated[str, typer.Argument(help="indicator id (see `show`)")],
    value: Annotated[str, typer.Argument(help="the value as written, e.g. ≥70块")],
    expected_version: Annotated[int, typer.Option(help="the version you are editing")],
    period: Annotated[Period, typer.Option(help="which value to set")] = Period.FULL_YEAR,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Change one indicator value; refused if the table moved past --expected-version."""
    with open_services(jurisdiction) as services, refusals():
        actor = cli_actor(services.place.code, actor_name)
        table_id = resolve_table(services.app, services.place.code, table)
        changed = services.editing.set_indicator_value(
            actor, table_id, expected_version, indicator, period, value, reason
        )
        console.print(f"{changed.table.id} is now at version {changed.table.version}")


@app.command("explain")
def explain(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    indicator: Annotated[str, typer.Argument(help="indicator id (see `show`)")],
    expected_version: Annotated[int, typer.Option(help="the version you are editing")],
    explanation: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="指标解释: what the indicator measures and how"),
    ] = None,
    basis: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="指标值设定依据: 计划标准, 行业标准, 历史标准 or 其他标准 (or plan…)"),
    ] = None,
    basis_text: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="what the basis says, e.g. the plan or standard it cites"),
    ] = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Set an indicator's 指标解释 and 指标值设定依据 (omit both to clear them)."""
    with open_services(jurisdiction) as services, refusals():
        actor = cli_actor(services.place.code, actor_name)
        table_id = resolve_table(services.app, services.place.code, table)
        changed = services.editing.explain_indicator(
            actor, table_id, expected_version, indicator, explanation, basis, basis_text, reason
        )
        console.print(f"{changed.table.id} is now at version {changed.table.version}")


@app.command("schema")
def schema(
    output: Annotated[
        Path | None, typer.Option(help="write to this file instead of stdout")
    ] = None,
) -> None:
    """Print the JSON Schema of the table document."""
    text = json.dumps(document_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _imported_from(files: list[Path]) -> str:
    return vocabulary.IMPORTED_FROM.format(files="、".join(file.name for file in files))
