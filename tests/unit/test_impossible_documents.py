"""Years and amounts no table can have are refused on reading, named by file, field and value."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from infra.documents.reading import DocumentsRefused, read_files
from projections.documents import dump_document
from tests.conftest import JIANGSU, NANCHANG, seed_documents

Change = Callable[[dict[str, Any]], None]


def exported(path: str = "nanchang") -> dict[str, Any]:
    seed, code = (NANCHANG, "360100") if path == "nanchang" else (JIANGSU, "320000")
    data = json.loads(dump_document(seed_documents(seed, code)[0]))
    assert isinstance(data, dict)
    return data


def refusal(name: str, data: bytes, fiscal_year: int | None = None) -> list[str]:
    with pytest.raises(DocumentsRefused) as refused:
        read_files([(name, data)], "360100", fiscal_year)
    return refused.value.located()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d.update(fiscal_year=-5),
            "t.json: $[0].fiscal_year：-5 不是预算年度（2000–2100）",
        ),
        (
            lambda d: d.update(fiscal_year=3026),
            "t.json: $[0].fiscal_year：3026 不是预算年度（2000–2100）",
        ),
        (
            lambda d: d["funds"].update(total="-78.00"),
            "t.json: $[0].funds.total：-78.00 是负数：金额以万元计，不能为负",
        ),
        (
            lambda d: d["funds"]["sources"].update(fiscal_appropriation="-1"),
            "$[0].funds.sources.fiscal_appropriation：-1 是负数：金额以万元计，不能为负",
        ),
    ],
)
def test_a_json_document_with_an_impossible_year_or_amount_is_refused(
    change: Change, problem: str
) -> None:
    data = exported()
    change(data)
    located = refusal("t.json", json.dumps(data).encode())
    assert any(problem in line for line in located), located


def test_a_negative_expenditure_line_is_refused_naming_its_column() -> None:
    data = exported("jiangsu")
    data["jurisdiction"] = "360100"
    data["expenditures"][0]["full_year"] = "-249"
    located = refusal("t.json", json.dumps(data).encode())
    assert any(
        "$[0].expenditures[0].full_year：-249 是负数：金额以万元计，不能为负" in line
        for line in located
    )


def test_a_form_with_a_negative_total_or_an_impossible_year_is_refused_where_the_table_starts() -> (
    None
):
    text = NANCHANG.read_text(encoding="utf-8")
    negative = text.replace("年度资金总额\t78.00", "年度资金总额\t-78.00", 1)
    (problem,) = refusal("n.txt", negative.encode())
    assert problem.startswith("n.txt:")
    assert problem.endswith(": 资金总额：-78.00 是负数：金额以万元计，不能为负")
    undated = "\n".join(line for line in text.splitlines() if line != "(2026年度)")
    problems = refusal("n.txt", undated.encode(), fiscal_year=-5)
    assert len(problems) == 4
    assert all(line.endswith(": 预算年度：-5 不是预算年度（2000–2100）") for line in problems)
