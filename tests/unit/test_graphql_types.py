"""The GraphQL types of a table's parts carry exactly the domain's fields."""

from __future__ import annotations

from dataclasses import fields

import pytest
from strawberry.types.base import get_object_definition

from api.graphql import types as gql
from domain import model
from domain.values import Value


@pytest.mark.parametrize(
    ("graphql", "domain", "extra"),
    [
        (gql.Project, model.Project, set()),
        (gql.Indicator, model.Indicator, set()),
        (gql.Category, model.EmptyCategory, set()),
        (gql.Value, Value, set()),
        (gql.ValueBasis, model.ValueBasis, {"label", "shown"}),
        (gql.ActorType, model.Actor, set()),
        (gql.Goals, model.Goals, set()),
        (gql.Expenditure, model.Expenditure, set()),
    ],
)
def test_a_graphql_type_has_its_domain_objects_fields(
    graphql: type, domain: type, extra: set[str]
) -> None:
    definition = get_object_definition(graphql, strict=True)
    shown = {field.python_name for field in definition.fields}
    assert shown == {field.name for field in fields(domain)} | extra


def test_graphql_enums_are_the_domains_own() -> None:
    for enum in (model.Status, model.Form, model.Kind, model.Role, model.Period, model.BasisKind):
        assert hasattr(enum, "__strawberry_definition__"), enum
