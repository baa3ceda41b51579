"""Review lists: a product's reviews (for Product.reviews) and the moderation queue."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.reviews import ReviewStatus as ReviewStatusModel
from resolvers import reviews
from schema.base import Info
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection
from schema.reviews.types import Review, ReviewSort, ReviewStatus


async def product_reviews(
    product_id: int,
    info: Info,
    *,
    sort: ReviewSort = ReviewSort.HELPFUL,
    with_media: bool | None = None,
    rating: int | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Review]:
    """For Product.reviews: published reviews (plus the viewer's own hidden ones; all for staff)."""
    page = await reviews.list_product_reviews(
        info.context,
        product_id=product_id,
        order=sort.order,
        with_media=with_media,
        rating=rating,
        args=page_args(first, after, last, before),
    )
    return to_connection(page, Review.from_model)


@strawberry.type
class ReviewQuery:
    @strawberry.field(
        description="The moderation queue: reviews that users reported, most reported first. "
        "Moderators and admins only.",
        deprecation_reason="Use `moderationQueue(filter: {targetKinds: [REVIEW]})`: one queue "
        "for every kind of content.",
    )
    async def reported_reviews(
        self,
        info: Info,
        status: Annotated[
            ReviewStatus | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only reported reviews in this status (PUBLISHED or HIDDEN); omit for "
                "both."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Review]:
        page = await reviews.reported_reviews(
            info.context,
            status=ReviewStatusModel(status) if status else None,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Review.from_model)
