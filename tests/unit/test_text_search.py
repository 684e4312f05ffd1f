"""Text problems are found by a quick search over a table's strings, remembering the parts found
clean: a later version that shares those parts must still report every problem, at its path."""

from __future__ import annotations

from dataclasses import replace

from domain.model import TableContent
from domain.text import TextProblem, text_problems
from domain.values import parse_value
from tests.conftest import JIANGSU, seed_documents

RLO = "\u202e"


def content() -> TableContent:
    return seed_documents(JIANGSU, "320000")[0].content


def walked(subject: TableContent) -> list[TextProblem]:
    return list(text_problems(subject))


def test_a_clean_table_has_no_text_problems_twice() -> None:
    clean = content()
    assert walked(clean) == []
    assert walked(clean) == []  # its parts are now remembered as clean


def test_a_bad_value_in_a_later_version_is_found_though_its_siblings_were_clean() -> None:
    first = content()
    assert walked(first) == []
    indicators = list(first.indicators)
    target = indicators[1]
    indicators[1] = replace(target, full_year=parse_value(f"≥5{RLO}个"))
    later = replace(first, indicators=tuple(indicators))
    problems = walked(later)
    assert [(problem.path, problem.character) for problem in problems] == [
        (f"indicators[{target.id}].full_year", RLO)
    ]


def test_a_line_break_is_refused_in_a_name_but_kept_in_a_goal() -> None:
    first = content()
    assert walked(first) == []
    renamed = replace(first, project=replace(first.project, name="甲\n乙"))
    assert [problem.path for problem in walked(renamed)] == ["project.name"]
    annual = replace(first, goals=replace(first.goals, annual="第一行\n第二行"))
    assert walked(annual) == []


def test_every_problem_is_reported_when_several_parts_hold_one() -> None:
    first = content()
    indicators = tuple(replace(item, name=f"{item.name}\x00") for item in first.indicators[:3])
    bad = replace(first, indicators=indicators + first.indicators[3:])
    assert len(walked(bad)) == 3
    assert len(walked(bad)) == 3  # a part with a problem is never remembered as clean
