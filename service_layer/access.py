"""Who may do what on this node: the one place every entry point gets authorisation from."""

from __future__ import annotations

from dataclasses import dataclass

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
        if actor is None:
            raise Unauthenticated("a bearer token is required")
        place = jurisdiction or self.place.code
        ancestors = self.ancestors
        if place != self.place.code:
            ancestors = (self.place.code, *ancestors)
        check_allowed(actor, operation, place, ancestors)
        return actor

    def check_reviews_here(self) -> None:
        """A node reviews its own tables only when it is a root jurisdiction."""
        if not self.place.is_root:
            place = self.place
            raise Forbidden(
                f"{place.code} {place.name}'s tables are reviewed at its parent's node "
                f"({place.parent}); decisions arrive through sync"
            )
