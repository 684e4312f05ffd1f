"""Limits that keep one hostile request from hurting everyone else."""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import AddValidationRules

# How many items a list field is assumed to hold when the query does not say (``first``).
LIST_SIZES = {
    "indicators": 40,
    "timeline": 50,
    "changes": 10,
    "findings": 20,
    "sources": 8,
    "expenditures": 10,
    "emptyCategories": 4,
    "indicatorComments": 10,
    "rollups": 50,
    "lines": 40,
    "lineComments": 10,
}
VARIABLE_PAGE = 100


_TOO_LARGE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>提交的内容过大</title><link rel="stylesheet" href="/static/workbench.css"></head>
<body><main class="page"><div class="notice refusal"><h1>提交的内容过大</h1>
<p>本次提交超过了本节点允许的 {megabytes} MB，没有保存任何内容。导入文件时请拆分后分批导入。</p>
<p><a href="/import">返回导入页</a> · <a href="/">返回首页</a></p></div></main></body></html>"""


class BodyTooLarge(Exception):
    pass


class RequestSizeLimit:
    """Refuse a request body over its limit with 413, before it is read into memory.

    Uploads of documents (the ``upload_paths``) may be larger than other requests.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        upload_limit: int | None = None,
        upload_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit or limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else self.limit
        headers = dict(scope["headers"])
        page = b"text/html" in headers.get(b"accept", b"")
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, int(declared), limit, page)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
            return message

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, seen, limit, page)

    async def _refuse(self, send: Send, size: int, limit: int, page: bool) -> None:
        """413 in JSON, or for a browser a page that says it in words and leads back."""
        if page:
            body = _TOO_LARGE_PAGE.format(megabytes=f"{limit / 1024**2:.1f}").encode()
            kind = b"text/html; charset=utf-8"
        else:
            detail = f"the request body ({size} bytes) is over the limit of {limit} bytes"
            body = json.dumps({"detail": detail}).encode()
            kind = b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class CostLimiter(AddValidationRules):
    """Refuse an operation whose estimated number of resolved fields is over ``max_cost``.

    Each field costs 1; a field with ``first`` multiplies what it selects by that number (by
    100 when it is a variable), and the known lists by their usual size.
    """

    def __init__(self, max_cost: int) -> None:
        limit = max_cost

        class CostRule(ValidationRule):
            def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
                cost = _cost(node.selection_set, self.context, frozenset())
                if cost > limit:
                    self.report_error(
                        GraphQLError(
                            f"the query would cost about {cost} field resolutions; the limit "
                            f"is {limit}. Ask for fewer items (first) or fewer nested lists.",
                            node,
                            extensions={"code": "QUERY_TOO_COSTLY"},
                        )
                    )

        super().__init__([CostRule])


def _cost(
    selections: SelectionSetNode | None, context: ValidationContext, fragments: frozenset[str]
) -> int:
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            inner = _cost(selection.selection_set, context, fragments)
            total += 1 + _multiplier(selection) * inner
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(selection.selection_set, context, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is not None and name not in fragments:
                total += _cost(fragment.selection_set, context, fragments | {name})
    return total


def _multiplier(field: FieldNode) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            return max(int(value.value), 1) if isinstance(value, IntValueNode) else VARIABLE_PAGE
    return LIST_SIZES.get(field.name.value, 1)
