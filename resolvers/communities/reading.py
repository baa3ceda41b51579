"""Reading communities: by id or slug, the listing, members, posts and pins; and the posting
check the content domain calls before a post goes into a community."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from models.communities import Community, CommunityMember, CommunityPin, MemberRole, MemberStatus
from models.content import Post, PostStatus
from resolvers.communities.access import (
    can_read_posts,
    communities_visible_to,
    is_active,
    is_banned,
    is_muted,
    moderates,
    now,
    reader,
    visible_communities,
)
from resolvers.communities.loaders import community_by_slug, membership_of, pins_by_community
from resolvers.content import visible_posts
from resolvers.errors import NotFound, PermissionDenied
from resolvers.feeds import trending_feed
from resolvers.pagination import (
    Page,
    PageArgs,
    SortedPage,
    SortKey,
    paginate_query,
    paginate_sorted,
)

if TYPE_CHECKING:
    from models.accounts import User
    from resolvers.context import Context

SLUG_MAX = 100  # models/communities.py Community.slug


class CommunityOrder(StrEnum):
    NEWEST = "newest"
    NAME = "name"


COMMUNITY_SORT = {
    CommunityOrder.NEWEST: SortKey("id"),
    CommunityOrder.NAME: SortKey("slug", descending=False, kind=str),
}


async def community_with_slug(ctx: Context, slug: str) -> Community | None:
    wanted = slug.strip().lower()
    if not wanted or len(wanted) > SLUG_MAX:
        return None
    row = await ctx.loaders[community_by_slug].load(wanted)
    if row is None:
        return None
    [found] = await visible_communities(ctx, [row.id])
    return found


async def list_communities(
    ctx: Context, *, order: CommunityOrder, member_only: bool, args: PageArgs
) -> SortedPage[Community]:
    """Communities the caller may see; `member_only`: those the caller is a member of."""
    query = communities_visible_to(ctx, Community.all())
    if member_only:
        user = reader(ctx)
        mine = user.id if user is not None else 0
        query = query.filter(members__user_id=mine, members__status=MemberStatus.ACTIVE)
    return await paginate_sorted(query, args, COMMUNITY_SORT[order])


async def community_members(
    ctx: Context,
    community: Community,
    *,
    role: MemberRole | None,
    status: MemberStatus,
    args: PageArgs,
) -> Page[CommunityMember] | None:
    """Members (most recent first) for whoever reads the community; requests, invites and
    bans for its moderators only. None when the caller may not see that list."""
    if status is MemberStatus.ACTIVE:
        if not await can_read_posts(ctx, community):
            return None
    else:
        user = reader(ctx)
        if user is None or not await moderates(ctx, user, community.id, now()):
            return None
    query = CommunityMember.filter(community_id=community.id, status=status)
    if role is not None:
        query = query.filter(role=role)
    return await paginate_query(query, args)


async def community_posts(
    ctx: Context, community: Community, args: PageArgs, *, hot: bool = False
) -> Page[Post] | None:
    """The community's published posts, newest first, or HOT (ranked by time-decayed
    engagement, resolvers/feeds/trending.py); None when the caller may not read them."""
    if not await can_read_posts(ctx, community):
        return None
    if hot:
        return await trending_feed(ctx, args, community_id=community.id)
    query = Post.filter(
        community_id=community.id, status=PostStatus.PUBLISHED, hidden_at__isnull=True
    )
    return await paginate_sorted(query, args, SortKey("id"))


async def pinned_posts(
    ctx: Context, community: Community, *, announcements_only: bool
) -> list[tuple[CommunityPin, Post]]:
    """The pins, most recent first, whose post is still published in the community."""
    if not await can_read_posts(ctx, community):
        return []
    pins = await ctx.loaders[pins_by_community].load(community.id)
    if announcements_only:
        pins = [pin for pin in pins if pin.announcement]
    posts = await visible_posts(ctx, [pin.post_id for pin in pins])
    return [
        (pin, post)
        for pin, post in zip(pins, posts, strict=True)
        if post is not None
        and post.community_id == community.id
        and post.status is PostStatus.PUBLISHED
        and post.hidden_at is None
    ]


async def require_posting_rights(ctx: Context, user: User, community_id: int) -> Community:
    """The community a post goes into: the author must be an active member, neither banned
    nor muted now."""
    [community] = await visible_communities(ctx, [community_id])
    if community is None:
        raise NotFound("Community")
    row = await ctx.loaders[membership_of].load((user.id, community.id))
    at = now()
    if is_banned(row, at):
        raise PermissionDenied("You are banned from this community.")
    if not is_active(row, at):
        raise PermissionDenied("Join the community to post in it.")
    if is_muted(row, at):
        raise PermissionDenied("You are muted in this community.")
    return community
