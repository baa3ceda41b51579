"""The feed root fields: the signed-in user's home feed and a topic's feed."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import feeds
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.base import Info
from schema.content.types import Post
from schema.pagination import After, Connection, page_args, to_connection

# Feeds page forwards only: a feed is read from the newest post down.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"At most this many posts (0 to {MAX_PAGE_SIZE}) after `after`; "
        f"without it, {DEFAULT_PAGE_SIZE}."
    ),
]


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description="Your home feed: the published posts of the users you follow and those "
        "carrying the topics you follow (not your own), newest published first. Paged forwards "
        "by cursor; pages stay exact while new posts arrive. Needs signing in (apps: "
        "read:content)."
    )
    async def home_feed(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Post]:
        page = await feeds.home_feed(info.context, page_args(first, after, None, None))
        return to_connection(page, Post.from_model)

    @strawberry.field(
        description="A topic's feed: its published posts, newest published first, paged "
        "forwards by cursor; null for a topic that does not exist or you cannot see."
    )
    async def topic_feed(
        self,
        info: Info,
        slug: Annotated[
            str,
            strawberry.argument(description="The topic, e.g. `matcha`, `#Matcha` or `抹茶`."),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Post] | None:
        page = await feeds.topic_feed(info.context, slug, page_args(first, after, None, None))
        return None if page is None else to_connection(page, Post.from_model)
