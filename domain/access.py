"""Who may do what: every role is bound to one jurisdiction.

- editors edit, submit and open adjustments of their own jurisdiction's tables;
- reviewers approve and return the tables their jurisdiction reviews (its own when it is a
  root jurisdiction, its children's otherwise);
- auditors and admins read; nobody outside a jurisdiction or its ancestors reads it;
- the inbox (what a jurisdiction reviews) is read by its reviewers, auditors and admins;
- diff and blame (history queries) are for auditors and admins;
- retrying and discarding parked sync messages is for the node's own admins;
- importing tables with the status their documents give (a restore) is for the node's own
  admins; any other import is an edit, and its new tables start as drafts.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from domain.errors import Forbidden
from domain.model import Actor, Role


class Operation(StrEnum):
    READ = "read"
    AUDIT = "audit"
    REVIEW_READ = "read the submissions reviewed by"
    EDIT = "edit"
    REVIEW = "review"
    OPERATE = "operate"
    KEEP_STATUS = "import with the documents' status"


# What only the node's own admins may do, as the refusal says it.
_ADMINS_ONLY = {
    Operation.OPERATE: "retry or discard its sync messages",
    Operation.KEEP_STATUS: "import tables with the status their documents give",
}


def check_allowed(
    actor: Actor, operation: Operation, jurisdiction: str, ancestors: Collection[str]
) -> None:
    """Refuse ``operation`` on data of ``jurisdiction`` unless ``actor``'s role grants it.

    ``ancestors`` are the jurisdictions above ``jurisdiction``, nearest first.
    """
    own = actor.jurisdiction == jurisdiction
    if operation is Operation.AUDIT:
        if actor.role in {Role.AUDITOR, Role.ADMIN} and (own or actor.jurisdiction in ancestors):
            return
        raise Forbidden(
            f"diff and blame are for auditors and admins of {jurisdiction} or above; "
            f"this token is a {actor.role.value} of {actor.jurisdiction}"
        )
    if operation is Operation.REVIEW_READ:
        if actor.role is not Role.EDITOR and (own or actor.jurisdiction in ancestors):
            return
        raise Forbidden(
            f"{actor.role.value} of {actor.jurisdiction} may not read {jurisdiction}'s inbox"
        )
    if operation is Operation.READ:
        if own or (actor.role is not Role.EDITOR and actor.jurisdiction in ancestors):
            return
        raise Forbidden(
            f"{actor.role.value} of {actor.jurisdiction} may not read {jurisdiction}'s tables"
        )
    if operation in _ADMINS_ONLY:
        if own and actor.role is Role.ADMIN:
            return
        raise Forbidden(
            f"only an admin of {jurisdiction} may {_ADMINS_ONLY[operation]}; "
            f"this token is a {actor.role.value} of {actor.jurisdiction}"
        )
    if operation is Operation.EDIT:
        if own and actor.role is Role.EDITOR:
            return
        raise Forbidden(
            f"only an editor of {jurisdiction} may change its tables; "
            f"this token is a {actor.role.value} of {actor.jurisdiction}"
        )
    reviewer = next(iter(ancestors), jurisdiction)
    if actor.role is Role.REVIEWER and actor.jurisdiction == reviewer:
        return
    raise Forbidden(
        f"{jurisdiction}'s tables are reviewed by a reviewer of {reviewer}; "
        f"this token is a {actor.role.value} of {actor.jurisdiction}"
    )
