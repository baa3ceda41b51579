"""Reading reviews: a product's review list, the moderation queue, the viewer's votes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise.queryset import QuerySet

from models.reviews import Review, ReviewStatus
from resolvers.auth import require_role
from resolvers.errors import InvalidInput
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted
from resolvers.reviews.access import STAFF_ROLES, visible_to

if TYPE_CHECKING:
    from resolvers.context import Context


class ReviewOrder(StrEnum):
    HELPFUL = "helpful"  # most helpful first
    NEWEST = "newest"
    RATING = "rating"  # highest rating first


SORT_KEYS: dict[ReviewOrder, SortKey] = {
    ReviewOrder.HELPFUL: SortKey("helpful_count"),
    ReviewOrder.NEWEST: SortKey("id"),
    ReviewOrder.RATING: SortKey("rating"),
}


def reviews_query(ctx: Context, product_id: int) -> QuerySet[Review]:
    return visible_to(ctx, Review.filter(product_id=product_id))


async def list_product_reviews(
    ctx: Context,
    *,
    product_id: int,
    order: ReviewOrder,
    with_media: bool | None,
    rating: int | None,
    args: PageArgs,
) -> SortedPage[Review]:
    query = reviews_query(ctx, product_id)
    if with_media is not None:
        query = query.filter(has_media=with_media)
    if rating is not None:
        if not 1 <= rating <= 5:
            raise InvalidInput("rating", "`rating` must be from 1 to 5.")
        query = query.filter(rating=rating)
    return await paginate_sorted(query, args, SORT_KEYS[order])


async def reported_reviews(
    ctx: Context, *, status: ReviewStatus | None, args: PageArgs
) -> SortedPage[Review]:
    """The moderation queue: reviews with reports, most reported first."""
    require_role(ctx, *STAFF_ROLES)
    query = Review.filter(report_count__gt=0)
    if status is not None:
        query = query.filter(status=status)
    return await paginate_sorted(query, args, SortKey("report_count"))
