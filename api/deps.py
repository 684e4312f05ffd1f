"""Request dependencies: who is calling, from the bearer token."""

from __future__ import annotations

import time
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request

from api.auth import InvalidToken, actor_of
from api.graphql.context import Context
from domain.model import Actor
from infra.bootstrap import NodeServices

# How long an answer waits for the read models to show what it just stored.
READ_YOUR_WRITES_SECONDS = 2.0


def read_your_writes(node: NodeServices, position: int) -> None:
    """Answer once the read models show what was stored at ``position`` (0: nothing was), and
    publish it at once: what an edit, a decision and an import answer is then readable."""
    if position:
        node.relay.nudge()
        node.runner.wait_for(position, READ_YOUR_WRITES_SECONDS)


async def services(request: Request) -> NodeServices:
    """Async, so FastAPI calls it on the event loop instead of a worker thread."""
    found: NodeServices = request.app.state.services
    return found


Services = Annotated[NodeServices, Depends(services)]


_TOKEN_REQUIRED = "a bearer token is required: Authorization: Bearer <token>"


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def bearer_actor(request: Request) -> Actor:
    """Who calls, from ``Authorization: Bearer <token>``; 401 without a valid one."""
    node: NodeServices = request.app.state.services
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise _unauthorised(_TOKEN_REQUIRED)
    return _actor(authorization, node.secret)


# Tokens whose signature was checked: (secret, token) → (actor, expiry as a Unix time).
_verified: dict[tuple[str, str], tuple[Actor, float]] = {}
KNOWN_TOKENS = 1_024


def _actor(authorization: str, secret: str) -> Actor:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorised("the Authorization header must be 'Bearer <token>'")
    return _verified_actor(token.strip(), secret)


def _verified_actor(token: str, secret: str) -> Actor:
    """The token's actor. A token cannot change, so its signature is checked once (a tenth of
    a small query's time) and only its expiry on every later request."""
    known = _verified.get((secret, token))
    if known is not None and time.time() < known[1]:
        return known[0]
    try:
        actor = actor_of(token, secret)
    except InvalidToken as error:
        _verified.pop((secret, token), None)
        raise _unauthorised(str(error)) from None
    if len(_verified) >= KNOWN_TOKENS:
        _verified.clear()
    expiry = jwt.decode(token, options={"verify_signature": False})["exp"]
    _verified[(secret, token)] = (actor, float(expiry))
    return actor


async def graphql_context(request: Request) -> Context:
    """The GraphiQL page itself is public; every operation needs a valid token (else 401).

    It reads the request itself rather than through sub-dependencies: FastAPI solves those
    on every request, a fifth of the time of a small query.
    """
    node: NodeServices = request.app.state.services
    table_reads = getattr(request.app.state, "table_reads", None)
    authorization = request.headers.get("authorization")
    if authorization is None:
        if request.method == "GET" and "query" not in request.query_params:
            return Context(services=node, actor=None, table_reads=table_reads)
        raise _unauthorised(_TOKEN_REQUIRED)
    actor = _actor(authorization, node.secret)
    return Context(services=node, actor=actor, table_reads=table_reads)
