"""Who sees what: follow targets and share targets as their own domains decide, and share links'
numbers only for their sharer and admins.

A follow or share target must be one the caller can see, through the same `visible_<noun>s`
rule as `node(id)`: a draft post, a product not on sale, a deactivated user or a topic only
drafts carry is a NotFound, so the mutations tell nothing `node` would not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.accounts import Role, User
from models.social import FollowTargetKind, ShareLink, ShareTargetKind
from resolvers.accounts import visible_users
from resolvers.catalog import visible_products
from resolvers.communities import visible_communities
from resolvers.content import visible_posts, visible_topics
from resolvers.errors import NotFound
from resolvers.principal import Scope
from resolvers.social.loaders import share_link_by_id

if TYPE_CHECKING:
    from resolvers.context import Context

Visible = Callable[["Context", Sequence[int]], Awaitable[Sequence[Any]]]

_FOLLOW_RULES: dict[FollowTargetKind, tuple[str, Visible]] = {
    FollowTargetKind.USER: ("User", visible_users),
    FollowTargetKind.TOPIC: ("Topic", visible_topics),
    FollowTargetKind.COMMUNITY: ("Community", visible_communities),
}
_SHARE_RULES: dict[ShareTargetKind, tuple[str, Visible]] = {
    ShareTargetKind.POST: ("Post", visible_posts),
    ShareTargetKind.PRODUCT: ("Product", visible_products),
    ShareTargetKind.USER: ("User", visible_users),
    ShareTargetKind.TOPIC: ("Topic", visible_topics),
}


@dataclass(frozen=True, slots=True)
class FollowTarget:
    """A user, topic or community, as its model row."""

    kind: FollowTargetKind
    row: Any


@dataclass(frozen=True, slots=True)
class ShareTarget:
    """A post, product, user or topic (a tutorial next), as its model row."""

    kind: ShareTargetKind
    row: Any


async def follow_target(ctx: Context, kind: FollowTargetKind, target_id: int) -> FollowTarget:
    resource, visible = _FOLLOW_RULES[kind]
    [row] = await visible(ctx, [target_id])
    if row is None or (isinstance(row, User) and not row.is_active):  # staff see those too
        raise NotFound(resource)
    return FollowTarget(kind, row)


async def share_targets(
    ctx: Context, keys: Sequence[tuple[ShareTargetKind, int]]
) -> list[ShareTarget | None]:
    """The targets the caller can see, None for the rest: one batch per kind."""
    found: dict[tuple[ShareTargetKind, int], ShareTarget] = {}
    for kind, (_, visible) in _SHARE_RULES.items():
        ids = [target_id for k, target_id in keys if k is kind]
        if ids:
            rows = await visible(ctx, ids)
            for target_id, row in zip(ids, rows, strict=True):
                usable = row is not None and not (isinstance(row, User) and not row.is_active)
                if usable:
                    found[(kind, target_id)] = ShareTarget(kind, row)
    return [found.get(key) for key in keys]


async def share_target(ctx: Context, kind: ShareTargetKind, target_id: int) -> ShareTarget:
    [target] = await share_targets(ctx, [(kind, target_id)])
    if target is None:
        raise NotFound(_SHARE_RULES[kind][0])
    return target


def _numbers_viewer(ctx: Context) -> User | None:
    """The user whose share links' numbers the caller sees; apps need read:content."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def sees_share_links_of(ctx: Context, sharer_id: int) -> bool:
    user = _numbers_viewer(ctx)
    return user is not None and (user.id == sharer_id or user.role is Role.ADMIN)


async def visible_share_links(ctx: Context, ids: Sequence[int]) -> list[ShareLink | None]:
    """Share links (and their clicks, orders and GMV) for their sharer and admins only."""
    rows = await ctx.loaders[share_link_by_id].load_many(ids)
    return [
        row if row is not None and sees_share_links_of(ctx, row.sharer_id) else None for row in rows
    ]
