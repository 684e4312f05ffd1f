"""Pages and fragments from Jinja2 templates, with the labels people read them in.

Templates autoescape: user text (names, values, reasons) is always text, never markup.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.session import Viewer, node_of
from domain import vocabulary
from domain.finding_words import finding_text
from domain.moments import beijing_time
from infra.jurisdictions import UnknownJurisdiction, jurisdiction

HERE = Path(__file__).parent

templates = Jinja2Templates(directory=HERE / "templates")


def status_label(status: str | None) -> str:
    return "" if status is None else vocabulary.STATUS_LABELS.get(status, status)


def role_label(role: str | None) -> str:
    return "" if role is None else vocabulary.ROLE_LABELS.get(role, role)


def kind_label(kind: str | None) -> str:
    return "" if kind is None else vocabulary.KIND_LABELS.get(kind, kind)


def place_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return jurisdiction(code).name
    except UnknownJurisdiction:
        return code


def shown_time(moment: str | datetime | None) -> str:
    """A stored ISO time as people read it: Beijing time to the second."""
    return "" if moment is None else beijing_time(moment)


templates.env.filters.update(
    status_label=status_label,
    role_label=role_label,
    kind_label=kind_label,
    place_name=place_name,
    shown_time=shown_time,
)
templates.env.globals.update(
    STATUS_LABELS=vocabulary.STATUS_LABELS,
    KIND_LABELS=vocabulary.KIND_LABELS,
    FIELD_LABELS=vocabulary.FIELD_LABELS,
    UNSAVED_EDITOR=vocabulary.UNSAVED_EDITOR,
    CONFIRM_STEPS=vocabulary.CONFIRM_STEPS,
    finding_text=finding_text,
)


def page(
    request: Request,
    name: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A whole page (or an htmx fragment) with the node and the viewer every page shows."""
    node = node_of(request)
    return templates.TemplateResponse(
        request,
        name,
        {"viewer": viewer, "node": node.place, **context},
        status_code=status_code,
    )
