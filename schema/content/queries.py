"""The content root query fields: a post, post listings, a topic, topics; and User.posts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.content import PostStatus as PostStatusModel
from resolvers import content
from resolvers.errors import InvalidInput
from schema.base import Info, decode_id
from schema.content.types import Post, PostSort, PostStatus, Topic, TopicSort
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection


@strawberry.input(description="Narrow a post listing; all given conditions must hold.")
class PostFilter:
    author_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this author's posts (a User id)."
    )
    topic: str | None = strawberry.field(
        default=None, description="Only posts with this topic (its slug or name, e.g. `matcha`)."
    )
    status: PostStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=PostStatusModel.PUBLISHED,
        description="Posts in this status; null means PUBLISHED. Other statuses list only your "
        "own posts (admins: everyone's).",
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only posts that tag this product (a Product id)."
    )
    has_products: bool | None = strawberry.field(
        default=None,
        description="True: only posts that tag at least one product; false: only posts that "
        "tag none; null: either.",
    )


async def user_posts(
    user_id: int,
    info: Info,
    *,
    status: PostStatusModel | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Post]:
    """For User.posts: published posts for others, every status for the user and admins."""
    page = await content.user_posts(
        info.context,
        author_id=user_id,
        status=status,
        args=page_args(first, after, last, before),
    )
    return to_connection(page, Post.from_model)


@strawberry.type
class ContentQuery:
    @strawberry.field(description="A post by id or slug; null if missing or not visible to you.")
    async def post(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The post's global id. Give this or `slug`."),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(
                description="The post's slug, e.g. `matcha-latte-at-home`. Give this or `id`."
            ),
        ] = None,
    ) -> Post | None:
        if id is not None:
            return await Post.load_one(info, decode_id(id, "Post", field="id"))
        if slug is None:
            raise InvalidInput("id", "Give the post's `id` or its `slug`.")
        row = await content.post_with_slug(info.context, slug)
        return Post.from_model(row) if row else None

    @strawberry.field(
        description="Posts you may see, filtered and sorted; by default every published post, "
        "newest first. Paged by cursor."
    )
    async def posts(
        self,
        info: Info,
        filter: Annotated[
            PostFilter | None,
            strawberry.argument(description="Conditions every listed post meets."),
        ] = None,
        sort: Annotated[
            PostSort | None,
            strawberry.argument(description="The order of the listing; null means NEWEST."),
        ] = PostSort.NEWEST,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Post]:
        where = filter or PostFilter()
        page = await content.list_posts(
            info.context,
            author_id=(
                decode_id(where.author_id, "User", field="filter.authorId")
                if where.author_id is not None
                else None
            ),
            topic=where.topic,
            status=PostStatusModel(where.status or PostStatusModel.PUBLISHED),
            order=(sort or PostSort.NEWEST).order,
            args=page_args(first, after, last, before),
            product_id=(
                decode_id(where.product_id, "Product", field="filter.productId")
                if where.product_id is not None
                else None
            ),
            has_products=where.has_products,
        )
        return to_connection(page, Post.from_model)

    @strawberry.field(description="A topic page by slug (any spelling, `#` allowed), or null.")
    async def topic(
        self,
        info: Info,
        slug: Annotated[
            str,
            strawberry.argument(description="The topic, e.g. `matcha`, `#Matcha` or `抹茶`."),
        ],
    ) -> Topic | None:
        row = await content.topic_with_slug(info.context, slug)
        return Topic.from_model(row) if row else None

    @strawberry.field(description="Topics, by name or by how many published posts carry them.")
    async def topics(
        self,
        info: Info,
        sort: Annotated[
            TopicSort | None,
            strawberry.argument(description="The order; null means POST_COUNT."),
        ] = TopicSort.POST_COUNT,
        used_only: Annotated[
            bool,
            strawberry.argument(
                description="Only topics with at least one published post (the default). "
                "False adds the topics of your own unpublished posts (admins: every topic)."
            ),
        ] = True,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Topic]:
        page = await content.list_topics(
            info.context,
            order=(sort or TopicSort.POST_COUNT).order,
            used_only=used_only,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Topic.from_model)
