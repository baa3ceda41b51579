"""Reading posts and topics: by id or slug, listings, topic pages, a user's posts, revisions."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from models.content import Post, PostRevision, PostStatus, Topic
from resolvers.content.access import (
    can_see_private,
    can_see_topics,
    in_readable_communities,
    readable,
    topics_visible_to,
    visible_to,
)
from resolvers.content.checks import normalise_topic
from resolvers.content.loaders import post_by_slug, topic_by_slug
from resolvers.content.shoppable import tagging_posts
from resolvers.content.slugs import SLUG_MAX
from resolvers.errors import InvalidInput
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted

if TYPE_CHECKING:
    from resolvers.context import Context


class PostOrder(StrEnum):
    NEWEST = "newest"  # most recently created first
    OLDEST = "oldest"


class TopicOrder(StrEnum):
    NAME = "name"  # A to Z by slug
    POST_COUNT = "post_count"  # most published posts first


POST_SORT = {PostOrder.NEWEST: SortKey("id"), PostOrder.OLDEST: SortKey("id", descending=False)}
TOPIC_SORT = {
    TopicOrder.NAME: SortKey("slug", descending=False, kind=str),
    TopicOrder.POST_COUNT: SortKey("post_count"),
}


async def post_with_slug(ctx: Context, slug: str) -> Post | None:
    wanted = slug.strip().lower()
    if not wanted or len(wanted) > SLUG_MAX:  # no post has it; tortoise would raise
        return None
    [row] = await readable(ctx, [await ctx.loaders[post_by_slug].load(wanted)])
    return row


async def topic_with_slug(ctx: Context, slug: str) -> Topic | None:
    try:
        normalised, _ = normalise_topic(slug)
    except InvalidInput:
        return None  # no topic can have that name
    [row] = await can_see_topics(ctx, [await ctx.loaders[topic_by_slug].load(normalised)])
    return row


async def list_posts(
    ctx: Context,
    *,
    author_id: int | None,
    topic: str | None,
    status: PostStatus,
    order: PostOrder,
    args: PageArgs,
    product_id: int | None = None,
    has_products: bool | None = None,
) -> SortedPage[Post]:
    """Posts in one status the caller may see: PUBLISHED for all, others only their own
    (every author's for admins)."""
    query = visible_to(ctx, Post.filter(status=status))
    if author_id is not None:
        query = query.filter(author_id=author_id)
    if topic is not None:
        found = await topic_with_slug(ctx, topic)
        query = query.filter(post_topics__topic_id=found.id if found else 0)
    if product_id is not None:
        query = query.filter(id__in=tagging_posts(product_id))
    if has_products is not None:
        tagging = tagging_posts(None)
        query = query.filter(id__in=tagging) if has_products else query.exclude(id__in=tagging)
    return await paginate_sorted(query, args, POST_SORT[order])


async def user_posts(
    ctx: Context, *, author_id: int, status: PostStatus | None, args: PageArgs
) -> SortedPage[Post]:
    """A user's posts, newest first: published for others, every status for the author."""
    query = visible_to(ctx, Post.filter(author_id=author_id))
    if status is not None:
        query = query.filter(status=status)
    return await paginate_sorted(query, args, POST_SORT[PostOrder.NEWEST])


async def topic_posts(ctx: Context, *, topic_id: int, args: PageArgs) -> SortedPage[Post]:
    """A topic page: its published posts, newest first (a topic page shows no drafts)."""
    query = Post.filter(
        status=PostStatus.PUBLISHED, hidden_at__isnull=True, post_topics__topic_id=topic_id
    )
    query = in_readable_communities(ctx, query)
    return await paginate_sorted(query, args, POST_SORT[PostOrder.NEWEST])


async def list_topics(
    ctx: Context, *, order: TopicOrder, used_only: bool, args: PageArgs
) -> SortedPage[Topic]:
    query = Topic.filter(post_count__gt=0) if used_only else topics_visible_to(ctx, Topic.all())
    return await paginate_sorted(query, args, TOPIC_SORT[order])


async def post_revisions(
    ctx: Context, post: Post, args: PageArgs
) -> SortedPage[PostRevision] | None:
    """A post's revisions, newest first; None unless the caller is its author or an admin."""
    if not can_see_private(ctx, post):
        return None
    query = PostRevision.filter(post_id=post.id)
    return await paginate_sorted(query, args, SortKey("number"))
