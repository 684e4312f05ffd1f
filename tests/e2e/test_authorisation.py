"""Every role × jurisdiction × operation, against a city node and a province node.

The expected cells are written out here by hand from the rules in the design brief, not
derived from the code under test, so a wrong rule in the code fails a cell.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain.model import Actor, Role
from tests.conftest import JIANGSU, NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import Api, serving

ROLES = ("editor", "reviewer", "auditor", "admin")
READERS = ("editor", "reviewer", "auditor", "admin")
SUPERVISORS = ("reviewer", "auditor", "admin")

# node → {token jurisdiction: relation}
PLACES = {
    "360100": {
        "360100": "own",
        "360000": "parent",
        "360400": "sibling",
        "360102": "child",
        "320000": "foreign",
    },
    "320000": {"320000": "own", "320100": "child", "360000": "foreign"},
}


def allowed(node: str, relation: str, role: str, operation: str) -> bool:
    """The rules, cell by cell."""
    if operation in {"list", "read"}:
        return (relation == "own" and role in READERS) or (
            relation == "parent" and role in SUPERVISORS
        )
    if operation == "inbox":
        return relation in {"own", "parent"} and role in SUPERVISORS
    if operation in {"edit", "submit"}:
        return relation == "own" and role == "editor"
    if operation == "approve":
        # a root jurisdiction reviews its own tables; a city's are reviewed at its parent's node
        return node == "320000" and relation == "own" and role == "reviewer"
    raise AssertionError(operation)


STATE = "query($id: ID!) { table(id: $id) { version status indicators { id } } }"
RESULT = "{ __typename ... on Forbidden { message } ... on TableChanged { table { version } } }"


def read(api: Api, operation: str, token: str, table_id: str) -> bool:
    queries = {
        "list": ("{ tables { totalCount } }", {}),
        "read": ("query($id: ID!) { table(id: $id) { name } }", {"id": table_id}),
        "inbox": ("{ inbox { totalCount } }", {}),
    }
    query, variables = queries[operation]
    response = api.post(query, variables, token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    if "errors" in body:
        assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"], body
        return False
    return True


def write(api: Api, operation: str, token: str, table_id: str) -> bool:
    state = api.query(STATE, {"id": table_id}, "auditor")["table"]
    version = state["version"]
    mutations = {
        "edit": (
            "setIndicatorValue",
            "SetIndicatorValueInput",
            {
                "indicatorId": state["indicators"][0]["id"],
                "value": "≥1项",
                "expectedVersion": version,
            },
        ),
        "submit": ("submitTable", "SubmitTableInput", {"expectedVersion": version}),
        "approve": ("approveSubmission", "ApproveSubmissionInput", {"version": version}),
    }
    name, kind, data = mutations[operation]
    query = f"mutation($input: {kind}!) {{ {name}(input: $input) {RESULT} }}"
    response = api.post(query, {"input": {"tableId": table_id, **data}}, token)
    assert response.status_code == 200, response.text
    result = response.json()["data"][name]
    after = api.query(STATE, {"id": table_id}, "auditor")["table"]["version"]
    if result["__typename"] == "Forbidden":
        assert after == version, "a forbidden command stored something"
        return False
    assert result["__typename"] == "TableChanged", result
    assert after == version + 1
    return True


@pytest.mark.parametrize("node", sorted(PLACES))
def test_authorisation_matrix(services_factory: ServicesFactory, node: str) -> None:
    services = services_factory(node)
    seed = JIANGSU if node == "320000" else NANCHANG
    importer = Actor("seed", "seed", Role.EDITOR, node)
    services.app.import_documents(seed_documents(seed, node), importer, "seed")
    with serving(services) as api:
        tables = api.query("{ tables { edges { node { id } } } }")["tables"]["edges"]
        ids = [edge["node"]["id"] for edge in tables]
        edited, submitted, approved = ids[0], ids[1], ids[2]
        submit = (
            "mutation($t: ID!) "
            "{ submitTable(input: {tableId: $t, expectedVersion: 1}) { __typename } }"
        )
        assert api.query(submit, {"t": approved})["submitTable"]["__typename"] == "TableChanged"

        wrong: list[str] = []
        cells = 0
        for place, relation in PLACES[node].items():
            for role in ROLES:
                token = api.token(role, place)
                for operation, table_id in [
                    ("list", edited),
                    ("read", edited),
                    ("inbox", edited),
                    ("edit", edited),
                    ("submit", submitted),
                    ("approve", approved),
                ]:
                    cells += 1
                    act = read if operation in {"list", "read", "inbox"} else write
                    got = act(api, operation, token, table_id)
                    if got != allowed(node, relation, role, operation):
                        wrong.append(f"{role} of {place} ({relation}) {operation}: allowed={got}")
    assert cells == len(PLACES[node]) * len(ROLES) * 6
    assert wrong == []
