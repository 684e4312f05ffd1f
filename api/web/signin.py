"""登录 and 退出: a token starts a session; in development, pick an identity."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import InvalidToken, actor_of, dev_actors, issue_token
from api.web.render import page
from api.web.session import COOKIE, Changing, current_viewer, node_of
from domain import vocabulary

router = APIRouter()
DEV_TOKEN_DAYS = 1


def _safe_next(target: str | None) -> str:
    """Only a path on this node: never another site (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def refusal_of_token(error: InvalidToken) -> str:
    """Why the token was refused, in the words of the person signing in."""
    said = vocabulary.TOKEN_PROBLEMS.get(error.problem, vocabulary.TOKEN_PROBLEMS["unreadable"])
    return vocabulary.TOKEN_REFUSED.format(problem=said)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, reason: str | None = None) -> Response:
    return _login(request, _safe_next(next), reason, status_code=200)


def _login(request: Request, target: str, message: str | None, status_code: int) -> Response:
    node = node_of(request)
    identities = []
    if node.settings.dev_sign_in:
        identities = [
            (actor, issue_token(node.secret, actor, DEV_TOKEN_DAYS))
            for actor in dev_actors(node.place.code)
        ]
    return page(
        request,
        "login.html",
        current_viewer(request),
        status_code=status_code,
        target=target,
        message=message,
        identities=identities,
    )


@router.post("/login")
def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    target = _safe_next(next)
    node = node_of(request)
    if not token.strip():
        return _login(request, target, "请输入令牌", status_code=400)
    try:
        actor_of(token.strip(), node.secret)
    except InvalidToken as error:
        return _login(request, target, refusal_of_token(error), status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def sign_out(viewer: Changing) -> Response:
    response = RedirectResponse("/login?reason=" + quote("已退出"), status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
