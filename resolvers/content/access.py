"""Who sees what: drafts, scheduled and archived posts are their author's and the admins' alone.

Everyone sees PUBLISHED posts. The author and admins see every status; an app needs
read:content for that private view, like reviews. Every path (node, root queries, listings,
topic pages, User.posts, attribution) goes through `visible_posts` or `visible_to`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from models.content import Post, PostRevision, PostStatus
from resolvers.content.loaders import post_by_id, post_revision_by_id
from resolvers.errors import NotFound
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


def _private_viewer(ctx: Context) -> User | None:
    """The user whose non-public view applies; apps need read:content for it."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def can_see_private(ctx: Context, post: Post) -> bool:
    """Unpublished states and revisions: the author and admins."""
    user = _private_viewer(ctx)
    return user is not None and (post.author_id == user.id or user.role is Role.ADMIN)


def can_see(ctx: Context, post: Post) -> bool:
    return post.status is PostStatus.PUBLISHED or can_see_private(ctx, post)


def visible_to(ctx: Context, query: QuerySet[Post]) -> QuerySet[Post]:
    """Published posts, plus every other status for their author and for admins."""
    user = _private_viewer(ctx)
    if user is not None and user.role is Role.ADMIN:
        return query
    if user is not None:
        return query.filter(Q(status=PostStatus.PUBLISHED) | Q(author_id=user.id))
    return query.filter(status=PostStatus.PUBLISHED)


async def visible_posts(ctx: Context, ids: Sequence[int]) -> list[Post | None]:
    """Posts the caller may see, for node(id), nodes and every post a mutation targets."""
    rows = await ctx.loaders[post_by_id].load_many(ids)
    return [row if row is not None and can_see(ctx, row) else None for row in rows]


async def visible_post_revisions(ctx: Context, ids: Sequence[int]) -> list[PostRevision | None]:
    """Revisions of the posts whose private view the caller has (the author, admins)."""
    rows = await ctx.loaders[post_revision_by_id].load_many(ids)
    posts = await ctx.loaders[post_by_id].load_many([row.post_id for row in rows if row])
    allowed = {post.id for post in posts if post is not None and can_see_private(ctx, post)}
    return [row if row is not None and row.post_id in allowed else None for row in rows]


async def target_post(ctx: Context, post_id: int) -> Post:
    """The post a mutation acts on: one the caller may see, or their own. An app writing its
    owner's drafts (write:content) needs no read:content to find them."""
    post = await ctx.loaders[post_by_id].load(post_id)
    user = ctx.principal.user
    if post is None or not (can_see(ctx, post) or (user is not None and post.author_id == user.id)):
        raise NotFound("Post")
    return post
