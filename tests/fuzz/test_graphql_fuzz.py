"""Fuzzing the GraphQL API of a live node as every role: no server errors, views still sound.

Two generators: hypothesis-graphql's operations over the whole schema (valid ones, and ones
with one violation), and operations seeded with the node's real ids and versions, which get
past validation into the edits and reviews. Afterwards the read models must equal a rebuild.
"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from api.graphql.schema import schema
from domain.model import Actor, Role
from infra.bootstrap import NodeServices
from tests.conftest import JIANGSU, ServicesFactory, seed_documents
from tests.fuzz.live_node import LiveNode, assert_views_equal_a_rebuild, live
from tests.fuzz.operations import seeded_operations
from tests.fuzz.strategies import ANY_JSON, DATE_TIMES, TEXT, fuzzing

SCHEMA = schema._schema
# Jiangsu is a root jurisdiction: its own reviewers review its tables, so every role acts here.
CODE, OUTSIDER = "320000", "360100"
EXAMPLES_PER_ROLE = 60
BODIES = 150
ODD_BODIES = (
    *(b"", b'"hello"', b"null", b"[]", b"[{}]", b"{}", b"[" * 5000, b'{"query": null}'),
    *(b'{"query": "{ me { name } }", "variables": {"x": NaN}}', b'{"query": Infinity}'),
)


def jiangsu(services_factory: ServicesFactory) -> NodeServices:
    services = services_factory(CODE)
    importer = Actor("seed", "seed", Role.EDITOR, CODE)
    services.app.import_documents(seed_documents(JIANGSU, CODE), importer, "seed")
    return services


def report(node: LiveNode) -> None:
    print(f"\n{sum(node.roles.values())} operations by role: {dict(node.roles)}")
    print(f"outcomes: {dict(node.outcomes.most_common())}")


def test_generated_operations_never_fail_on_the_server(services_factory: ServicesFactory) -> None:
    services = jiangsu(services_factory)
    with live(services, OUTSIDER) as node:
        ids = st.one_of(st.sampled_from(node.table_ids), TEXT)
        scalars = {"ID": ids.map(nodes.String), "DateTime": DATE_TIMES.map(nodes.String)}
        operations = st.one_of(
            from_schema(SCHEMA, custom_scalars=scalars),
            from_schema(SCHEMA, custom_scalars=scalars, mode=Mode.NEGATIVE),
        )
        roles = sorted(node.actors)

        @fuzzing(EXAMPLES_PER_ROLE * len(roles))
        @given(who=st.sampled_from(roles), query=operations)
        def operation(who: str, query: str) -> None:
            node.send(who, query)

        operation()
        report(node)
    assert_views_equal_a_rebuild(services)


def test_seeded_operations_reach_the_use_cases_and_views_equal_a_rebuild(
    services_factory: ServicesFactory,
) -> None:
    services = jiangsu(services_factory)
    with live(services, OUTSIDER) as node:

        @fuzzing(EXAMPLES_PER_ROLE * len(node.actors))
        @given(seeded_operations(node, SCHEMA))
        def operation(drawn: tuple[str, str, dict[str, object]]) -> None:
            node.send(*drawn)

        operation()
        report(node)
        assert node.outcomes["TableChanged"] > 0
    assert_views_equal_a_rebuild(services)


def test_any_request_body_is_answered_without_a_server_error(
    services_factory: ServicesFactory,
) -> None:
    services = jiangsu(services_factory)
    with live(services, OUTSIDER) as node:
        request = st.fixed_dictionaries(
            {},
            optional={
                "query": st.one_of(TEXT, from_schema(SCHEMA), ANY_JSON),
                "variables": ANY_JSON,
                "operationName": ANY_JSON,
                "extensions": ANY_JSON,
            },
        )
        bodies = st.one_of(
            st.binary(max_size=200),
            st.sampled_from(ODD_BODIES),
            st.one_of(ANY_JSON, request).map(lambda body: json.dumps(body).encode()),
        )

        @fuzzing(BODIES)
        @given(who=st.sampled_from(sorted(node.actors)), body=bodies)
        def post(who: str, body: bytes) -> None:
            node.send_body(who, body)

        post()
        report(node)
