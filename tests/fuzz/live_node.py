"""A live node under fuzzing: every role's token, its real ids, and what counts as a failure.

A failure is an HTTP 5xx, a GraphQL error raised while executing that carries no refusal code
(an exception the resolvers did not expect), or anything logged at ERROR while the request ran.
Validation errors and coded refusals are answers, not failures.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from api.auth import dev_actors, issue_token
from domain.model import Actor, Role
from infra.bootstrap import NodeServices
from tests.e2e.graphql_client import Api, serving
from tests.views import dump_views


class ErrorLog(logging.Handler):
    """Keeps every record logged at ``level`` or above, with its traceback's last lines."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        summary = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            lines = traceback.format_exception(record.exc_info[1])
            summary += "\n" + "".join(lines[-6:])
        self.records.append(f"{record.name}: {summary}")


@contextmanager
def errors_logged(level: int = logging.ERROR) -> Iterator[ErrorLog]:
    handler = ErrorLog(level)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def actors(code: str, outsider: str) -> dict[str, Actor]:
    """The node's development identity of every role, and an editor and an auditor elsewhere."""
    found = {actor.role.value: actor for actor in dev_actors(code)}
    found["outside editor"] = Actor(f"{outsider}:editor", "外编报", Role.EDITOR, outsider)
    found["outside auditor"] = Actor(f"{outsider}:auditor", "外审计", Role.AUDITOR, outsider)
    return found


class LiveNode:
    """Sends operations to a node as any of its actors and fails on any unhandled error."""

    def __init__(self, api: Api, log: ErrorLog, outsider: str) -> None:
        self.api = api
        self.log = log
        self.services = api.services
        self.actors = actors(self.services.place.code, outsider)
        secret = self.services.secret
        self.tokens = {
            who: issue_token(secret, actor, days=1) for who, actor in self.actors.items()
        }
        self.table_ids = [str(table_id) for table_id in self.services.app.table_ids()]
        self.outcomes: Counter[str] = Counter()
        self.roles: Counter[str] = Counter()
        self.first_failure: str | None = None

    def send(self, who: str, query: str, variables: dict[str, Any] | None = None) -> None:
        logged = len(self.log.records)
        response = self.api.post(query, variables, self.tokens[who])
        self._check(who, response, logged, f"as {who}: {query}\nvariables: {variables!r}")

    def send_body(self, who: str, body: bytes) -> None:
        """Any request body at all, sent as JSON."""
        logged = len(self.log.records)
        headers = {
            "Authorization": f"Bearer {self.tokens[who]}",
            "Content-Type": "application/json",
        }
        response = self.api.client.post("/graphql", content=body, headers=headers)
        self._check(who, response, logged, f"as {who}: body {body[:2000]!r}")

    def _check(self, who: str, response: Any, logged: int, where: str) -> None:
        """No 5xx, nothing logged at ERROR since ``logged``, no error a resolver did not expect."""
        self.roles[who] += 1
        if response.status_code >= 500:
            self._fail(f"HTTP {response.status_code} {where}\n{response.text}")
        if new := self.log.records[logged:]:
            self._fail(f"logged at ERROR {where}\n" + "\n".join(new))
        if response.status_code != 200:
            self.outcomes[f"HTTP {response.status_code}"] += 1
            return
        body = response.json()
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            if not code and "path" in error:
                self._fail(f"unhandled error {where}\n{error}")
            self.outcomes[code or "invalid operation"] += 1
        for answer in (body.get("data") or {}).values():
            if isinstance(answer, dict) and "__typename" in answer:
                self.outcomes[answer["__typename"]] += 1

    def _fail(self, failure: str) -> None:
        """Fail, naming the run's first failure too: the node's state moves on, so Hypothesis
        may report a later operation that only met what the first one broke."""
        if self.first_failure is None:
            self.first_failure = failure
        elif failure != self.first_failure:
            failure += f"\n\nthe first failure of this run:\n{self.first_failure}"
        raise AssertionError(failure)

    def indicators(self, table_id: str) -> list[str]:
        """The table's indicator ids now; none when it is not a table here."""
        table = self._table(table_id)
        return [] if table is None else [item.id for item in table.content.indicators]

    def version(self, table_id: str) -> int:
        table = self._table(table_id)
        return 1 if table is None else table.version

    def _table(self, table_id: str) -> Any:
        try:
            return self.services.app.find_table(UUID(table_id))
        except ValueError:
            return None


@contextmanager
def live(services: NodeServices, outsider: str) -> Iterator[LiveNode]:
    """The node serving (projections running), fuzzed by ``LiveNode``; stopped on leaving."""
    with errors_logged() as log, serving(services) as api:
        yield LiveNode(api, log, outsider)


def assert_views_equal_a_rebuild(services: NodeServices) -> None:
    """Every read model, brought up to date, holds what projecting the whole log again gives."""
    services.runner.catch_up()
    behind = [item for item in services.runner.status() if item.lag]
    assert behind == [], behind
    incremental = dump_views(services.engine)
    services.runner.rebuild()
    rebuilt = dump_views(services.engine)
    differ = [name for name in incremental if incremental[name] != rebuilt[name]]
    assert differ == [], {name: (incremental[name], rebuilt[name]) for name in differ}
