"""What people read is in their words: stored codes, token refusals, findings (issue 25, 17)
and times on one clock (18)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from rich.console import Console

from api import reports
from api.auth import InvalidToken, actor_of, issue_token
from api.cli.render import findings_view
from api.web.render import shown_time
from api.web.signin import refusal_of_token
from domain import vocabulary
from domain.findings import Finding, Severity
from domain.history import Change
from domain.model import Actor, BasisKind, Kind, Role, Status
from domain.moments import beijing_time, labelled_time
from domain.narrative import change_text, value_words
from service_layer.story import moment

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
SECRET = "s" * 32
# Every stored value that is a code, by the history path it is stored under.
CODED_VALUES: list[tuple[str, str]] = [
    *(("status", status.value) for status in Status),
    *(("project.kind", kind.value) for kind in Kind),
    *(("review.action", action) for action in ("approve", "return")),
    ("status.source", "document"),
    *(("indicators.a1.basis", kind.value) for kind in BasisKind),
]


@pytest.mark.parametrize(("path", "code"), CODED_VALUES)
def test_a_stored_code_is_shown_in_the_peoples_words(path: str, code: str) -> None:
    shown = value_words(path, code)
    assert not LATIN_WORD.search(shown), f"{path}={code} is shown as {shown!r}"


def test_a_decision_changed_in_history_reads_as_the_reviewer_said_it() -> None:
    told = change_text(Change("review.action", "return", "approve"), {})
    assert told == "审核结论: 退回 → 审核通过"


def refusal_of(token: str) -> str:
    with pytest.raises(InvalidToken) as refused:
        actor_of(token, SECRET)
    return refusal_of_token(refused.value)


def test_a_token_refused_at_sign_in_is_explained_in_chinese() -> None:
    actor = Actor("u-1", "王编报", Role.EDITOR, "360100")
    claims = {"iss": "jixiao", "sub": "u-1", "iat": datetime.now(UTC)}
    tokens = {
        "another node's": issue_token("o" * 32, actor, days=1),
        "expired": issue_token(SECRET, actor, days=1, now=datetime.now(UTC) - timedelta(days=3)),
        "not UTF-8": "\xff\xfe.\xff\xfe.\xff",
        "not a token": "not-a-token",
        "without a role": jwt.encode(
            {**claims, "exp": datetime.now(UTC) + timedelta(days=1)}, SECRET, algorithm="HS256"
        ),
    }
    for kind, token in tokens.items():
        said = refusal_of(token)
        assert said.startswith("令牌无效："), kind
        assert not LATIN_WORD.search(said), f"{kind}: {said}"
    assert refusal_of(tokens["expired"]) == vocabulary.TOKEN_REFUSED.format(
        problem=vocabulary.TOKEN_PROBLEMS["expired"]
    )


def test_the_cli_lists_findings_in_the_clerks_words() -> None:
    finding = Finding(
        "funds.sources_mismatch", Severity.ERROR, "sources sum to 1 but total is 2", "funds"
    )
    console = Console(record=True, width=120)
    console.print(findings_view([finding]))
    printed = console.export_text()
    assert vocabulary.FINDING_HEADLINES["funds.sources_mismatch"] in printed
    assert "sources sum to" not in printed


def test_every_time_is_read_on_the_beijing_clock_and_a_lone_one_says_so() -> None:
    stored = "2026-12-08T01:30:00.123456+00:00"
    assert beijing_time(stored) == "2026-12-08 09:30:00"
    assert beijing_time("2026-12-08T01:30:00") == "2026-12-08 09:30:00"  # stored without zone
    assert labelled_time(stored) == "2026-12-08 09:30:00 北京时间"
    assert moment(stored) == labelled_time(stored)
    assert shown_time(stored) == beijing_time(stored) == reports.beijing(stored)
