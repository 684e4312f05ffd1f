"""Who may do what on this node: the one place every entry point gets authorisation from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from domain.access import Operation, check_allowed
from domain.errors import Forbidden
from domain.model import Actor, Jurisdiction
from service_layer.errors import Unauthenticated


@dataclass(frozen=True)
class Gate:
    place: Jurisdiction
    ancestors: tuple[str, ...]

    def check(
        self, actor: Actor | None, operation: Operation, jurisdiction: str | None = None
    ) -> Actor:
        """The actor, if allowed ``operation`` on this node's (or a child's) data."""
        actor = self.who(actor)
        place = jurisdiction or self.place.code
        ancestors = self.ancestors
        if place != self.place.code:
            ancestors = (self.place.code, *ancestors)
        check_allowed(actor, operation, place, ancestors)
        return actor

    def allows(
        self, actor: Actor | None, operation: Operation, jurisdiction: str | None = None
    ) -> bool:
        """Whether ``check`` would pass: for showing only what a person may use."""
        try:
            self.check(actor, operation, jurisdiction)
        except (Forbidden, Unauthenticated):
            return False
        return True

    @staticmethod
    def who(actor: Actor | None) -> Actor:
        """Whoever a valid token names, wherever they are from."""
        if actor is None:
            raise Unauthenticated("a bearer token is required")
        return actor

    def check_reviews_here(self) -> None:
        """A node reviews its own tables only when it is a root jurisdiction."""
        if not self.place.is_root:
            place = self.place
            raise Forbidden(
                f"{place.code} {place.name}'s tables are reviewed at its parent's node "
                f"({place.parent}); decisions arrive through sync"
            )


class Guarded(Protocol):
    gate: Gate


S = TypeVar("S", bound=Guarded)
P = ParamSpec("P")
R = TypeVar("R")


def requires(
    operation: Operation,
) -> Callable[
    [Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor | None, P], R]
]:
    """A use case that checks its actor may do ``operation`` here before it reads anything."""

    def decorate(
        use_case: Callable[Concatenate[S, Actor, P], R],
    ) -> Callable[Concatenate[S, Actor | None, P], R]:
        @wraps(use_case)
        def checked(self: S, actor: Actor | None, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return use_case(self, self.gate.check(actor, operation), *args, **kwargs)

        return checked

    return decorate
