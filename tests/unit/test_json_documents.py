"""Table documents as JSON: exact decimals out, and every bad input named on the way in."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from pydantic import TypeAdapter

from domain.document import TableDocument, document_for
from domain.model import INDICATOR_ID, BasisKind, ValueBasis
from domain.values import Value
from infra.documents.cells import DocumentError
from infra.documents.jsondoc import read_json_documents
from projections.current import value_json
from projections.documents import document_json, dump_document
from tests.conftest import JIANGSU, NANCHANG, seed_documents


def exported() -> dict[str, object]:
    data = json.loads(dump_document(seed_documents(NANCHANG, "360100")[2]))
    assert isinstance(data, dict)
    return data


def test_amounts_stay_exactly_as_written() -> None:
    data = exported()
    assert data["funds"] == {"total": "36.20", "sources": {"fiscal_appropriation": "36.20"}}
    (document,) = read_json_documents(json.dumps(data), "t.json")
    assert str(document.funds.total) == "36.20"


def test_broken_json_is_refused_with_its_line() -> None:
    text = json.dumps(exported(), indent=2).replace('"fiscal_year": 2026,', '"fiscal_year": 2026')
    with pytest.raises(DocumentError) as refused:
        read_json_documents(text, "t.json")
    ((place, message),) = refused.value.problems
    assert place.row == 6
    assert message == "不是有效的 JSON：Expecting ',' delimiter"


def test_a_value_whose_parts_contradict_its_raw_text_is_refused() -> None:
    data = exported()
    indicators = data["indicators"]
    assert isinstance(indicators, list)
    indicators[3]["full_year"]["number"] = "11"
    with pytest.raises(
        DocumentError,
        match=r"indicators\[3\]\.full_year\.number：「≥10家」读作 10，文档中却写作 11",
    ):
        read_json_documents(json.dumps(data), "t.json")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(schema=2), "$[0]：不支持的文档版本（schema）2，应为 1"),
        (lambda d: d.update(form="county"), "$[0].form"),
        (lambda d: d["funds"].update(total="lots"), "$[0].funds.total"),
        (lambda d: d.pop("indicators"), "$[0].indicators：缺少这一项"),
    ],
)
def test_a_document_that_breaks_the_schema_names_the_field(change: object, problem: str) -> None:
    data = exported()
    assert callable(change)
    change(data)
    with pytest.raises(DocumentError) as refused:
        read_json_documents(json.dumps(data), "t.json")
    assert problem in str(refused.value)


def test_the_compact_form_is_exactly_what_the_schema_serializer_writes() -> None:
    adapter: TypeAdapter[TableDocument] = TypeAdapter(TableDocument)
    values: TypeAdapter[Value] = TypeAdapter(Value)
    findings = 0
    for path, code in ((JIANGSU, "320000"), (NANCHANG, "360100")):
        for seed in seed_documents(path, code):
            document = document_for(
                "t", code, seed.fiscal_year, seed.form, seed.status, 7, seed.content
            )
            findings += len(document.findings)
            expected = json.loads(adapter.dump_json(document))
            for indicator in expected["indicators"]:  # left out while empty (added later)
                for key in ("explanation", "basis"):
                    assert indicator.pop(key) is None
            compact = json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
            assert document_json(document) == compact
            for item in document.indicators:
                for value in (item.half_year, item.full_year):
                    expected = None if value is None else values.dump_json(value).decode()
                    assert value_json(value) == expected
    assert findings  # the seeds carry warnings, so findings are compared too


def test_an_explained_indicator_carries_its_explanation_and_basis_in_both_forms() -> None:
    seed = seed_documents(NANCHANG, "360100")[0]
    first = replace(
        seed.indicators[0],
        explanation="当年新建界标数量",
        basis=ValueBasis(BasisKind.PLAN, "《界标建设规划》"),
    )
    document = replace(seed, indicators=(first, *seed.indicators[1:]))
    for text in (document_json(document), dump_document(document)):
        data = json.loads(text)
        assert data["indicators"][0]["explanation"] == "当年新建界标数量"
        assert data["indicators"][0]["basis"] == {"kind": "plan", "text": "《界标建设规划》"}
        assert "explanation" not in data["indicators"][1]
        [again] = read_json_documents(text, "t.json")
        assert again.indicators == document.indicators


@pytest.mark.parametrize(
    "bad_id", ['a1"><img src=x onerror=alert(1)>', "/", "..", "a/b", "", "-a", "x" * 65, "指标1"]
)
def test_an_indicator_id_off_the_id_rule_is_refused_naming_the_indicator(bad_id: str) -> None:
    data = exported()
    indicators = data["indicators"]
    assert isinstance(indicators, list)
    indicators[3]["id"] = bad_id
    name = indicators[3]["name"]
    with pytest.raises(DocumentError) as refused:
        read_json_documents(json.dumps(data), "t.json")
    rule = "1–64 个英文字母、数字、「-」或「_」，首个须为字母或数字"
    assert f"$[0].indicators[3].id：「{bad_id}」（{name}）不是指标编号：{rule}" in str(
        refused.value
    )


def test_every_id_the_readers_and_revision_make_fits_the_id_rule() -> None:
    for path, code in ((JIANGSU, "320000"), (NANCHANG, "360100")):
        for document in seed_documents(path, code):
            assert all(INDICATOR_ID.fullmatch(item.id) for item in document.indicators)
    assert INDICATOR_ID.fullmatch("added000001")  # as release 0.1.0's fixture store has it
    assert INDICATOR_ID.fullmatch("a" * 60 + "-12")  # revision's suffix on the longest id
