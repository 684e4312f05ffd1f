"""Files the node hands out, to the workbench and the API alike: saved under a readable name."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from fastapi.responses import Response

from domain.document import document_of
from domain.model import Actor
from domain.reports import Basis
from infra.bootstrap import NodeServices
from infra.documents.exports import XLSX_TYPE, ExportFormat, export_bytes

# A printable page opens in the browser; it needs nothing but its own inline style.
PRINTABLE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def attachment(body: bytes, media_type: str, plain: str, named: str) -> Response:
    """``body`` to save as ``named`` (UTF-8, ``filename*``); ``plain`` for clients without it."""
    headers = {
        "Content-Disposition": _disposition("attachment", plain, named),
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type=media_type, headers=headers)


def printable(body: bytes, media_type: str, plain: str, named: str) -> Response:
    """A self-contained page shown in the browser to print (saved as ``named`` if saved)."""
    headers = {
        "Content-Disposition": _disposition("inline", plain, named),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": PRINTABLE_POLICY,
    }
    return Response(body, media_type=media_type, headers=headers)


def table_file(
    node: NodeServices, actor: Actor, key: UUID, format: ExportFormat, to_print: bool = False
) -> Response:
    """One table as a file of ``format``, for anyone who may read it (the use case checks);
    ``to_print`` shows it in the browser instead of saving it."""
    document = document_of(node.history.table(actor, key))
    exported = export_bytes([document], format)
    plain = f"jixiao-{str(key)[:8]}-v{document.version}.{format.value}"
    named = f"{document.project.name[:80]}-第{document.version}版.{format.value}"
    answer = printable if to_print else attachment
    return answer(exported.body, exported.media_type, plain, named)


def report_file(body: bytes, basis: Basis, version: int, what: str) -> Response:
    """A report's workbook (``what``: 运行监控1-6月, 绩效自评) under the project's name."""
    plain = f"jixiao-{basis.table_id[:8]}-report-v{version}.xlsx"
    named = f"{basis.project_name[:80]}-{what}-第{version}版.xlsx"
    return attachment(body, XLSX_TYPE, plain, named)


def _disposition(kind: str, plain: str, named: str) -> str:
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(named, safe='')}"
