"""A bearer token's signature is checked once per node key; its expiry on every request."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from types import SimpleNamespace

import jwt
import pytest
from fastapi import HTTPException

from api import deps
from api.auth import issue_token
from domain.model import Actor, Role

EDITOR = Actor("id:editor", "编报", Role.EDITOR, "360100")
TWO_DAYS = timedelta(days=2)
NODE_KEY = "node-key-" + "0" * 32
CITY_KEY = "city-key-" + "1" * 32
PROVINCE_KEY = "province-key-" + "2" * 32


def bearer(token: str) -> str:
    return f"Bearer {token}"


def refused(authorization: str, secret: str) -> bool:
    try:
        deps._actor(authorization, secret)
    except HTTPException as error:
        return error.status_code == 401
    return False


def test_a_token_accepted_before_is_refused_once_it_has_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = issue_token(NODE_KEY, EDITOR, days=1)
    assert deps._actor(bearer(token), NODE_KEY) == EDITOR
    assert deps._actor(bearer(token), NODE_KEY) == EDITOR

    class Later(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return datetime.now(tz) + TWO_DAYS

    later = datetime.now().timestamp() + TWO_DAYS.total_seconds()
    monkeypatch.setattr(deps, "time", SimpleNamespace(time=lambda: later))
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    assert refused(bearer(token), NODE_KEY)


def test_a_token_one_node_accepted_is_refused_by_a_node_with_another_key() -> None:
    token = issue_token(CITY_KEY, EDITOR, days=1)
    assert deps._actor(bearer(token), CITY_KEY) == EDITOR
    assert refused(bearer(token), PROVINCE_KEY)


def test_a_forged_signature_is_refused_after_the_genuine_token_was_accepted() -> None:
    token = issue_token(NODE_KEY, EDITOR, days=1)
    assert deps._actor(bearer(token), NODE_KEY) == EDITOR
    forged = token.rsplit(".", 1)[0] + ".forged"
    assert refused(bearer(forged), NODE_KEY)
