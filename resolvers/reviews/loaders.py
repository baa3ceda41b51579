"""The reviews' per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from models.reviews import Review, ReviewReport, ReviewVote
from resolvers.loading import LoaderSpec, by_id, grouped

review_by_id = by_id(Review)
reports_by_review = grouped(ReviewReport, "review_id", order_by=("-id",))


async def _load_votes(keys: list[tuple[int, int]]) -> list[bool]:
    users = {user_id for user_id, _ in keys}
    reviews = {review_id for _, review_id in keys}
    rows = await ReviewVote.filter(user_id__in=users, review_id__in=reviews).values_list(
        "user_id", "review_id"
    )
    voted = {(int(user_id), int(review_id)) for user_id, review_id in rows}
    return [key in voted for key in keys]


# (user id, review id): has that user voted the review helpful?
review_votes = LoaderSpec("review_votes", _load_votes)
