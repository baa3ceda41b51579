"""Reviews by buyers of delivered order lines: writing, editing, votes (reports and moderation:
resolvers/moderation).

A product's rating counters (count, sum, one per star) count published reviews only. Every
review write changes them in the same transaction with atomic UPDATEs (F expressions), and
state changes re-read the review under a row lock, so the counters stay exact under concurrency.
"""

from __future__ import annotations

from resolvers.reviews.access import can_see_private, is_staff, visible_reviews
from resolvers.reviews.counters import forget_review
from resolvers.reviews.demo import seed_reviews_demo
from resolvers.reviews.errors import ReviewNotAllowed, ReviewNotAllowedReason
from resolvers.reviews.interactions import (
    reply_to_review,
    unvote_review_helpful,
    vote_review_helpful,
)
from resolvers.reviews.reading import ReviewOrder, list_product_reviews, reported_reviews
from resolvers.reviews.writing import create_review, delete_review, set_review_status, update_review

__all__ = [
    "ReviewNotAllowed",
    "ReviewNotAllowedReason",
    "ReviewOrder",
    "can_see_private",
    "create_review",
    "delete_review",
    "forget_review",
    "is_staff",
    "list_product_reviews",
    "reply_to_review",
    "reported_reviews",
    "seed_reviews_demo",
    "set_review_status",
    "unvote_review_helpful",
    "update_review",
    "visible_reviews",
    "vote_review_helpful",
]
