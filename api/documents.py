"""Documents over plain HTTP, for scripts and other systems: import files, export tables.

``POST /api/import`` takes the files as multipart form data (``file``, repeatable; optional
``reason``, ``fiscal_year`` and, for the node's admins restoring tables, ``keepStatus``), reads
them whatever their format and imports every table (new ones as drafts) or, on any problem,
none; ``GET /api/tables/{id}/export?format=xlsx|html|json`` and
``GET /api/templates/{form}.xlsx`` answer files. Every call needs ``Authorization: Bearer``.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from api.deps import Services, bearer_actor, read_your_writes
from api.downloads import attachment, table_file
from api.web.refusals import locked_lines
from domain.access import Operation
from domain.errors import DomainError, Forbidden, ImportHitsLockedTables
from domain.model import Actor
from infra.bootstrap import NodeServices
from infra.documents.exports import ExportFormat, template_file
from infra.documents.reading import DocumentsRefused, read_files
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.parsing import table_id_of

router = APIRouter(prefix="/api")

IMPORT_PATH = "/api/import"


@router.post("/import")
async def import_files(
    request: Request,
    node: Services,
    file: Annotated[list[UploadFile], File(description="the documents, any format")],
    reason: Annotated[str | None, Form()] = None,
    fiscal_year: Annotated[int | None, Form(ge=1900, le=2999)] = None,
    keep_status: Annotated[bool, Form(alias="keepStatus")] = False,
) -> JSONResponse:
    """Import every table in the files, or (on any problem) none; the problems by place."""
    actor = bearer_actor(request)
    contents = [(item.filename or "upload", await item.read()) for item in file]
    return await anyio.to_thread.run_sync(
        _import, node, actor, contents, reason, fiscal_year, keep_status
    )


def _import(
    node: NodeServices,
    actor: Actor,
    contents: list[tuple[str, bytes]],
    reason: str | None,
    fiscal_year: int | None,
    keep_status: bool,
) -> JSONResponse:
    try:
        # Asked before the files are read, so that a refused caller learns nothing of them.
        node.gate.check(actor, Operation.KEEP_STATUS if keep_status else Operation.EDIT)
        documents = read_files(contents, node.place.code, fiscal_year)
        names = ", ".join(name for name, _ in contents)
        outcomes = node.editing.import_documents(
            actor, documents, reason or f"imported {names}", keep_status=keep_status
        )
    except DocumentsRefused as refused:
        return _refused(400, "the files cannot be read; nothing was stored", refused.located())
    except Forbidden as error:
        return _refused(403, str(error), [])
    except ImportHitsLockedTables as error:
        return _refused(400, f"{error}; nothing was stored", locked_lines(error))
    except (DomainError, InvalidArgument) as error:
        return _refused(400, f"{error}; nothing was stored", [])
    read_your_writes(node, max((item.position for item in outcomes), default=0))
    imported = [
        {
            "id": str(item.table_id),
            "name": item.name,
            "created": item.created,
            "events": item.events,
        }
        for item in outcomes
    ]
    return JSONResponse({"imported": imported})


def _refused(status: int, detail: str, problems: list[str]) -> JSONResponse:
    return JSONResponse({"detail": detail, "problems": problems}, status_code=status)


@router.get("/tables/{table_id}/export")
async def export_table(
    request: Request, node: Services, table_id: str, format: ExportFormat = ExportFormat.XLSX
) -> Response:
    actor = bearer_actor(request)
    try:
        key = table_id_of(table_id)
        return await anyio.to_thread.run_sync(table_file, node, actor, key, format)
    except (UnknownTable, InvalidArgument) as error:
        raise HTTPException(404 if isinstance(error, UnknownTable) else 400, str(error)) from None
    except Forbidden as error:
        raise HTTPException(403, str(error)) from None


@router.get("/templates/{form}.xlsx")
async def template(request: Request, form: str) -> Response:
    bearer_actor(request)
    found = template_file(form)
    if found is None:
        raise HTTPException(404, f"no form {form!r}: the forms are provincial and municipal")
    return attachment(found.body, found.media_type, f"jixiao-template-{form}.xlsx", found.name)
