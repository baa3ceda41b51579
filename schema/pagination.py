"""Relay connections: edges with cursors, pageInfo, and a totalCount counted only when asked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import strawberry
from strawberry import relay

from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageArgs, Row

NodeType = TypeVar("NodeType", bound=relay.Node)

# The four paging arguments of every connection field, described once.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page forwards: at most this many items (0 to {MAX_PAGE_SIZE}) after "
        f"`after`. Not with `last`; without either, the first {DEFAULT_PAGE_SIZE}."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor: the previous page's `pageInfo.endCursor`, or an "
        "edge's `cursor`."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page backwards: at most this many items (0 to {MAX_PAGE_SIZE}) before "
        "`before`. Not with `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="End before this cursor: the next page's `pageInfo.startCursor`, or an "
        "edge's `cursor`."
    ),
]


@strawberry.type(
    name="Connection",
    description="A page of items. Page with `first`/`after` forwards or `last`/`before` "
    "backwards; at most 100 items per page.",
)
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    count_rows: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items there are in all pages together.")
    async def total_count(self) -> int:
        return await self.count_rows()


def page_args(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageArgs:
    return PageArgs(first=first, after=after, last=last, before=before)


def to_connection(page: Page[Row], convert: Callable[[Row], NodeType]) -> Connection[NodeType]:
    return Connection(
        edges=[relay.Edge(cursor=page.cursor(row), node=convert(row)) for row in page.rows],
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        count_rows=page.count,
    )
