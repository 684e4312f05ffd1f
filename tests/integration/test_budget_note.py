"""Issue 25, point 14: 全年预算数 A starts as the approved budget; a different A is refused
without its reason, and the reason travels with the self-evaluation to the reviewer."""

from __future__ import annotations

from api.web.session import COOKIE
from tests.conftest import ServicesFactory
from tests.e2e.graphql_client import serving
from tests.support.reports import approved_root_tables

SET = (
    "mutation($input: SetSelfEvaluationInput!) { setSelfEvaluation(input: $input) { __typename "
    "... on InvalidInput { message field } } }"
)
READ = "query($id: ID!) { selfEvaluation(tableId: $id) { budget budgetFullYear budgetNote } }"


def test_a_budget_other_than_the_approved_one_is_kept_only_with_its_reason(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    table_id = str(approved_root_tables(services)[0])
    with serving(services) as api:
        form = {
            "tableId": table_id,
            "expectedVersion": 0,
            "budgetFullYear": "1",
            "budgetExecuted": "1",
        }
        refused = api.query(SET, {"input": form})["setSelfEvaluation"]
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "budgetNote")
        assert api.query(READ, {"id": table_id}, "reviewer")["selfEvaluation"] is None
        noted = {**form, "budgetNote": "年中调减预算"}
        assert api.query(SET, {"input": noted})["setSelfEvaluation"]["__typename"] == (
            "SelfEvaluationChanged"
        )
        shown = api.query(READ, {"id": table_id}, "reviewer")["selfEvaluation"]
        assert (shown["budgetFullYear"], shown["budgetNote"]) == ("1", "年中调减预算")
        assert shown["budget"] != "1"  # the approved budget stays beside it


def test_the_reviewer_reads_the_reason_on_the_evaluation_page(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360000")
    table_id = str(approved_root_tables(services)[0])
    form = {
        "tableId": table_id,
        "expectedVersion": 0,
        "budgetFullYear": "60",
        "budgetExecuted": "50",
        "budgetNote": "年中调减预算 18 万元",
    }
    with serving(services) as api:
        assert api.query(SET, {"input": form})["setSelfEvaluation"]["__typename"] == (
            "SelfEvaluationChanged"
        )
        api.client.cookies.set(COOKIE, api.token("reviewer"))
        page = api.client.get(f"/tables/{table_id}/evaluation")
    assert page.status_code == 200
    assert 'id="budget_note">年中调减预算 18 万元<' in page.text
