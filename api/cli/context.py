"""What the CLI commands share: opening a node, reading files, naming the actor, failing clearly."""

from __future__ import annotations

import getpass
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn
from uuid import UUID

import typer
from eventsourcing.application import AggregateNotFoundError
from pydantic import ValidationError
from rich.console import Console

from api.logs import log_config
from domain.document import TableDocument
from domain.errors import DomainError
from domain.model import Actor, Jurisdiction, Role
from domain.table import TargetTable
from infra.bootstrap import NodeServices, build_node, build_services
from infra.documents.cells import DocumentError
from infra.documents.reading import DocumentsRefused, read_files
from infra.jurisdictions import UnknownJurisdiction, jurisdiction
from infra.settings import Settings
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.store import TablesApplication


def data_console(stderr: bool = False) -> Console:
    """A console that prints text as it is: what people typed (a value ``[/red]``, a name) is
    data, never rich markup. Styles are given as ``style=`` or ``Text``, never in the string."""
    return Console(stderr=stderr, markup=False)


errors = data_console(stderr=True)

_SEEDS = resources.files("infra").joinpath("data/seeds")
SEED_DOCUMENTS: tuple[tuple[str, Path], ...] = (
    ("320000", Path(str(_SEEDS.joinpath("jiangsu-320000-provincial.txt")))),
    ("360100", Path(str(_SEEDS.joinpath("nanchang-360100-municipal.txt")))),
)


class TableNotFound(LookupError):
    pass


@dataclass
class Node:
    code: str
    name: str
    app: TablesApplication

    def resolve(self, reference: str) -> UUID:
        return resolve_table(self.app, f"{self.code} {self.name}", reference)

    def table(self, reference: str, version: int | None = None) -> TargetTable:
        table_id = self.resolve(reference)
        try:
            return self.app.table(table_id, version)
        except AggregateNotFoundError:
            raise TableNotFound(f"table {table_id} has no version {version}") from None


def resolve_table(app: TablesApplication, node: str, reference: str) -> UUID:
    """A full table id, or a prefix that names exactly one table."""
    wanted = reference.strip().lower()
    matches = [table_id for table_id in app.table_ids() if str(table_id).startswith(wanted)]
    if len(matches) == 1 and len(wanted) >= 4:
        return matches[0]
    if not matches:
        raise TableNotFound(f"no table {reference!r} in {node}")
    raise TableNotFound(f"{reference!r} matches {len(matches)} tables; give more of the id")


def fail(message: str, code: int = 1) -> NoReturn:
    errors.print(f"error: {message}", style="red", highlight=False)
    raise typer.Exit(code)


def settings_for(code: str) -> tuple[Settings, Jurisdiction]:
    """Validated settings and the node's jurisdiction, or a clear exit."""
    try:
        return Settings(), jurisdiction(code)
    except UnknownJurisdiction as error:
        fail(str(error), code=2)
    except ValidationError as error:
        fail(f"invalid settings: {error}", code=2)


def check_node_directory(settings: Settings, code: str, create: bool) -> None:
    """A node is made only by a command that may make one (``import``, ``up``, ``serve``), and
    it says where; any other command refuses a data directory with no such node, naming it."""
    if settings.database_url:
        return
    data_dir = settings.data_dir.absolute()
    if (data_dir / code).is_dir():
        return
    if not create:
        fail(
            f"no node {code} in the data directory {data_dir} (JIXIAO_DATA_DIR); nothing was "
            f"created. Set JIXIAO_DATA_DIR to the node's data directory, or create the node "
            f"with `jixiao import -j {code} FILE…` or `jixiao up`",
            code=2,
        )
    said = f"creating node {code} in the data directory {data_dir}"
    if settings.log_format == "json":  # stderr is a log shipper's: one JSON object per line
        logging.config.dictConfig(log_config("json", code))
        logging.getLogger("jixiao.cli").warning(said)
    else:
        errors.print(said, highlight=False)


@contextmanager
def open_node(code: str, create: bool = False) -> Iterator[Node]:
    settings, place = settings_for(code)
    check_node_directory(settings, place.code, create)
    app = build_node(place.code, settings)
    try:
        yield Node(place.code, place.name, app)
    finally:
        app.close()


@contextmanager
def open_services(code: str, create: bool = False) -> Iterator[NodeServices]:
    """The whole node (events, read models, secret), for commands that need more than events;
    ``create`` for the commands that may make the node (see ``check_node_directory``)."""
    settings, place = settings_for(code)
    check_node_directory(settings, place.code, create)
    services = build_services(place.code, settings)
    try:
        yield services
    finally:
        services.close()


@contextmanager
def refusals() -> Iterator[None]:
    """Turn the refusals users can cause into one clear line and a non-zero exit."""
    try:
        yield
    except DocumentsRefused as refused:
        for located in refused.located():
            errors.print(f"error: {located}", style="red", highlight=False)
        fail("nothing was stored")
    except (DomainError, TableNotFound, InvalidArgument, UnknownTable) as error:
        fail(f"{error}; nothing was stored")


def read_documents(files: list[Path], code: str, fiscal_year: int | None) -> list[TableDocument]:
    """Every document in ``files``, whatever their format; one unreadable file refuses them all."""
    contents: list[tuple[str, bytes]] = []
    problems: list[DocumentError] = []
    for file in files:
        try:
            contents.append((str(file), file.read_bytes()))
        except OSError as error:
            problems.append(DocumentError(str(file), [(0, f"cannot read the file: {error}")]))
    try:
        documents = read_files(contents, code, fiscal_year)
    except DocumentsRefused as refused:
        problems.extend(refused.problems)
    if problems:
        raise DocumentsRefused(problems)
    return documents


def cli_actor(code: str, name: str | None) -> Actor:
    user = name or getpass.getuser()
    return Actor(id=f"cli:{user}", name=user, role=Role.EDITOR, jurisdiction=code)


def operator_actor(code: str, name: str | None = None) -> Actor:
    """Whoever runs an operator's or auditor's command on the node's own machine."""
    user = name or getpass.getuser()
    return Actor(id=f"cli:{user}", name=user, role=Role.ADMIN, jurisdiction=code)
