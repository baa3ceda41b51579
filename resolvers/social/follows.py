"""Following users and topics: idempotent follow and unfollow, and the lists either way.

A follow is one row; following twice inserts nothing the second time (the unique (follower,
kind, target) refuses it inside a savepoint, and only a new row records a follow.created
event), and unfollowing what you do not follow deletes nothing, so concurrent repeats answer
the same and never fail. Counts are counted from the rows (loaders.py). Anyone signed in
follows, as themself (apps: write:content).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import User
from models.social import Follow, FollowTargetKind
from resolvers import events
from resolvers.accounts import visible_users
from resolvers.auth import require_scope
from resolvers.content import visible_topics
from resolvers.errors import InvalidInput
from resolvers.feeds import forget_home_feed
from resolvers.loading import forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.principal import Scope
from resolvers.social.access import FollowTarget, Visible, follow_target
from resolvers.social.loaders import follower_count, following_count, viewer_follows

if TYPE_CHECKING:
    from resolvers.context import Context

T = TypeVar("T")


async def _checked(
    ctx: Context, kind: FollowTargetKind, target_id: int
) -> tuple[User, FollowTarget]:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    if kind is FollowTargetKind.USER and target_id == user.id:
        raise InvalidInput("targetId", "You cannot follow yourself.")
    return user, await follow_target(ctx, kind, target_id)


def _forget(ctx: Context, user: User, kind: FollowTargetKind, target_id: int) -> None:
    """The counts and the viewer's flag change: this request's answer must show it."""
    forget(ctx.loaders[follower_count], (kind, target_id))
    forget(ctx.loaders[following_count], user.id)
    forget(ctx.loaders[viewer_follows], (user.id, kind, target_id))


async def follow(ctx: Context, kind: FollowTargetKind, target_id: int) -> FollowTarget:
    """Follow a user or topic you can see; following it again changes nothing."""
    user, target = await _checked(ctx, kind, target_id)
    async with in_transaction():
        try:
            async with in_transaction():  # a savepoint: a repeat's conflict undoes only itself
                await Follow.create(follower_id=user.id, target_kind=kind, target_id=target_id)
        except IntegrityError:
            pass  # followed already: nothing changed, nothing to tell
        else:
            await events.follow_created(user.id, kind, target_id)
    _forget(ctx, user, kind, target_id)
    await forget_home_feed(ctx, user.id)  # rebuilt with the new follow's posts
    return target


async def unfollow(ctx: Context, kind: FollowTargetKind, target_id: int) -> FollowTarget:
    """Stop following; not following it already is no error."""
    user, target = await _checked(ctx, kind, target_id)
    await Follow.filter(follower_id=user.id, target_kind=kind, target_id=target_id).delete()
    _forget(ctx, user, kind, target_id)
    await forget_home_feed(ctx, user.id)  # rebuilt without the unfollowed source's posts
    return target


@dataclass(frozen=True, slots=True)
class FollowPage(Generic[T]):
    """A page of follow rows, and the user or topic at the other end of each: rows whose
    user or topic the caller may not see (a deactivated account, a topic only drafts carry)
    are left out of the page."""

    page: Page[Follow]
    ends: dict[int, T]

    def end(self, row: Follow, *, of_follower: bool) -> T:
        return self.ends[row.follower_id if of_follower else row.target_id]


async def _visible_page(
    ctx: Context, page: Page[Follow], ids: list[int], visible: Visible
) -> FollowPage[Any]:
    rows = await visible(ctx, ids)
    ends = {key: row for key, row in zip(ids, rows, strict=True) if row is not None}
    return FollowPage(page, ends)


async def followers(
    ctx: Context, kind: FollowTargetKind, target_id: int, args: PageArgs
) -> FollowPage[User]:
    """Who follows a user or topic, most recent follow first (two queries a page)."""
    page = await paginate_query(Follow.filter(target_kind=kind, target_id=target_id), args)
    found = await _visible_page(ctx, page, [r.follower_id for r in page.rows], visible_users)
    shown = [r for r in page.rows if r.follower_id in found.ends]
    return FollowPage(replace(page, rows=shown), found.ends)


async def following(
    ctx: Context, user_id: int, kind: FollowTargetKind, args: PageArgs
) -> FollowPage[Any]:
    """The users (or topics) a user follows, most recent first (two queries a page)."""
    page = await paginate_query(Follow.filter(follower_id=user_id, target_kind=kind), args)
    visible = visible_users if kind is FollowTargetKind.USER else visible_topics
    found = await _visible_page(ctx, page, [r.target_id for r in page.rows], visible)
    shown = [r for r in page.rows if r.target_id in found.ends]
    return FollowPage(replace(page, rows=shown), found.ends)
