"""Reviews by buyers of delivered order lines: writing, editing, votes, reports, moderation.

A product's rating counters (count, sum, one per star) count published reviews only. Every
review write changes them in the same transaction with atomic UPDATEs (F expressions), and
state changes re-read the review under a row lock, so the counters stay exact under concurrency.
"""

from __future__ import annotations

from resolvers.reviews.access import (
    STAFF_ROLES,
    can_see,
    can_see_private,
    is_staff,
    visible_reviews,
    visible_to,
)
from resolvers.reviews.checks import (
    BODY_MAX,
    MAX_PHOTOS,
    PHOTO_URL_MAX,
    REASON_MAX,
    REPLY_MAX,
    TITLE_MAX,
    check_body,
    check_photo_urls,
    check_rating,
    check_title,
)
from resolvers.reviews.demo import DEMO_REVIEWS, seed_reviews_demo
from resolvers.reviews.errors import ReviewNotAllowed, ReviewNotAllowedReason
from resolvers.reviews.interactions import (
    reply_to_review,
    report_review,
    unvote_review_helpful,
    vote_review_helpful,
)
from resolvers.reviews.reading import (
    SORT_KEYS,
    ReviewOrder,
    list_product_reviews,
    reported_reviews,
    reviews_query,
)
from resolvers.reviews.writing import (
    EDIT_WINDOW,
    create_review,
    delete_review,
    delivered_line,
    insert_review,
    moderate_review,
    update_review,
)

__all__ = [
    "BODY_MAX",
    "DEMO_REVIEWS",
    "EDIT_WINDOW",
    "MAX_PHOTOS",
    "PHOTO_URL_MAX",
    "REASON_MAX",
    "REPLY_MAX",
    "SORT_KEYS",
    "STAFF_ROLES",
    "TITLE_MAX",
    "ReviewNotAllowed",
    "ReviewNotAllowedReason",
    "ReviewOrder",
    "can_see",
    "can_see_private",
    "check_body",
    "check_photo_urls",
    "check_rating",
    "check_title",
    "create_review",
    "delete_review",
    "delivered_line",
    "insert_review",
    "is_staff",
    "list_product_reviews",
    "moderate_review",
    "reply_to_review",
    "report_review",
    "reported_reviews",
    "reviews_query",
    "seed_reviews_demo",
    "unvote_review_helpful",
    "update_review",
    "visible_reviews",
    "visible_to",
    "vote_review_helpful",
]
