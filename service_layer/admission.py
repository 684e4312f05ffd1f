"""What an import may bring into a node, and what a new table starts as.

- A document belongs to this node's jurisdiction, by its code and by what it says: a 主管部门
  naming another jurisdiction, or a 省本级 project on a node that is no province, is another
  node's (``check_places``; a document that names no place is this node's). It says nothing
  no table can say (a fiscal year outside the years tables are for, a negative amount), nor
  text with a character no field may hold (``domain.text``: nothing is stored; a value off
  the grammar is stored as written, and its error finding blocks submission).
- Its id is its identity: the one the identity rule gives its jurisdiction, fiscal year,
  department and project name, or the id of the table stored here under that project (a table
  renamed since it was registered). Any other id would store one project twice.
- A new table starts as a draft: a document's word is no review. Only a restore (an admin's,
  see ``domain.access``) keeps the status a document gives, and then only a submitted or
  approved status whose content has no error finding, since that could never have been
  submitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from uuid import UUID

from domain import vocabulary
from domain.document import TableDocument, impossible_values
from domain.errors import ImportRefused
from domain.findings import check_table, errors
from domain.identity import table_id_for
from domain.model import Actor, Jurisdiction, Kind, Status
from domain.table import TargetTable
from domain.text import check_text, text_problems, visible

FindTable = Callable[[UUID], TargetTable | None]
# The jurisdictions a name begins with (江苏省生态环境厅 → 江苏省), from the GB/T 2260 registry.
NamedIn = Callable[[str], list[Jurisdiction]]
_PROVINCE_LEVELS = ("省本级", "省级")
_REVIEWED = frozenset({Status.SUBMITTED, Status.APPROVED})


def admitted(
    documents: Sequence[TableDocument],
    jurisdiction: str,
    find_table: FindTable,
    keep_status: bool,
) -> list[UUID]:
    """The table each document is, in order; ``ImportRefused`` names the first that may not be."""
    table_ids: list[UUID] = []
    for at, document in enumerate(documents, start=1):
        named = _named(at, document)
        unsafe = next(text_problems(document), None)
        if unsafe is not None:
            raise ImportRefused(f"{named}: {unsafe.in_document}")
        check_jurisdiction(named, document, jurisdiction)
        impossible = impossible_values(document)
        if impossible:
            listed = "; ".join(f"{field}: {why}" for field, why in impossible)
            raise ImportRefused(f"{named}: {listed}")
        table_ids.append(table_id_of(named, document, find_table))
        if keep_status:
            check_kept_status(named, document)
    return table_ids


def check_jurisdiction(named: str, document: TableDocument, jurisdiction: str) -> None:
    if document.jurisdiction != jurisdiction:
        raise ImportRefused(
            f"{named}: "
            + vocabulary.IMPORT_OTHER_JURISDICTION.format(
                given=document.jurisdiction, node=jurisdiction
            )
        )


def check_places(documents: Sequence[TableDocument], node: Jurisdiction, named_in: NamedIn) -> None:
    """``ImportRefused`` for the first document that says it is another jurisdiction's."""
    for at, document in enumerate(documents, start=1):
        named = _named(at, document)
        project = document.project
        for label, text in (
            ("主管部门代码", project.department_code),
            ("主管部门", project.department),
        ):
            places = named_in(text or "")
            if places and node not in places:
                words = vocabulary.IMPORT_OTHER_PLACE.format(
                    label=label, text=text, places=_names(places), node=_names([node])
                )
                raise ImportRefused(f"{named}: {words}")
        level = (project.level or "").strip()
        if level in _PROVINCE_LEVELS and node.level != "province":
            words = vocabulary.IMPORT_PROVINCE_PROJECT.format(level=level, node=_names([node]))
            raise ImportRefused(f"{named}: {words}")


def _names(places: list[Jurisdiction]) -> str:
    return "、".join(f"{item.name}（{item.code}）" for item in places)


def _named(at: int, document: TableDocument) -> str:
    return vocabulary.IMPORT_DOCUMENT.format(at=at, name=visible(document.project.name))


def identity_of(document: TableDocument) -> UUID:
    project = document.project
    return table_id_for(
        document.jurisdiction, document.fiscal_year, project.department, project.name
    )


def table_id_of(named: str, document: TableDocument, find_table: FindTable) -> UUID:
    """The document's table by the identity rule; a different id must be a renamed table's."""
    expected = identity_of(document)
    if document.id is None:
        return expected
    try:
        given = UUID(document.id)
    except ValueError:
        words = vocabulary.TABLE_ID_INVALID.format(id=document.id)
        raise ImportRefused(f"{named}: id：{words}") from None
    if given == expected or _holds_project(find_table(given), document):
        return given
    words = vocabulary.IMPORT_TABLE_ID_ELSEWHERE.format(given=given, expected=expected)
    raise ImportRefused(f"{named}: id：{words}")


def _holds_project(table: TargetTable | None, document: TableDocument) -> bool:
    """Whether ``table`` is stored under the document's department and project name."""
    if table is None:
        return False
    stored, project = table.content.project, document.project
    return (stored.department.strip(), stored.name.strip()) == (
        project.department.strip(),
        project.name.strip(),
    )


def check_kept_status(named: str, document: TableDocument) -> None:
    """A submitted or approved status is kept only for content that could be submitted."""
    if document.status not in _REVIEWED:
        return
    blocking = errors(check_table(document.form, document.content))
    if blocking:
        listed = "; ".join(f"{finding.path}: {finding.message}" for finding in blocking)
        raise ImportRefused(
            f"{named}: the document says {document.status.value}, but its content has "
            f"{len(blocking)} error finding(s) that block submission: {listed}"
        )


def new_table(
    table_id: UUID,
    document: TableDocument,
    actor: Actor,
    reason: str | None,
    keep_status: bool,
    find_table: FindTable,
) -> TargetTable:
    """The document's table, registered: a draft unless a restore keeps the document's status.

    A carryover project links the prior year's table of the same project, when it is here.
    """
    check_text(actor=actor, reason=reason)
    content = document.content
    project = content.project
    if project.kind is Kind.CARRYOVER and project.carried_over_from is None:
        prior = table_id_for(
            document.jurisdiction, document.fiscal_year - 1, project.department, project.name
        )
        if find_table(prior) is not None:
            content = replace(content, project=replace(project, carried_over_from=str(prior)))
    return TargetTable(
        id=table_id,
        jurisdiction=document.jurisdiction,
        fiscal_year=document.fiscal_year,
        form=document.form,
        status=document.status if keep_status else Status.DRAFT,
        content=content,
        actor=actor,
        reason=reason,
        status_from_document=keep_status,
    )


def check_unchanged(
    document: TableDocument, table: TargetTable, events: int, keep_status: bool
) -> None:
    """A restore registers new tables; one already here must be as the document says."""
    if keep_status and (events or table.status is not document.status):
        raise ImportRefused(
            f"{document.project.name}: table {table.id} is already here ({table.status.value}) "
            f"and the document differs from it; keeping the documents' status registers only "
            f"new tables: import without it, as an editor, to revise this one"
        )
