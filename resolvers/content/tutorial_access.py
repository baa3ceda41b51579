"""Who sees a tutorial: the rule of posts. PUBLISHED ones are public; drafts and archived ones
are their author's and the admins' alone (apps need read:content for that private view).

Every path (node, nodes, tutorial, tutorials, User.tutorials, attribution, addTutorialToCart)
goes through `visible_tutorials` or `tutorials_visible_to`. One a moderator hid (`hidden_at`,
resolvers/moderation) is its author's and site staff's (moderators, admins) alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from models.content import Tutorial, TutorialStatus
from resolvers.content.loaders import tutorial_by_id
from resolvers.errors import NotFound
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


def _reader(ctx: Context) -> User | None:
    """The user whose non-public view applies (as for posts); apps need read:content."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def _staff(user: User | None) -> bool:
    return user is not None and user.role in (Role.MODERATOR, Role.ADMIN)


def can_see_tutorial(ctx: Context, tutorial: Tutorial) -> bool:
    user = _reader(ctx)
    if tutorial.status is TutorialStatus.PUBLISHED and (tutorial.hidden_at is None or _staff(user)):
        return True
    return user is not None and (tutorial.author_id == user.id or user.role is Role.ADMIN)


def tutorials_visible_to(ctx: Context, query: QuerySet[Tutorial]) -> QuerySet[Tutorial]:
    """Published tutorials, plus every other status for their author and for admins."""
    user = _reader(ctx)
    if user is not None and user.role is Role.ADMIN:
        return query
    shown = Q(status=TutorialStatus.PUBLISHED)
    if not _staff(user):
        shown &= Q(hidden_at__isnull=True)
    if user is not None:
        return query.filter(shown | Q(author_id=user.id))
    return query.filter(shown)


async def visible_tutorials(ctx: Context, ids: Sequence[int]) -> list[Tutorial | None]:
    """Tutorials the caller may see, for node(id), nodes, attribution and the cart."""
    rows = await ctx.loaders[tutorial_by_id].load_many(ids)
    return [row if row is not None and can_see_tutorial(ctx, row) else None for row in rows]


async def target_tutorial(ctx: Context, tutorial_id: int) -> Tutorial:
    """The tutorial a mutation acts on: one the caller may see, or their own (an app writing
    its owner's drafts with write:content needs no read:content to find them)."""
    row = await ctx.loaders[tutorial_by_id].load(tutorial_id)
    user = ctx.principal.user
    mine = row is not None and user is not None and row.author_id == user.id
    if row is None or not (mine or can_see_tutorial(ctx, row)):
        raise NotFound("Tutorial")
    return row
