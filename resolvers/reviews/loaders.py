"""The reviews' per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from collections import defaultdict

from models.moderation import Report, ReportTargetKind
from models.reviews import Review, ReviewVote
from resolvers.loading import LoaderSpec, by_id

review_by_id = by_id(Review)


async def _load_reports(review_ids: list[int]) -> list[list[Report]]:
    # Review reports live in the one moderation table (models/moderation.py), newest first.
    rows = await Report.filter(
        target_kind=ReportTargetKind.REVIEW, target_id__in=review_ids
    ).order_by("-id")
    found: defaultdict[int, list[Report]] = defaultdict(list)
    for row in rows:
        found[row.target_id].append(row)
    return [found[key] for key in review_ids]


reports_by_review = LoaderSpec("Review.reports", _load_reports)


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
