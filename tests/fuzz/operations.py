"""Operations on every root field, shaped by the schema and seeded with the node's real state.

Each operation selects every field of its answer (a few levels deep) and passes its arguments
as variables drawn by name: table ids of the node, indicator ids of the chosen table, its
current version most of the time, and hostile text or odd numbers everywhere else. So edits
and reviews get past validation and version checks into the use cases.
"""

from __future__ import annotations

import base64
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_required_input_field,
)
from hypothesis import strategies as st

from tests.fuzz.live_node import LiveNode
from tests.fuzz.strategies import (
    ANY_JSON,
    DATE_TIMES,
    INTS,
    LEVEL1_TEXT,
    LEVEL2_TEXT,
    NOT_INTS,
    NUMBER_TEXT,
    SOURCE_TEXT,
    TEXT,
    VALUE_TEXT,
    mostly,
)

DEPTH = 3
VALUE_FIELDS = {"value", "fullYear", "halfYear", "actual", "actualToDate", "yearEndForecast"}
NUMBER_FIELDS = {"amount", "score", "weight", "budgetExecuted", "budgetForecast", "budgetFullYear"}
VERSION_FIELDS = {"expectedVersion", "version", "fromVersion", "toVersion"}
MONTHS = mostly(st.integers(1, 12), INTS)
YEARS = mostly(st.integers(2024, 2027), INTS)
PAGES = mostly(st.integers(1, 30), INTS)


def selection(type_: GraphQLOutputType, depth: int = DEPTH) -> str:
    """Every field of an answer's type without required arguments, ``depth`` objects down."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLUnionType):
        members = " ".join(
            f"... on {item.name} {{ {_fields(item, depth)} }}" for item in named.types
        )
        return f"{{ __typename {members} }}"
    if isinstance(named, GraphQLObjectType):
        return f"{{ __typename {_fields(named, depth)} }}"
    return ""


def _fields(type_: GraphQLObjectType, depth: int) -> str:
    chosen: list[str] = []
    for name, field in type_.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            chosen.append(name)
        elif depth > 0:
            chosen.append(f"{name} {selection(field.type, depth - 1)}")
    return " ".join(chosen)


def document(kind: str, name: str, field: GraphQLField) -> str:
    """The operation on root field ``name``, its arguments as variables of the same names."""
    declared = ", ".join(f"${arg}: {item.type}" for arg, item in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    head = f"{kind}({declared})" if declared else kind
    call = f"{name}({passed})" if passed else name
    # A page of tables with their timelines would cost more than the limit allows.
    depth = DEPTH - 1 if "first" in field.args else DEPTH
    return f"{head} {{ {call} {selection(field.type, depth)} }}"


@st.composite
def seeded_operations(
    draw: st.DrawFn, node: LiveNode, schema: GraphQLSchema
) -> tuple[str, str, dict[str, Any]]:
    """(who, query, variables): one operation on any root field, by any of the node's actors."""
    roots = [
        (kind, name, field)
        for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type))
        if root is not None
        for name, field in root.fields.items()
    ]
    kind, name, field = draw(st.sampled_from(roots))
    who = draw(mostly(st.just(_fitting(kind, name)), st.sampled_from(sorted(node.actors))))
    table = draw(_table_id(node))
    variables: dict[str, Any] = {}
    for arg, item in field.args.items():
        if not isinstance(item.type, GraphQLNonNull) and draw(st.booleans()):
            continue  # left out: the argument's default applies
        variables[arg] = draw(_value(node, table, arg, item.type))
    if variables and draw(st.integers(0, 9)) == 0:  # now and then one of the wrong type
        variables[draw(st.sampled_from(sorted(variables)))] = draw(st.one_of(NOT_INTS, ANY_JSON))
    return who, document(kind, name, field), variables


def _fitting(kind: str, name: str) -> str:
    """The role that may do what the root field does."""
    if name.startswith(("approve", "return", "review")) or name == "inbox":
        return "reviewer"
    if name in {"diff", "blame"}:
        return "auditor"
    return "editor" if kind == "mutation" else "admin"


def _table_id(node: LiveNode) -> st.SearchStrategy[str]:
    """A table of the node most of the time; else a stranger's id or something not an id."""
    return mostly(st.sampled_from(node.table_ids), st.one_of(st.uuids().map(str), TEXT))


def _value(
    node: LiveNode, table: str, name: str, type_: GraphQLInputType
) -> st.SearchStrategy[Any]:
    required = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    strategy = _of_type(node, table, name, inner)
    return strategy if required else st.one_of(st.none(), strategy)


def _of_type(node: LiveNode, table: str, name: str, type_: Any) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLList):
        return st.lists(_value(node, table, name, type_.of_type), max_size=4)
    if isinstance(type_, GraphQLInputObjectType):
        fields = {
            field_name: _value(node, table, field_name, field.type)
            for field_name, field in type_.fields.items()
        }
        return st.fixed_dictionaries(
            {key: value for key, value in fields.items() if _required(type_, key)},
            optional={key: value for key, value in fields.items() if not _required(type_, key)},
        )
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(sorted(type_.values))
    return _scalar(node, table, name, type_.name)


def _required(type_: GraphQLInputObjectType, key: str) -> bool:
    return is_required_input_field(type_.fields[key])


def _scalar(node: LiveNode, table: str, name: str, scalar: str) -> st.SearchStrategy[Any]:
    if name in {"tableId", "id"}:
        return mostly(st.just(table), _table_id(node))
    if name == "indicatorId":
        indicator = st.integers(0, 99).map(lambda at: _nth(node.indicators(table), at))
        return mostly(indicator, TEXT)
    if name in VERSION_FIELDS:
        near = st.integers(-1, 1).map(lambda step: node.version(table) + step)
        return mostly(st.builds(lambda: node.version(table)), st.one_of(near, INTS))
    if name == "jurisdiction":
        return mostly(st.sampled_from(["320000", "320100", "360100", "000000"]), TEXT)
    if name == "first":
        return PAGES
    if name == "throughMonth":
        return MONTHS
    if name == "fiscalYear":
        return YEARS
    if name == "after":
        kinds = st.sampled_from(["table", "submission", "indicator"])
        big = st.sampled_from([2**31, 10**17, 10**30, "²", "١٢", "1" * 5000])
        positions = st.one_of(INTS, big)
        keys = st.one_of(positions, st.tuples(st.one_of(st.uuids(), TEXT), positions))
        return st.one_of(TEXT, st.builds(_cursor, kinds, keys))
    if name == "source":
        return SOURCE_TEXT
    if name in VALUE_FIELDS:
        return VALUE_TEXT
    if name in NUMBER_FIELDS:
        return NUMBER_TEXT
    if name in {"level1", "level1Code"}:
        return LEVEL1_TEXT
    if name in {"level2", "level2Code"}:
        return LEVEL2_TEXT
    return {
        "Int": INTS,
        "Boolean": st.booleans(),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "DateTime": DATE_TIMES,
    }.get(scalar, TEXT)


def _nth(items: list[str], at: int) -> str:
    return items[at % len(items)] if items else "no-such-indicator"


def _cursor(kind: str, key: object) -> str:
    """A cursor as the API makes them, around any key (an indicator's is ``table:position``)."""
    text = ":".join(map(str, key)) if isinstance(key, tuple) else str(key)
    return base64.urlsafe_b64encode(f"{kind}:{text}".encode()).decode()
