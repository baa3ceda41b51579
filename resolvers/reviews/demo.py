"""Demo reviews for the delivered lines of the demo orders."""

from __future__ import annotations

from models.catalog import Product
from models.orders import LineStatus, OrderLine
from models.reviews import Review
from resolvers.reviews.writing import insert_review

DEMO_REVIEWS = [
    (5, "Exactly as described", "Arrived quickly and well packed. Would buy again."),
    (4, "Very good", "Does the job nicely; the only thing missing is a second colour."),
    (5, "Love it", "Using it every day since it came."),
    (3, "Fine for the price", "Works, but the finish could be better."),
    (4, "Solid", "Good quality, a little smaller than I expected."),
    (2, "Not for me", "It works, but it did not suit how I use it."),
]


async def seed_reviews_demo() -> None:
    """Reviews for delivered demo order lines; nothing when there are none or reviews exist."""
    if await Review.exists():
        return
    lines = await OrderLine.filter(status=LineStatus.DELIVERED).select_related("order")
    seen: set[tuple[int, int]] = set()
    for line in lines:
        key = (line.order.buyer_id, line.product_id)
        if key in seen or not await Product.filter(id=line.product_id).exists():
            continue
        seen.add(key)
        rating, title, body = DEMO_REVIEWS[len(seen) % len(DEMO_REVIEWS)]
        await insert_review(line.order.buyer_id, line, rating=rating, title=title, body=body)
        if len(seen) >= 12:
            return
