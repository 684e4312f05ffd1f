"""Bearer tokens: HS256 JWTs signed with the node's secret, each naming one actor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from domain.model import Actor, Role

ISSUER = "jixiao"
GRANTABLE_ROLES = (Role.EDITOR, Role.REVIEWER, Role.AUDITOR, Role.ADMIN)


DEV_NAMES = {
    Role.EDITOR: "王编报",
    Role.REVIEWER: "李审核",
    Role.AUDITOR: "赵审计",
    Role.ADMIN: "陈管理",
}


def dev_actors(code: str) -> list[Actor]:
    """The development identities of a node: one per grantable role (``jixiao up``)."""
    return [
        Actor(f"{code}:{role.value}:dev", DEV_NAMES[role], role, code) for role in GRANTABLE_ROLES
    ]


class InvalidToken(Exception):
    """A token refused; ``problem`` names why (``expired``, ``signature``, ``unreadable``,
    ``claims``, ``role``) for screens to say in people's words, the message for operators."""

    def __init__(self, problem: str, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem


def issue_token(secret: str, actor: Actor, days: int, now: datetime | None = None) -> str:
    if actor.role not in GRANTABLE_ROLES:
        raise ValueError(f"tokens are issued for {', '.join(GRANTABLE_ROLES)}, not {actor.role}")
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": actor.id,
        "name": actor.name,
        "role": actor.role.value,
        "jurisdiction": actor.jurisdiction,
        "iat": issued,
        "exp": issued + timedelta(days=days),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def actor_of(token: str, secret: str) -> Actor:
    """The actor a token names, or ``InvalidToken`` saying why it is not accepted."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
        role = Role(claims["role"])
        if role not in GRANTABLE_ROLES:
            raise InvalidToken("role", f"role {role} cannot be granted by a token")
        return Actor(
            id=str(claims["sub"]),
            name=str(claims["name"]),
            role=role,
            jurisdiction=str(claims["jurisdiction"]),
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("expired", "the token has expired") from None
    except jwt.InvalidSignatureError as error:
        raise InvalidToken("signature", f"the token is not valid here: {error}") from None
    except jwt.DecodeError as error:
        raise InvalidToken("unreadable", f"the token cannot be read: {error}") from None
    except jwt.InvalidTokenError as error:
        raise InvalidToken("claims", f"the token is not valid here: {error}") from None
    except UnicodeError as error:
        raise InvalidToken("unreadable", f"the token cannot be read: {error}") from None
    except (KeyError, ValueError) as error:
        raise InvalidToken("claims", f"the token's claims are incomplete: {error}") from None
