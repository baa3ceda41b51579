"""A product's rating counters (atomic UPDATEs), the locked re-read and loader eviction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.expressions import F

from models.catalog import Product
from models.reviews import Review
from resolvers.catalog.loaders import product_by_id
from resolvers.errors import NotFound
from resolvers.loading import forget
from resolvers.reviews.loaders import review_by_id

if TYPE_CHECKING:
    from resolvers.context import Context


def _bucket(rating: int) -> str:
    return f"rating_{rating}"


async def count_rating(product_id: int, rating: int, delta: int) -> None:
    """Add (+1) or remove (-1) one published review of `rating` from the product's summary."""
    await Product.filter(id=product_id).update(
        rating_count=F("rating_count") + delta,
        rating_sum=F("rating_sum") + delta * rating,
        **{_bucket(rating): F(_bucket(rating)) + delta},
    )


async def move_rating(product_id: int, old: int, new: int) -> None:
    """A published review's rating changed from `old` to `new`."""
    if old != new:
        await Product.filter(id=product_id).update(
            rating_sum=F("rating_sum") + (new - old),
            **{_bucket(old): F(_bucket(old)) - 1, _bucket(new): F(_bucket(new)) + 1},
        )


async def locked_review(review_id: int) -> Review:
    """The review re-read under a row lock, inside the caller's transaction."""
    row = await Review.select_for_update().filter(id=review_id).first()
    if row is None:  # deleted meanwhile
        raise NotFound("Review")
    return row


def forget_review(ctx: Context, review: Review) -> None:
    forget(ctx.loaders[review_by_id], review.id)
    forget(ctx.loaders[product_by_id], review.product_id)
