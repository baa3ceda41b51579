"""Creating and editing communities. Anyone signed in creates one (apps: write:content) and
becomes its OWNER; its owner and admins (and platform admins) edit it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.communities import (
    Community,
    CommunityMember,
    CommunityVisibility,
    JoinPolicy,
    MemberRole,
    MemberStatus,
)
from models.media import Media
from resolvers.auth import require_scope
from resolvers.communities.access import RANK, now, rank_of, visible_communities
from resolvers.communities.checks import check_description, check_name, check_rules, check_theme
from resolvers.communities.loaders import community_by_id, community_by_slug, membership_of
from resolvers.content import free_slug, recount_community_topics
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media import check_media_ids
from resolvers.principal import Scope

if TYPE_CHECKING:
    from models.accounts import User
    from resolvers.context import Context


@dataclass(frozen=True, slots=True)
class CommunityChanges:
    """What to change; None leaves a field as it is."""

    name: str | None = None
    theme: str | None = None
    description: str | None = None
    rules: Sequence[str] | None = None
    avatar_media_id: int | None = None
    clear_avatar: bool = False
    join_policy: JoinPolicy | None = None
    visibility: CommunityVisibility | None = None


async def _avatar(ctx: Context, user: User, media_id: int) -> int:
    async def own(found: Media) -> bool:
        return bool(found.owner_id == user.id)

    [checked] = await check_media_ids(
        ctx, [media_id], field="avatarMediaId", maximum=1, may_attach=own
    )
    return checked


async def target_community(ctx: Context, community_id: int) -> Community:
    """A community the caller may see, or NotFound (a private one tells nothing)."""
    [row] = await visible_communities(ctx, [community_id])
    if row is None:
        raise NotFound("Community")
    return row


async def require_rank(ctx: Context, community: Community, role: MemberRole) -> tuple[User, int]:
    """The acting user and their rank, if at least `role` (write:content for apps)."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    row = await ctx.loaders[membership_of].load((user.id, community.id))
    rank = rank_of(user, row, now())
    if rank < RANK[role]:
        raise PermissionDenied(f"Only a community {role.value} or above can do this.")
    return user, rank


async def create_community(ctx: Context, changes: CommunityChanges, name: str) -> Community:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    fields: dict[str, Any] = {
        "name": check_name(name),
        "theme": check_theme(changes.theme or ""),
        "description": check_description(changes.description or ""),
        "rules": check_rules(changes.rules or []),
        "join_policy": changes.join_policy or JoinPolicy.OPEN,
        "visibility": changes.visibility or CommunityVisibility.PUBLIC,
    }
    if changes.avatar_media_id is not None:
        fields["avatar_media_id"] = await _avatar(ctx, user, changes.avatar_media_id)
    for _ in range(3):  # a concurrent community may take the slug between check and insert
        slug = await free_slug(Community, fields["name"], "community")
        try:
            async with in_transaction():
                row = await Community.create(slug=slug, creator_id=user.id, **fields)
                await CommunityMember.create(
                    community_id=row.id,
                    user_id=user.id,
                    role=MemberRole.OWNER,
                    status=MemberStatus.ACTIVE,
                )
            return row
        except IntegrityError:
            continue
    raise InvalidInput("name", "Could not find a free slug for this name; change it a little.")


async def update_community(ctx: Context, community_id: int, changes: CommunityChanges) -> Community:
    community = await target_community(ctx, community_id)
    user, _ = await require_rank(ctx, community, MemberRole.ADMIN)
    update: dict[str, Any] = {}
    if changes.name is not None:
        update["name"] = check_name(changes.name)  # the slug stays: links keep working
    if changes.theme is not None:
        update["theme"] = check_theme(changes.theme)
    if changes.description is not None:
        update["description"] = check_description(changes.description)
    if changes.rules is not None:
        update["rules"] = check_rules(changes.rules)
    if changes.clear_avatar:
        update["avatar_media_id"] = None
    elif changes.avatar_media_id is not None:
        update["avatar_media_id"] = await _avatar(ctx, user, changes.avatar_media_id)
    if changes.join_policy is not None:
        update["join_policy"] = changes.join_policy
    if changes.visibility is not None:
        update["visibility"] = changes.visibility
    if update:
        turned = "visibility" in update and update["visibility"] is not community.visibility
        for name, value in update.items():
            setattr(community, name, value)
        async with in_transaction():
            await community.save(update_fields=[*update, "updated_at"])
            if turned:  # topic counts count only posts everyone may read
                await recount_community_topics(community.id)
        forget(ctx.loaders[community_by_id], community.id)
        forget(ctx.loaders[community_by_slug], community.slug)
    return community
