"""Who moderates what.

Site staff (users with the moderator or admin role) moderate everything. A community's
moderators (its moderators, admins and owner) moderate the posts in it and the comments on
those posts, nothing else: a community itself, reviews and tutorials are for site staff.
Moderating is a person's job: apps may report (write:content) but neither read the queue nor
moderate, whatever their owner's role.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.moderation import ModerationItem
from resolvers.communities import moderated_community_ids
from resolvers.moderation.loaders import item_by_id
from resolvers.moderation.targets import Target

if TYPE_CHECKING:
    from resolvers.context import Context

STAFF = (Role.MODERATOR, Role.ADMIN)


def moderator_in_person(ctx: Context) -> User | None:
    """The signed-in person (no app) whose moderation rights apply."""
    if ctx.principal.is_app:
        return None
    return ctx.principal.user


def is_site_staff(user: User | None) -> bool:
    return user is not None and user.role in STAFF


async def can_moderate(ctx: Context, user: User, target: Target) -> bool:
    if is_site_staff(user):
        return True
    if target.community_id is None:
        return False
    return target.community_id in await moderated_community_ids(ctx, [target.community_id])


async def visible_moderation_items(ctx: Context, ids: Sequence[int]) -> list[ModerationItem | None]:
    """Queue items for node(id) and nodes: staff see all, a community's moderators those in
    their community, nobody else any."""
    user = moderator_in_person(ctx)
    rows = await ctx.loaders[item_by_id].load_many(ids)
    if user is None:
        return [None for _ in rows]
    if is_site_staff(user):
        return list(rows)
    communities = [row.community_id for row in rows if row is not None and row.community_id]
    mine = await moderated_community_ids(ctx, [int(cid) for cid in communities])
    return [row if row is not None and row.community_id in mine else None for row in rows]
