"""What fuzzers send: hostile text, things that look like values, and how many examples to run.

``JIXIAO_FUZZ_EXAMPLES`` sets how many examples each fuzzing run makes (each test, on each
backend); unset, each test runs its own count, and tests/fuzz takes a minute or two.
"""

from __future__ import annotations

import os
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from domain import vocabulary

HOSTILE = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m红\x1b[0m",
    "\u202e反转\u202c",
    "\u200b",
    "\ufeff",
    "[/red]",
    "[red]x[/red]",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "<script>alert(1)</script>",
    "'; DROP TABLE tables; --",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "%s%n%x",
    "../../etc/passwd",
    "\\u0000",
    "\r\n\r\n",
    "\t",
    "🙂" * 3,
    "𠀀",
    "x" * 5000,
    "满意度" * 700,
)
VALUES = (
    "≥95%",
    "≤3天",
    "=100%",
    "＜5个",
    ">0",
    "100",
    "12.50万元",
    "≥≥abc%",
    "≥",
    "%",
    "2026年12月31日",
    "2026年2月30日",
    "2026-13-01",
    "NaN",
    "nan%",
    "Infinity",
    "≥1e309个",
    "-0",
    "1" * 400,
    "0." + "0" * 300 + "1",
    "≥\x1b95%",
    "好",
    "达标",
)
NUMBERS = ("0", "1", "-1", "12.5", "1e309", "NaN", "-Infinity", "1" * 60, "0.000001", "1,000", "")

WORDS = ("请审核", "目标值偏低", "按审核意见调整", "同意", "应急物资储备", "群众满意度", "年度目标")
SOURCES = (*vocabulary.FUND_SOURCES, *vocabulary.FUND_SOURCES.values(), "其中:财政拨款", "其他")

T = TypeVar("T")


def mostly(usual: st.SearchStrategy[T], unusual: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``usual`` four times in five (``st.one_of`` would favour the branch with more variety)."""
    return st.integers(0, 4).flatmap(lambda pick: unusual if pick == 0 else usual)


# Any character a JSON body can carry (no lone surrogates, which UTF-8 cannot encode).
CHARACTERS = st.characters(codec="utf-8")
TEXT = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(CHARACTERS, max_size=40))
ANY_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        TEXT,
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=10,
)
# GraphQL's Int is 32 bits: the first ones outside are refused before any resolver runs.
NOT_INTS = st.sampled_from([2**31, -(2**31) - 1, 10**20, 1.5, "1"])
AMOUNTS = st.decimals(min_value=0, max_value=100_000, places=2).map(str)
# Mostly values the grammar accepts, so edits get through; the rest are near misses or noise.
VALUE_TEXT = mostly(
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["≥", "≤", "=", "＞", "<", ""]),
        AMOUNTS,
        st.sampled_from(["%", "个", "天", "万元", "人次", ""]),
    ),
    st.one_of(st.sampled_from(VALUES), TEXT),
)
NUMBER_TEXT = mostly(
    AMOUNTS,
    st.one_of(
        st.sampled_from(NUMBERS), st.decimals(allow_nan=True, allow_infinity=True).map(str), TEXT
    ),
)
LEVEL1_TEXT = mostly(
    st.sampled_from([name for item in vocabulary.LEVEL1 for name in (item.label, item.code)]), TEXT
)
LEVEL2_TEXT = mostly(
    st.sampled_from([name for item in vocabulary.LEVEL2 for name in (item.label, item.code)]), TEXT
)
SOURCE_TEXT = mostly(st.sampled_from(SOURCES), TEXT)
INTS = st.one_of(
    st.integers(-3, 20),
    st.sampled_from([-(2**31), 2**31 - 1, 10**6, -(10**6)]),
    st.integers(-(2**31), 2**31 - 1),
)
DATE_TIMES = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(
        [
            "0001-01-01T00:00:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2026-02-30T00:00:00",
            "2026-06-01",
            "yesterday",
            "",
        ]
    ),
)


def examples(default: int) -> int:
    """How many examples one fuzzing run makes: ``JIXIAO_FUZZ_EXAMPLES`` or ``default``."""
    return int(os.environ.get("JIXIAO_FUZZ_EXAMPLES", default))


def fuzzing(default: int) -> settings:
    """Settings for fuzzing a live node: no deadline, no replay database (state moves on)."""
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
