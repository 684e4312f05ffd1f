"""The schema, with the limits every operation passes through."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from api.graphql.mutations import Mutation
from api.graphql.queries import Query
from api.graphql.report_mutations import ReportMutation
from api.limits import CostLimiter

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_COST = 25_000

log = logging.getLogger("jixiao.graphql")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Refusals the client caused are answered, not logged as failures; the rest are.

        An error without a path came before execution (a request that does not parse, does not
        validate, or whose variables do not fit their types): the client's, whatever caused it.
        """
        for error in errors:
            extensions: dict[str, Any] = error.extensions or {}
            if error.original_error is None or "code" in extensions or error.path is None:
                log.info("refused: %s", error.message)
            else:
                log.error("failed: %s", error.message, exc_info=error.original_error)


# The rule classes are made once, so the validation cache recognises a repeated query; the
# limits are validation rules, so a cached query has passed them already.
_RULES = [
    rule
    for limiter in (
        QueryDepthLimiter(max_depth=MAX_DEPTH),
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        CostLimiter(max_cost=MAX_COST),
    )
    for rule in limiter.validation_rules
]
LIMITS: list[Callable[[], SchemaExtension]] = [
    lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    lambda: ParserCache(maxsize=256),
    lambda: AddValidationRules(_RULES),
    lambda: ValidationCache(maxsize=256),
]
# The tables' mutations and the reports' (monitoring rounds and self-evaluations), as one type.
Mutations = merge_types("Mutation", (Mutation, ReportMutation))
schema = Schema(query=Query, mutation=Mutations, extensions=LIMITS)
