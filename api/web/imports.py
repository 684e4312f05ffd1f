"""导入: the documents a bureau already has become its tables — every one of them, or none.

Files in any format the readers know (Excel, HTML, text extracted from PDF, table documents as
JSON; the format is told from the content) are read by ``read_files`` and imported by the same
use case as the CLI and the API. A file that cannot be read refuses them all, and the page
lists each problem where it is (``file.xlsx!Sheet!D14: …``). Only editors of this node may
import; the page asks the gate first so that anyone else gets the 403 page, not a form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from api.deps import read_your_writes
from api.downloads import attachment
from api.web.refusals import locked_lines, refusal_of
from api.web.render import page, role_label
from api.web.session import Changing, SignedIn, Viewer, node_of
from domain import vocabulary
from domain.access import Operation
from domain.errors import DomainError, Forbidden, ImportHitsLockedTables, ImportRefused
from domain.model import Actor
from infra.bootstrap import NodeServices
from infra.documents.exports import template_file
from infra.documents.reading import DocumentsRefused, read_files
from service_layer.errors import InvalidArgument
from service_layer.store import ImportOutcome

router = APIRouter()

IMPORT_PATH = "/import"
# What the file chooser offers first; any file may be chosen, its content decides the format.
ACCEPT = ".xlsx,.xls,.html,.htm,.txt,.csv,.json"
TEMPLATES = {"provincial": "省级", "municipal": "市级"}
# A refused import answers the form again with what went wrong, as 200 like any re-shown form
# (review.py does the same): the page says it, and Chromium logs a 4xx page as a console error.
REFUSED = 200
NAMES_IN_REASON = 5


@dataclass(frozen=True)
class Asked:
    """What the form sent: the chosen files, and the year and reason as typed."""

    uploads: list[UploadFile] = field(default_factory=list)
    year: str = ""
    reason: str = ""

    @classmethod
    def of(cls, form: FormData) -> Asked:
        # A file input left empty still sends a part, with no file name and no content.
        uploads = [
            item for item in form.getlist("file") if isinstance(item, UploadFile) and item.filename
        ]
        return cls(uploads, _text(form.get("fiscal_year")), _text(form.get("reason")))

    def problems(self) -> list[str]:
        found = []
        if not self.uploads:
            found.append("请先选择要导入的文件（可一次选择多个）")
        if self.year and not (self.year.isdigit() and 1900 <= int(self.year) <= 2200):
            found.append(f"年度“{self.year}”不是有效的年份（如 2026）")
        return found

    @property
    def names(self) -> list[str]:
        return [item.filename or "" for item in self.uploads]

    def reason_or_default(self) -> str:
        """The reason typed, or which files the tables came from."""
        if self.reason:
            return self.reason
        names = self.names
        listed = "、".join(names[:NAMES_IN_REASON])
        more = f" 等 {len(names)} 个文件" if len(names) > NAMES_IN_REASON else ""
        return f"导入 {listed}{more}"


@dataclass(frozen=True)
class Problem:
    """One located problem: where (``file.xlsx!Sheet!D14``) and what."""

    place: str
    message: str

    @classmethod
    def all_of(cls, refused: DocumentsRefused) -> list[Problem]:
        """Every problem of every file, in the order ``refused.located()`` lists them."""
        return [
            cls(error.source + place.where, message)
            for error in refused.problems
            for place, message in error.problems
        ]


def _text(value: str | UploadFile | None) -> str:
    return value.strip() if isinstance(value, str) else ""


@router.get(IMPORT_PATH, response_class=HTMLResponse)
def import_page(request: Request, viewer: SignedIn) -> HTMLResponse:
    _may_import(request, viewer)
    return _show(request, viewer, Asked())


@router.post(IMPORT_PATH, response_class=HTMLResponse)
async def import_files(request: Request, viewer: Changing) -> HTMLResponse:
    _may_import(request, viewer)
    asked = Asked.of(await request.form())
    problems = asked.problems()
    if problems:
        return _show(request, viewer, asked, REFUSED, problems=problems)
    files = [(item.filename or "", await item.read()) for item in asked.uploads]
    year = int(asked.year) if asked.year else None
    node = node_of(request)
    try:
        outcomes = await run_in_threadpool(
            _import, node, viewer.actor, files, year, asked.reason_or_default()
        )
    except DocumentsRefused as refused:
        return _show(request, viewer, asked, REFUSED, located=Problem.all_of(refused))
    except Forbidden:
        raise
    except ImportHitsLockedTables as error:
        words = f"文件中有 {len(error.locked)} 张表当前不能修改："
        return _show(request, viewer, asked, REFUSED, refused=words, locked=locked_lines(error))
    except (DomainError, InvalidArgument) as error:
        return _show(request, viewer, asked, REFUSED, refused=_refused_words(error))
    if not outcomes:
        return _show(request, viewer, asked, REFUSED, refused="所选文件中没有找到绩效目标表。")
    return page(
        request,
        "import.html",
        viewer,
        active="tables",
        asked=asked,
        outcomes=outcomes,
        counted=counted(outcomes),
    )


def counted(outcomes: list[ImportOutcome]) -> str:
    """``新建 1 张，更新 2 张``: how many tables each outcome had, leaving out the none."""
    created = sum(1 for item in outcomes if item.created)
    updated = sum(1 for item in outcomes if not item.created and item.events)
    same = len(outcomes) - created - updated
    parts = [
        f"{words} {count} 张"
        for words, count in (("新建", created), ("更新", updated), ("内容相同、未作改动", same))
        if count
    ]
    return "，".join(parts)


@router.get("/import/template/{form}")
def blank_template(request: Request, viewer: SignedIn, form: str) -> Response:
    """The blank workbook of a form, to fill in and import."""
    found = template_file(form)
    if found is None:
        return page(
            request,
            "refused.html",
            viewer,
            status_code=404,
            title="没有这种表式",
            message="空白模板只有省级（provincial）和市级（municipal）两种。",
        )
    return attachment(found.body, found.media_type, f"jixiao-template-{form}.xlsx", found.name)


def _import(
    node: NodeServices,
    actor: Actor,
    files: list[tuple[str, bytes]],
    year: int | None,
    reason: str,
) -> list[ImportOutcome]:
    documents = read_files(files, node.place.code, year)
    outcomes = node.editing.import_documents(actor, documents, reason)
    # The result links to table pages, which read the views: let them show the import.
    read_your_writes(node, max((item.position for item in outcomes), default=0))
    return outcomes


def _may_import(request: Request, viewer: Viewer) -> None:
    """Editors of this node only; anyone else is told so in their words (→ the 403 page)."""
    try:
        node_of(request).gate.check(viewer.actor, Operation.EDIT)
    except Forbidden as error:
        role = role_label(viewer.actor.role.value)
        raise Forbidden(f"导入绩效目标表仅供本级的编报人使用；您当前的身份是{role}。") from error


def _refused_words(error: DomainError | InvalidArgument) -> str:
    """Why the use case refused the documents, in the person's words."""
    if isinstance(error, ImportRefused):
        return f"文件中的表不属于本节点，或与本节点已有的表不符：{error}"
    try:
        refusal = refusal_of(error)
    except DomainError:
        return str(error)
    return refusal.message + (f" {refusal.next_step}" if refusal.next_step else "")


def _show(
    request: Request,
    viewer: Viewer,
    asked: Asked,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The import form, with what was refused above it (the files must be chosen again)."""
    settings = node_of(request).settings
    return page(
        request,
        "import.html",
        viewer,
        status_code=status_code,
        active="tables",
        asked=asked,
        outcomes=None,
        accept=ACCEPT,
        templates=TEMPLATES,
        form_titles=vocabulary.FORM_TITLES,
        max_bytes=settings.max_upload_bytes,
        limit=size_words(settings.max_upload_bytes),
        **context,
    )


def size_words(size: int) -> str:
    """A size as people read it: ``64 MB``, ``256 KB`` (import.js says sizes the same way)."""
    mega = 1_048_576
    if size >= mega:
        return f"{size / mega:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"
