"""Joining and leaving, join requests, invites and roles.

Every change is one conditional statement on the (community, user) row: an insert that does
nothing on conflict, or an UPDATE/DELETE whose WHERE names the status it expects. So concurrent
joins, leaves, approvals and invites never fail and never count twice: the member count is
counted from the rows (loaders.py).

Invites and approvals record their event (community.invited, community.member_approved) in
the transaction of the change, only when the statement changed a row: inviting twice, or two
moderators approving one request at once, tells the user once.

The owner cannot leave: they first hand the community over (setMemberRole to OWNER, which
makes them an ADMIN), so a community always has exactly one owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.communities import Community, CommunityMember, JoinPolicy, MemberRole, MemberStatus
from resolvers import events
from resolvers.accounts import visible_users
from resolvers.auth import require_scope
from resolvers.communities.access import RANK, is_banned, now
from resolvers.communities.loaders import member_count, membership_of
from resolvers.communities.managing import require_rank, target_community
from resolvers.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.principal import Scope

if TYPE_CHECKING:
    from models.accounts import User
    from resolvers.context import Context


def changed(ctx: Context, community_id: int, *user_ids: int) -> None:
    """Counts and memberships changed: this request's answer must show it."""
    forget(ctx.loaders[member_count], community_id)
    for user_id in user_ids:
        forget(ctx.loaders[membership_of], (user_id, community_id))


async def row_of(community_id: int, user_id: int) -> CommunityMember | None:
    return await CommunityMember.filter(community_id=community_id, user_id=user_id).first()


def _ban_message(row: CommunityMember) -> str:
    until = f" until {row.banned_until.isoformat()}" if row.banned_until else ""
    return f"You are banned from this community{until}."


async def join_community(ctx: Context, community_id: int) -> Community:
    """OPEN: a member at once; APPROVAL: a join request; INVITE: only with an invite (an
    invite admits under every policy). Joining again changes nothing."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    community = await target_community(ctx, community_id)
    row = await row_of(community.id, user.id)
    if is_banned(row, now()):
        assert row is not None
        raise PermissionDenied(_ban_message(row))
    admitted = community.join_policy is JoinPolicy.OPEN
    if row is None or row.status is MemberStatus.BANNED:  # no row, or a ban that ran out
        if community.join_policy is JoinPolicy.INVITE:
            raise PermissionDenied("This community is by invitation only.")
        status = MemberStatus.ACTIVE if admitted else MemberStatus.PENDING
        if row is None:
            await CommunityMember.bulk_create(
                [CommunityMember(community_id=community.id, user_id=user.id, status=status)],
                ignore_conflicts=True,
            )
        else:
            await CommunityMember.filter(id=row.id, status=MemberStatus.BANNED).update(
                status=status, role=MemberRole.MEMBER, banned_until=None
            )
    elif row.status is MemberStatus.INVITED or (row.status is MemberStatus.PENDING and admitted):
        await CommunityMember.filter(id=row.id, status=row.status).update(
            status=MemberStatus.ACTIVE
        )
    changed(ctx, community.id, user.id)
    return community


async def leave_community(ctx: Context, community_id: int) -> Community:
    """Leave, withdraw a join request or decline an invite; not being in it is no error."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    community = await target_community(ctx, community_id)
    row = await row_of(community.id, user.id)
    if row is None:
        return community
    if row.status is MemberStatus.BANNED:
        if is_banned(row, now()):
            raise PermissionDenied("A ban cannot be left; it ends at its `until` or by unban.")
        return community  # a ban that ran out: already not a member
    if row.role is MemberRole.OWNER:
        raise Conflict(
            "The owner cannot leave: first make another member OWNER with setMemberRole."
        )
    await (
        CommunityMember.filter(id=row.id)
        .exclude(role=MemberRole.OWNER)
        .exclude(status=MemberStatus.BANNED)
        .delete()
    )
    changed(ctx, community.id, user.id)
    return community


async def target_user(ctx: Context, user_id: int) -> User:
    [found] = await visible_users(ctx, [user_id])
    if found is None or not found.is_active:
        raise NotFound("User")
    return found


