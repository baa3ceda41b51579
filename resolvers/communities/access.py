"""Who sees what in communities, and what a member's role lets them do.

A PUBLIC community and its published posts are everyone's to read. A PRIVATE one is seen only
by its members, those it invited (so they can accept) and platform admins; its posts only by
its members and admins (and each post by its author). Apps need read:content for the view of
their owner's memberships, as for drafts. Every path goes through `visible_communities` /
`communities_visible_to` (communities) and `hidden_post_ids` / `readable_posts_q` (posts: the
content domain's `visible_posts` and `visible_to` call them).

A community site staff hid (`hidden_at`, resolvers/moderation) is seen by site staff
(moderators and admins) alone, and its posts by them and each post's author.

Roles rank OWNER > ADMIN > MODERATOR > MEMBER. Platform admins act as a community ADMIN
everywhere (moderation of last resort); platform moderators have no standing in communities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from models.communities import (
    Community,
    CommunityMember,
    CommunityVisibility,
    MemberRole,
    MemberStatus,
)
from resolvers.communities.loaders import (
    active_now,
    community_by_id,
    membership_by_id,
    membership_of,
)
from resolvers.errors import PermissionDenied
from resolvers.principal import Scope

if TYPE_CHECKING:
    from models.content import Post
    from resolvers.context import Context

RANK = {MemberRole.MEMBER: 1, MemberRole.MODERATOR: 2, MemberRole.ADMIN: 3, MemberRole.OWNER: 4}
NO_RANK = 0


def now() -> datetime:
    return datetime.now(UTC)


def is_active(row: CommunityMember | None, at: datetime) -> bool:
    """A member: ACTIVE. (`at` for symmetry with bans and mutes, which end by the clock.)"""
    return row is not None and row.status is MemberStatus.ACTIVE


def is_banned(row: CommunityMember | None, at: datetime | None = None) -> bool:
    at = at or now()
    return (
        row is not None
        and row.status is MemberStatus.BANNED
        and (row.banned_until is None or row.banned_until > at)
    )


def is_muted(row: CommunityMember | None, at: datetime | None = None) -> bool:
    at = at or now()
    return (
        row is not None
        and is_active(row, at)
        and row.muted
        and (row.muted_until is None or row.muted_until > at)
    )


async def require_voice(user: User, community_id: int | None) -> None:
    """A banned or muted member may not comment or react in the community (its posts stay
    readable to them as to anyone the community lets read)."""
    if community_id is None:
        return
    row = await CommunityMember.get_or_none(community_id=community_id, user_id=user.id)
    if is_banned(row):
        raise PermissionDenied("You are banned from this community.")
    if is_muted(row):
        raise PermissionDenied("You are muted in this community.")


def rank_of(user: User, row: CommunityMember | None, at: datetime) -> int:
    """The standing that decides what `user` may do in a community."""
    own = RANK[row.role] if row is not None and is_active(row, at) else NO_RANK
    staff = RANK[MemberRole.ADMIN] if user.role is Role.ADMIN else NO_RANK
    return max(own, staff)


def reader(ctx: Context) -> User | None:
    """The user whose memberships open private communities; apps need read:content."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def is_site_staff(user: User | None) -> bool:
    return user is not None and user.role in (Role.MODERATOR, Role.ADMIN)


async def moderated_community_ids(ctx: Context, community_ids: Sequence[int]) -> set[int]:
    """Which of these communities the caller moderates (moderator, admin, owner; platform
    admins everywhere), at most one statement for any number."""
    user = reader(ctx)
    if user is None or not community_ids:
        return set()
    ids = sorted(set(community_ids))
    rows = await ctx.loaders[membership_of].load_many([(user.id, cid) for cid in ids])
    at = now()
    return {
        cid
        for cid, row in zip(ids, rows, strict=True)
        if rank_of(user, row, at) >= RANK[MemberRole.MODERATOR]
    }


def moderated_communities_q(user: User) -> Q:
    """The filter form of `moderated_community_ids` on a `community_id` column (the caller's
    own standing; platform admins see every queue anyway)."""
    ranks = (MemberRole.MODERATOR, MemberRole.ADMIN, MemberRole.OWNER)
    mine = CommunityMember.filter(active_now(), user_id=user.id, role__in=ranks)
    return Q(community_id__in=Subquery(mine.values("community_id")))


async def viewer_membership(ctx: Context, community_id: int) -> CommunityMember | None:
    user = ctx.principal.user
    if user is None:
        return None
    return await ctx.loaders[membership_of].load((user.id, community_id))


