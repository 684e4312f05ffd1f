"""Files the workbench hands out: saved under a readable name, never shown in place."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response


def attachment(body: bytes, media_type: str, plain: str, named: str) -> Response:
    """``body`` to save as ``named`` (UTF-8, ``filename*``); ``plain`` for clients without it."""
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(named, safe='')}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
    return Response(body, media_type=media_type, headers=headers)
