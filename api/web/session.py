"""Who is using the workbench: a signed-in session in a cookie, and CSRF protection.

The session cookie holds the bearer token the person signed in with (HttpOnly, SameSite=Strict),
so the workbench needs no session store of its own and every process of a node accepts it. Every
request that changes anything carries a CSRF token derived from the session (HMAC with the node's
secret): as the ``X-CSRF-Token`` header (htmx) or the ``csrf`` form field, and an ``Origin`` that,
when the browser sends one, is this node's.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from api.auth import InvalidToken, actor_of
from domain.model import Actor
from infra.bootstrap import NodeServices

COOKIE = "jixiao_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"


class SignInRequired(Exception):
    """No valid session: the page sends the person to /login (and back afterwards)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "请先登录")
        self.reason = reason


class CsrfRefused(Exception):
    """A changing request without this session's CSRF token, or from another origin."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: who they are, and the CSRF token of their session."""

    actor: Actor
    csrf: str


def node_of(request: Request) -> NodeServices:
    services: NodeServices = request.app.state.services
    return services


def csrf_for(secret: str, token: str) -> str:
    digest = hmac.new(secret.encode(), b"csrf:" + token.encode(), hashlib.sha256)
    return digest.hexdigest()


def current_viewer(request: Request) -> Viewer | None:
    """The session's viewer, or None when there is no valid session cookie."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    secret = node_of(request).secret
    try:
        actor = actor_of(token, secret)
    except InvalidToken:
        return None
    return Viewer(actor=actor, csrf=csrf_for(secret, token))


def signed_in(request: Request) -> Viewer:
    viewer = current_viewer(request)
    if viewer is None:
        expired = COOKIE in request.cookies
        raise SignInRequired("登录已过期，请重新登录" if expired else None)
    return viewer


async def changing(request: Request) -> Viewer:
    """A signed-in viewer whose request carries its CSRF token and comes from this node."""
    viewer = signed_in(request)
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfRefused(f"请求来自其他站点（{origin}），已拒绝")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if sent is None or not hmac.compare_digest(sent, viewer.csrf):
        raise CsrfRefused("请求缺少有效的防伪令牌（CSRF），已拒绝；请刷新页面后重试")
    return viewer


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


SignedIn = Annotated[Viewer, Depends(signed_in)]
Changing = Annotated[Viewer, Depends(changing)]