async def visible_communities(ctx: Context, ids: Sequence[int]) -> list[Community | None]:
    """Communities the caller may see, for node(id), nodes, follows and every mutation."""
    rows = await ctx.loaders[community_by_id].load_many(ids)
    user = reader(ctx)
    if not is_site_staff(user):
        rows = [row if row is not None and row.hidden_at is None else None for row in rows]
    private = [row.id for row in rows if row and row.visibility is CommunityVisibility.PRIVATE]
    if not private or (user is not None and user.role is Role.ADMIN):
        return list(rows)
    allowed: set[int] = set()
    if user is not None:
        at = now()
        mine = await ctx.loaders[membership_of].load_many([(user.id, cid) for cid in private])
        allowed = {
            cid
            for cid, row in zip(private, mine, strict=True)
            if is_active(row, at) or (row is not None and row.status is MemberStatus.INVITED)
        }
    return [
        row
        if row is not None and (row.visibility is CommunityVisibility.PUBLIC or row.id in allowed)
        else None
        for row in rows
    ]


def communities_visible_to(ctx: Context, query: QuerySet[Community]) -> QuerySet[Community]:
    """The listing form of `visible_communities`: one statement, whatever the page size."""
    user = reader(ctx)
    if user is not None and user.role is Role.ADMIN:
        return query
    if not is_site_staff(user):
        query = query.filter(hidden_at__isnull=True)
    public = Q(visibility=CommunityVisibility.PUBLIC)
    if user is None:
        return query.filter(public)
    seen = CommunityMember.filter(
        active_now() | Q(status=MemberStatus.INVITED), user_id=user.id
    ).values("community_id")
    return query.filter(public | Q(id__in=Subquery(seen)))


async def can_read_posts(ctx: Context, community: Community) -> bool:
    """Whether the caller reads the community's posts (and its member list)."""
    if community.visibility is CommunityVisibility.PUBLIC:
        return True
    user = reader(ctx)
    if user is None:
        return False
    if user.role is Role.ADMIN:
        return True
    return is_active(await ctx.loaders[membership_of].load((user.id, community.id)), now())


async def hidden_post_ids(ctx: Context, posts: Sequence[Post]) -> set[int]:
    """The posts of private communities the caller is no member of (their own excepted).
    At most two statements for any number of posts: their communities, the caller's rows."""
    in_communities = [post for post in posts if post.community_id is not None]
    user = reader(ctx)
    if not in_communities or (user is not None and user.role is Role.ADMIN):
        return set()
    ids = sorted({int(post.community_id) for post in in_communities if post.community_id})
    rows = await ctx.loaders[community_by_id].load_many(ids)
    taken_down: set[int] = set()
    if not is_site_staff(user):
        taken_down = {row.id for row in rows if row and row.hidden_at is not None}
    private = {row.id for row in rows if row and row.visibility is CommunityVisibility.PRIVATE}
    private -= taken_down
    if not private and not taken_down:
        return set()
    member_of: set[int] = set()
    if user is not None:
        at = now()
        keys = [(user.id, cid) for cid in sorted(private)]
        mine = await ctx.loaders[membership_of].load_many(keys)
        member_of = {cid for (_, cid), row in zip(keys, mine, strict=True) if is_active(row, at)}
    return {
        post.id
        for post in in_communities
        if (
            (post.community_id in private and post.community_id not in member_of)
            or post.community_id in taken_down
        )
        and not (user is not None and post.author_id == user.id)
    }


def readable_posts_q(ctx: Context) -> Q | None:
    """The filter form of `hidden_post_ids` for listings (None: no filter needed)."""
    user = reader(ctx)
    if user is not None and user.role is Role.ADMIN:
        return None
    closed = Q(visibility=CommunityVisibility.PRIVATE)
    if user is not None:
        mine = CommunityMember.filter(active_now(), user_id=user.id).values("community_id")
        closed &= ~Q(id__in=Subquery(mine))
    if not is_site_staff(user):
        closed |= Q(hidden_at__isnull=False)
    hidden = Community.filter(closed)
    readable = Q(community_id__isnull=True) | ~Q(community_id__in=Subquery(hidden.values("id")))
    return readable | Q(author_id=user.id) if user is not None else readable


async def visible_memberships(ctx: Context, ids: Sequence[int]) -> list[CommunityMember | None]:
    """Membership rows: active members for whoever reads the community's posts; requests,
    invites and bans for the person concerned and the community's moderators."""
    rows = await ctx.loaders[membership_by_id].load_many(ids)
    communities = await visible_communities(ctx, [row.community_id for row in rows if row])
    shown = {c.id: c for c in communities if c is not None}
    user = reader(ctx)
    at = now()
    result: list[CommunityMember | None] = []
    for row in rows:
        community = shown.get(row.community_id) if row is not None else None
        if row is None or community is None:
            result.append(None)
        elif (is_active(row, at) and await can_read_posts(ctx, community)) or (
            user is not None
            and (row.user_id == user.id or await moderates(ctx, user, community.id, at))
        ):
            result.append(row)
        else:
            result.append(None)
    return result


async def moderates(ctx: Context, user: User, community_id: int, at: datetime) -> bool:
    row = await ctx.loaders[membership_of].load((user.id, community_id))
    return rank_of(user, row, at) >= RANK[MemberRole.MODERATOR]
