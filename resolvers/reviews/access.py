"""Who sees and does what: hidden reviews, staff, and the merchant team that replies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from models.reviews import Review, ReviewStatus
from resolvers.errors import NotFound
from resolvers.principal import Scope
from resolvers.reviews.loaders import review_by_id

if TYPE_CHECKING:
    from resolvers.context import Context

STAFF_ROLES = (Role.ADMIN, Role.MODERATOR)


def _private_viewer(ctx: Context) -> User | None:
    """The user whose non-public view applies; apps need read:content for it."""
    user = ctx.principal.user
    if user is None or (ctx.principal.is_app and Scope.READ_CONTENT not in ctx.principal.scopes):
        return None
    return user


def is_staff(ctx: Context) -> bool:
    user = _private_viewer(ctx)
    return user is not None and user.role in STAFF_ROLES


def can_see_private(ctx: Context, review: Review) -> bool:
    """Status, reports: the author, moderators and admins."""
    user = _private_viewer(ctx)
    return user is not None and (review.author_id == user.id or user.role in STAFF_ROLES)


def can_see(ctx: Context, review: Review) -> bool:
    return review.status is ReviewStatus.PUBLISHED or can_see_private(ctx, review)


def visible_to(ctx: Context, query: QuerySet[Review]) -> QuerySet[Review]:
    """Published reviews, plus hidden ones for their author and for staff."""
    user = _private_viewer(ctx)
    if user is not None and user.role in STAFF_ROLES:
        return query
    if user is not None:
        return query.filter(Q(status=ReviewStatus.PUBLISHED) | Q(author_id=user.id))
    return query.filter(status=ReviewStatus.PUBLISHED)


async def visible_reviews(ctx: Context, ids: Sequence[int]) -> list[Review | None]:
    """Reviews the caller may see, for node(id), nodes and every review a mutation targets."""
    rows = await ctx.loaders[review_by_id].load_many(ids)
    return [row if row is not None and can_see(ctx, row) else None for row in rows]


async def target_review(ctx: Context, review_id: int) -> Review:
    [review] = await visible_reviews(ctx, [review_id])
    if review is None:
        raise NotFound("Review")
    return review
