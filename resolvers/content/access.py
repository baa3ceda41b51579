"""Who sees what: drafts, scheduled and archived posts are their author's and the admins' alone.

A topic no published post carries yet is seen only by the authors of the posts that carry it
and by admins: a draft's hashtag can name what is not announced yet.

Everyone sees PUBLISHED posts. The author and admins see every status; an app needs
read:content for that private view, like reviews. Every path (node, root queries, listings,
topic pages, User.posts, attribution) goes through `visible_posts` or `visible_to`.

A post in a PRIVATE community is seen only by its members (and its author and admins): both
rules ask the communities domain (resolvers/communities/access.py), batched per page.

A post a moderator hid (`hidden_at`, resolvers/moderation) is seen only by its author, site
staff (moderators and admins) and, through node/nodes, the moderators of its community;
listings leave it out for everyone else, and feeds, topic and community pages for everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from models.communities import CommunityMember, MemberStatus
from models.content import Post, PostRevision, PostStatus, Topic
from resolvers.content.loaders import post_by_id, post_revision_by_id, topic_by_id
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


def is_staff_reader(ctx: Context) -> bool:
    """Site moderators and admins: they see what a moderator hid."""
    user = _private_viewer(ctx)
    return user is not None and user.role in (Role.MODERATOR, Role.ADMIN)


def can_see(ctx: Context, post: Post) -> bool:
    if post.status is not PostStatus.PUBLISHED:
        return can_see_private(ctx, post)
    return post.hidden_at is None or can_see_private(ctx, post) or is_staff_reader(ctx)


def in_readable_communities(ctx: Context, query: QuerySet[Post]) -> QuerySet[Post]:
    """Leave out the posts of private communities the caller is no member of."""
    # Imported here: the communities package imports this one.
    from resolvers.communities import readable_posts_q

    readable = readable_posts_q(ctx)
    return query if readable is None else query.filter(readable)


def visible_to(ctx: Context, query: QuerySet[Post]) -> QuerySet[Post]:
    """Published posts, plus every other status for their author and for admins; private
    communities' posts only for their members."""
    user = _private_viewer(ctx)
    if user is not None and user.role is Role.ADMIN:
        return query
    shown = Q(status=PostStatus.PUBLISHED)
    if not is_staff_reader(ctx):
        shown &= Q(hidden_at__isnull=True)
    if user is not None:
        shown |= Q(author_id=user.id)
    return in_readable_communities(ctx, query.filter(shown))


async def readable(ctx: Context, rows: Sequence[Post | None]) -> list[Post | None]:
    """The rows the caller may see (status, moderation and community), None for the rest."""
    from resolvers.communities import hidden_post_ids, moderated_community_ids

    shown = [row for row in rows if row is not None and can_see(ctx, row)]
    # Hidden by a moderator: also for the moderators of its community.
    hidden = [
        row
        for row in rows
        if row is not None
        and row.status is PostStatus.PUBLISHED
        and row.hidden_at is not None
        and row.community_id is not None
        and not can_see(ctx, row)
    ]
    if hidden:
        mine = await moderated_community_ids(ctx, [int(row.community_id or 0) for row in hidden])
        shown += [row for row in hidden if row.community_id in mine]
    allowed = {row.id for row in shown} - await hidden_post_ids(ctx, shown)
    return [row if row is not None and row.id in allowed else None for row in rows]


async def visible_posts(ctx: Context, ids: Sequence[int]) -> list[Post | None]:
    """Posts the caller may see, for node(id), nodes and every post a mutation targets."""
    return await readable(ctx, await ctx.loaders[post_by_id].load_many(ids))


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
    if post is not None and user is not None and post.author_id == user.id:
        return post
    [seen] = await readable(ctx, [post])
    if seen is None:
        raise NotFound("Post")
    return seen


def _topics_of_own_or_member_posts(user: User) -> Q:
    """Topics no public post carries that `user` may still see: those of their own posts and
    of published posts in the communities they are an active member of (private ones: the
    public count leaves those posts out)."""
    communities = CommunityMember.filter(user_id=user.id, status=MemberStatus.ACTIVE)
    return Q(post_topics__post__author_id=user.id) | Q(
        post_topics__post__status=PostStatus.PUBLISHED,
        post_topics__post__community_id__in=Subquery(communities.values("community_id")),
    )


def topics_visible_to(ctx: Context, query: QuerySet[Topic]) -> QuerySet[Topic]:
    """Topics a public published post carries, plus those of the caller's own posts and of
    their communities' posts (admins: all)."""
    user = _private_viewer(ctx)
    if user is not None and user.role is Role.ADMIN:
        return query
    if user is None:
        return query.filter(post_count__gt=0)
    return query.filter(Q(post_count__gt=0) | _topics_of_own_or_member_posts(user)).distinct()


async def can_see_topics(ctx: Context, topics: Sequence[Topic | None]) -> list[Topic | None]:
    """The topics the caller may see, None for the rest; one query at most (for topics no
    public post carries, when the caller is signed in)."""
    unused = [t.id for t in topics if t is not None and t.post_count <= 0]
    user = _private_viewer(ctx)
    if not unused or (user is not None and user.role is Role.ADMIN):
        return list(topics)
    own: set[object] = set()
    if user is not None:
        rows = Topic.filter(_topics_of_own_or_member_posts(user), id__in=unused).distinct()
        own = set(await rows.values_list("id", flat=True))
    return [t if t is not None and (t.post_count > 0 or t.id in own) else None for t in topics]


async def visible_topics(ctx: Context, ids: Sequence[int]) -> list[Topic | None]:
    """Topics the caller may see, for node(id) and nodes."""
    return await can_see_topics(ctx, await ctx.loaders[topic_by_id].load_many(ids))