async def approve_join_request(ctx: Context, community_id: int, user_id: int) -> Community:
    community = await target_community(ctx, community_id)
    actor, _ = await require_rank(ctx, community, MemberRole.MODERATOR)
    async with in_transaction():
        done = await CommunityMember.filter(
            community_id=community.id, user_id=user_id, status=MemberStatus.PENDING
        ).update(status=MemberStatus.ACTIVE)
        if done:
            await events.community_member_approved(community, user_id, actor.id)
    if not done:
        raise NotFound("JoinRequest", "This user has no pending request to join.")
    changed(ctx, community.id, user_id)
    return community


async def reject_join_request(ctx: Context, community_id: int, user_id: int) -> Community:
    community = await target_community(ctx, community_id)
    await require_rank(ctx, community, MemberRole.MODERATOR)
    done = await CommunityMember.filter(
        community_id=community.id, user_id=user_id, status=MemberStatus.PENDING
    ).delete()
    if not done:
        raise NotFound("JoinRequest", "This user has no pending request to join.")
    changed(ctx, community.id, user_id)
    return community


async def invite_to_community(ctx: Context, community_id: int, user_id: int) -> Community:
    """Invite a user (a pending request is approved instead); inviting twice is no error."""
    community = await target_community(ctx, community_id)
    actor, _ = await require_rank(ctx, community, MemberRole.MODERATOR)
    invitee = await target_user(ctx, user_id)
    row = await row_of(community.id, invitee.id)
    if row is not None and row.status is MemberStatus.ACTIVE:
        raise Conflict("This user is a member already.", field="userId")
    if is_banned(row, now()):
        raise Conflict("This user is banned here; unban them first.", field="userId")
    async with in_transaction():
        if row is None:
            invited = await _insert_invite(community.id, invitee.id, actor.id)
        elif row.status is MemberStatus.PENDING:  # they asked already: approved instead
            approved = await CommunityMember.filter(id=row.id, status=MemberStatus.PENDING).update(
                status=MemberStatus.ACTIVE
            )
            if approved:
                await events.community_member_approved(community, invitee.id, actor.id)
            invited = False
        elif row.status is MemberStatus.BANNED:  # a ban that ran out
            invited = bool(
                await CommunityMember.filter(id=row.id, status=MemberStatus.BANNED).update(
                    status=MemberStatus.INVITED,
                    role=MemberRole.MEMBER,
                    banned_until=None,
                    invited_by_id=actor.id,
                )
            )
        else:  # invited already: nothing new to tell
            invited = False
        if invited:
            await events.community_invited(community, invitee.id, actor.id)
    changed(ctx, community.id, invitee.id)
    return community


async def _insert_invite(community_id: int, user_id: int, inviter_id: int) -> bool:
    """Insert the invite; False when a concurrent join, request or invite got there first."""
    try:
        # A savepoint: the unique (user, community) violation leaves the outer one usable.
        async with in_transaction():
            await CommunityMember.create(
                community_id=community_id,
                user_id=user_id,
                status=MemberStatus.INVITED,
                invited_by_id=inviter_id,
            )
    except IntegrityError:
        return False
    return True


async def set_member_role(
    ctx: Context, community_id: int, user_id: int, role: MemberRole
) -> CommunityMember:
    """Owners and admins change the roles of members below them, up to their own role; the
    owner gives OWNER away (and becomes an ADMIN)."""
    community = await target_community(ctx, community_id)
    actor, rank = await require_rank(ctx, community, MemberRole.ADMIN)
    if user_id == actor.id:
        raise InvalidInput("userId", "You cannot change your own role.")
    row = await row_of(community.id, user_id)
    if row is None or row.status is not MemberStatus.ACTIVE:
        raise NotFound("CommunityMember", "This user is not a member of the community.")
    if RANK[row.role] >= rank:
        raise PermissionDenied("You can change only the roles of members below you.")
    if role is MemberRole.OWNER:
        actor_row = await row_of(community.id, actor.id)
        if actor_row is None or actor_row.role is not MemberRole.OWNER:
            raise PermissionDenied("Only the owner can hand the community over.")
        async with in_transaction():
            await CommunityMember.filter(id=actor_row.id).update(role=MemberRole.ADMIN)
            await CommunityMember.filter(id=row.id).update(role=MemberRole.OWNER)
        changed(ctx, community.id, actor.id)
    elif RANK[role] > rank:
        raise PermissionDenied("You cannot give a role above your own.")
    else:
        await CommunityMember.filter(id=row.id, status=MemberStatus.ACTIVE).update(role=role)
    changed(ctx, community.id, user_id)
    row.role = role
    return row
