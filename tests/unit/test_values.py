from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.values import ValueKind, parse_value, value_problem
from tests.conftest import JIANGSU, NANCHANG, seed_documents
from tests.unit.seed_values import SEED_VALUES


@pytest.mark.parametrize(("raw", "kind", "op", "number", "detail"), SEED_VALUES)
def test_every_seed_value_parses_to_its_kind_operator_number_and_unit(
    raw: str, kind: str, op: str | None, number: str | None, detail: str | None
) -> None:
    value = parse_value(raw)
    assert value.raw == raw
    assert value.kind == kind
    assert value.op == op
    if kind == "numeric":
        assert value.number == Decimal(str(number))
        assert str(value.number) == number
        assert value.unit == detail
    elif kind == "date":
        assert value.date == detail
    else:
        assert value.text == raw


def test_the_value_table_covers_every_value_in_the_seed_documents() -> None:
    in_seeds = {
        value.raw
        for path, code in ((JIANGSU, "320000"), (NANCHANG, "360100"))
        for document in seed_documents(path, code)
        for item in document.indicators
        for value in (item.half_year, item.full_year)
        if value is not None
    }
    assert in_seeds == {row[0] for row in SEED_VALUES}


@pytest.mark.parametrize(
    ("raw", "op", "number", "unit"),
    [
        ("≥ 95 %", ">=", "95", "%"),
        ("＞98％", ">", "98", "%"),
        (">=1,000家", ">=", "1000", "家"),
        ("36.20", "=", "36.20", None),
        ("≦3天", "<=", "3", "天"),
    ],
)
def test_numbers_written_with_spaces_full_width_or_separators(
    raw: str, op: str, number: str, unit: str | None
) -> None:
    value = parse_value(raw)
    assert (value.kind, value.op, str(value.number), value.unit) == ("numeric", op, number, unit)


@pytest.mark.parametrize("raw", ["90%-100%", "2026年13月1日", "第一季度完成", "≥", ""])
def test_what_is_not_a_number_or_a_real_date_stays_text(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.TEXT


@given(st.text())
def test_raw_text_is_always_kept(raw: str) -> None:
    assert parse_value(raw).raw == raw


_UNITS = st.sampled_from(
    ["%", "家", "条", "件", "次", "个", "块", "项", "份", "米", "小时", "微克/立方米"]
)


@given(
    op=st.sampled_from(["≥", "≤", "=", ">", "<", ""]),
    number=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    unit=_UNITS,
)
def test_a_written_bound_reads_back_as_its_parts(op: str, number: Decimal, unit: str) -> None:
    value = parse_value(f"{op}{number}{unit}")
    expected_op = {"≥": ">=", "≤": "<=", "": "="}.get(op, op)
    assert (value.kind, value.op, value.number, value.unit) == (
        "numeric",
        expected_op,
        number,
        unit,
    )


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_written_date_reads_back_as_iso(day: date) -> None:
    value = parse_value(f"{day.year}年{day.month}月{day.day}日")
    assert (value.kind, value.date) == ("date", day.isoformat())


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("≥≥abc%", "a comparison (≥) needs a number or a date after it"),
        ("≥", "a comparison (≥) needs a number"),
        ("<p>规范", "a comparison (<) needs a number"),
        ("2026年2月30日", "there is no 2026年2月30日"),
        ("≤2026年13月1日", "there is no 2026年13月1日"),
        ("NaN", "a number must be finite"),
        ("-Infinity", "a number must be finite"),
        ("≥∞", "a number must be finite"),
        ("≥1e309个", "without an exponent"),
        ("1E5", "without an exponent"),
    ],
)
def test_text_that_starts_like_a_number_or_a_date_must_be_one(raw: str, why: str) -> None:
    problem = value_problem(raw)
    assert problem is not None
    assert problem.startswith(f"'{raw}' is not a value: ")
    assert why in problem


@pytest.mark.parametrize("raw", [row[0] for row in SEED_VALUES])
def test_every_seed_value_follows_the_grammar(raw: str) -> None:
    assert value_problem(raw) is None


@pytest.mark.parametrize("raw", ["序时进度", "Nancy", "information", "90%-100%", "第一季度完成"])
def test_qualitative_text_is_a_value(raw: str) -> None:
    assert value_problem(raw) is None


def test_the_problem_shows_a_hidden_character_visibly() -> None:
    assert value_problem("≥\u202e5") == (
        "'≥⟨U+202E⟩5' is not a value: a comparison (≥) needs a number or a date after it, "
        "such as ≥66块 or ≤2026年6月30日"
    )
