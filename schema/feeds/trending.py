"""The trending feed root field."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import feeds
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.base import Info
from schema.content.types import Post
from schema.pagination import After, Connection, page_args, to_connection

TrendingFirst = Annotated[
    int | None,
    strawberry.argument(
        description=f"At most this many posts (0 to {MAX_PAGE_SIZE}) after `after`; "
        f"without it, {DEFAULT_PAGE_SIZE}."
    ),
]


@strawberry.type
class TrendingQuery:
    @strawberry.field(
        description="Published posts of the last 7 days ranked by time-decayed engagement: "
        "(likes + 2 x saves + 3 x comments + 1) / (hours since publishing + 2)^1.8, outside "
        "private communities. A ranking is a snapshot refreshed every 5 minutes; paging "
        "forwards through one stays exact, a first page reads the newest. Anyone may read it."
    )
    async def trending_feed(
        self, info: Info, first: TrendingFirst = None, after: After = None
    ) -> Connection[Post]:
        page = await feeds.trending_feed(info.context, page_args(first, after, None, None))
        return to_connection(page, Post.from_model)
