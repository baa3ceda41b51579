"""Community moderation: mutes and bans (each with an optional end), pins and announcements.

Moderators and above act on members ranked below them. A mute keeps the member but stops
their posting; a ban ends the membership (and any role) and keeps them out, also from joining
again, until it ends. Neither needs a job to end: every check compares `until` with the time
of the check (access.is_banned, access.is_muted).

Announcements are pins flagged `announcement`: one list of pins, so a post is pinned once,
and `Community.announcements` is that list filtered.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from models.communities import Community, CommunityMember, CommunityPin, MemberRole, MemberStatus
from models.content import PostStatus
from resolvers.communities.access import RANK
from resolvers.communities.checks import check_until
from resolvers.communities.loaders import pins_by_community
from resolvers.communities.managing import require_rank, target_community
from resolvers.communities.membership import changed, row_of, target_user
from resolvers.content import visible_posts
from resolvers.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_PINS = 10


async def _moderated(
    ctx: Context, community_id: int, user_id: int
) -> tuple[Community, CommunityMember | None]:
    """The community and the target's row, if the caller outranks the target."""
    community = await target_community(ctx, community_id)
    actor, rank = await require_rank(ctx, community, MemberRole.MODERATOR)
    if user_id == actor.id:
        raise InvalidInput("userId", "You cannot moderate yourself.")
    row = await row_of(community.id, user_id)
    if row is not None and row.status is MemberStatus.ACTIVE and RANK[row.role] >= rank:
        raise PermissionDenied("You can moderate only members ranked below you.")
    return community, row


async def mute_member(
    ctx: Context, community_id: int, user_id: int, until: datetime | None
) -> CommunityMember:
    ends = check_until(until)
    community, row = await _moderated(ctx, community_id, user_id)
    if row is None or row.status is not MemberStatus.ACTIVE:
        raise NotFound("CommunityMember", "This user is not a member of the community.")
    await CommunityMember.filter(id=row.id).update(muted=True, muted_until=ends)
    changed(ctx, community.id, user_id)
    row.muted, row.muted_until = True, ends
    return row


async def unmute_member(ctx: Context, community_id: int, user_id: int) -> CommunityMember:
    community, row = await _moderated(ctx, community_id, user_id)
    if row is None or row.status is not MemberStatus.ACTIVE:
        raise NotFound("CommunityMember", "This user is not a member of the community.")
    await CommunityMember.filter(id=row.id).update(muted=False, muted_until=None)
    changed(ctx, community.id, user_id)
    row.muted, row.muted_until = False, None
    return row


async def ban_member(
    ctx: Context, community_id: int, user_id: int, until: datetime | None
) -> CommunityMember:
    """Ban a member (or anyone, before they join); banning again moves the end."""
    ends = check_until(until)
    community, row = await _moderated(ctx, community_id, user_id)
    if row is None:
        await target_user(ctx, user_id)
        await CommunityMember.bulk_create(
            [
                CommunityMember(
                    community_id=community.id,
                    user_id=user_id,
                    status=MemberStatus.BANNED,
                    banned_until=ends,
                )
            ],
            ignore_conflicts=True,
        )
    banned = {
        "status": MemberStatus.BANNED,
        "role": MemberRole.MEMBER,
        "banned_until": ends,
        "muted": False,
        "muted_until": None,
    }
    # The owner is never banned: its rank protects it from everyone but itself.
    await (
        CommunityMember.filter(community_id=community.id, user_id=user_id)
        .exclude(role=MemberRole.OWNER)
        .update(**banned)
    )
    changed(ctx, community.id, user_id)
    found = await row_of(community.id, user_id)
    assert found is not None
    return found


async def unban_member(ctx: Context, community_id: int, user_id: int) -> Community:
    """Lift a ban (ran out or not): the user may join again, like anyone."""
    community, row = await _moderated(ctx, community_id, user_id)
    if row is None or row.status is not MemberStatus.BANNED:
        raise NotFound("CommunityBan", "This user is not banned here.")
    await CommunityMember.filter(id=row.id, status=MemberStatus.BANNED).delete()
    changed(ctx, community.id, user_id)
    return community


async def pin_post(
    ctx: Context, community_id: int, post_id: int, *, announcement: bool
) -> Community:
    """Pin a published post of the community (at most 10 pins); pinning again sets the flag."""
    community = await target_community(ctx, community_id)
    actor, _ = await require_rank(ctx, community, MemberRole.MODERATOR)
    [post] = await visible_posts(ctx, [post_id])
    if post is None:
        raise NotFound("Post")
    if post.community_id != community.id or post.status is not PostStatus.PUBLISHED:
        raise InvalidInput("postId", "Only a published post of this community can be pinned.")
    existing = await CommunityPin.filter(community_id=community.id, post_id=post.id).first()
    if existing is not None:
        await CommunityPin.filter(id=existing.id).update(announcement=announcement)
    else:
        if await CommunityPin.filter(community_id=community.id).count() >= MAX_PINS:
            raise Conflict(f"A community has at most {MAX_PINS} pins; unpin one first.")
        await CommunityPin.bulk_create(
            [
                CommunityPin(
                    community_id=community.id,
                    post_id=post.id,
                    announcement=announcement,
                    pinned_by_id=actor.id,
                )
            ],
            ignore_conflicts=True,
        )
    forget(ctx.loaders[pins_by_community], community.id)
    return community


async def unpin_post(ctx: Context, community_id: int, post_id: int) -> Community:
    community = await target_community(ctx, community_id)
    await require_rank(ctx, community, MemberRole.MODERATOR)
    await CommunityPin.filter(community_id=community.id, post_id=post_id).delete()
    forget(ctx.loaders[pins_by_community], community.id)
    return community
