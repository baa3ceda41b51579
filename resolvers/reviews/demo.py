"""Demo reviews for the delivered lines of the demo orders."""

from __future__ import annotations

from models.accounts import User
from models.catalog import Product
from models.orders import LineStatus, OrderLine
from models.reviews import Review

# This package's own function, from its module (its __init__ imports this one).
from resolvers.reviews.writing import insert_review

PHOTOS = "https://cdn.example/agora-demo"
DEMO_REVIEWS = [  # (rating, title, body, photo URLs)
    (5, "Exactly as described", "Arrived quickly and well packed. Would buy again.", ("box",)),
    (4, "Very good", "Does the job nicely; the only thing missing is a second colour.", ()),
    (5, "Love it", "Using it every day since it came.", ("in-use", "detail")),
    (3, "Fine for the price", "Works, but the finish could be better.", ()),
    (4, "Solid", "Good quality, a little smaller than I expected.", ("size",)),
    (2, "Not for me", "It works, but it did not suit how I use it.", ()),
]
# Left without reviews, so a newcomer signed in as them can write one (README, Reviews).
UNREVIEWED = "shopper_1"


async def seed_reviews_demo() -> None:
    """Reviews for delivered demo order lines; nothing when there are none or reviews exist."""
    if await Review.exists():
        return
    skipped = await User.filter(handle=UNREVIEWED).values_list("id", flat=True)
    lines = (
        await OrderLine.filter(status=LineStatus.DELIVERED)
        .exclude(order__buyer_id__in=list(skipped))
        .select_related("order")
        .order_by("id")
    )
    seen: set[tuple[int, int]] = set()
    for line in lines:
        key = (line.order.buyer_id, line.product_id)
        if key in seen or not await Product.filter(id=line.product_id).exists():
            continue
        seen.add(key)
        rating, title, body, photos = DEMO_REVIEWS[len(seen) % len(DEMO_REVIEWS)]
        urls = [f"{PHOTOS}/{line.product_id}-{name}.jpg" for name in photos]
        await insert_review(
            line.order.buyer_id, line, rating=rating, title=title, body=body, photo_urls=urls
        )
        if len(seen) >= 12:
            return
