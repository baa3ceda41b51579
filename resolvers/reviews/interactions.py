"""What others do with a review: the merchant's reply, helpful votes. (Reports: the moderation
domain, resolvers/moderation.)"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import User
from models.reviews import Review, ReviewVote
from resolvers.auth import require_scope, require_user
from resolvers.catalog import merchant_team_of
from resolvers.catalog.loaders import product_by_id
from resolvers.errors import Conflict, PermissionDenied
from resolvers.loading import forget
from resolvers.principal import Scope
from resolvers.reviews.access import target_review
from resolvers.reviews.checks import REPLY_MAX, check_body
from resolvers.reviews.counters import forget_review
from resolvers.reviews.loaders import review_votes

if TYPE_CHECKING:
    from resolvers.context import Context


async def reply_to_review(ctx: Context, *, review_id: int, body: str) -> Review:
    """The merchant's public answer; a new reply replaces the old one, an empty one removes it."""
    user = require_user(ctx)
    if ctx.principal.is_app:
        require_scope(ctx, Scope.WRITE_COMMERCE)
    review = await target_review(ctx, review_id)
    product = await ctx.loaders[product_by_id].load(review.product_id)
    # The team speaks for the merchant; an admin is not the merchant.
    if product is None or product.merchant_id not in await merchant_team_of(ctx, user):
        raise PermissionDenied("Only the product's merchant (owner or staff) can reply.")
    text = check_body(body, maximum=REPLY_MAX)
    replied_at = datetime.now(UTC) if text else None
    await Review.filter(id=review.id).update(merchant_reply=text, replied_at=replied_at)
    return await _reloaded(ctx, review)


async def _voter(ctx: Context, review_id: int) -> tuple[User, Review]:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    review = await target_review(ctx, review_id)
    if review.author_id == user.id:
        raise PermissionDenied("You cannot vote on or report your own review.")
    return user, review


async def vote_review_helpful(ctx: Context, *, review_id: int) -> Review:
    user, review = await _voter(ctx, review_id)
    try:
        async with in_transaction():
            await ReviewVote.create(review_id=review.id, user_id=user.id)
            await Review.filter(id=review.id).update(helpful_count=F("helpful_count") + 1)
    except IntegrityError:
        raise Conflict("You already found this review helpful.") from None
    return await _reloaded(ctx, review)


async def unvote_review_helpful(ctx: Context, *, review_id: int) -> Review:
    """Take the viewer's helpful vote back; nothing to do when there is none."""
    user, review = await _voter(ctx, review_id)
    async with in_transaction():
        removed = await ReviewVote.filter(review_id=review.id, user_id=user.id).delete()
        if removed:
            await Review.filter(id=review.id).update(helpful_count=F("helpful_count") - removed)
    return await _reloaded(ctx, review)


async def _reloaded(ctx: Context, review: Review) -> Review:
    forget_review(ctx, review)
    if ctx.principal.user is not None:
        forget(ctx.loaders[review_votes], (ctx.principal.user.id, review.id))
    return await Review.get(id=review.id)
