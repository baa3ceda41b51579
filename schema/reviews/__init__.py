"""GraphQL shape of reviews: Review, rating summaries, a product's review list, and mutations.

Product.reviews and Product.ratingSummary live on the Product type (schema/catalog/types.py),
which calls `product_reviews` and `RatingSummary.from_product` from here; this module refers to
Product lazily so that the two modules do not import each other at load time.
"""

from __future__ import annotations

from schema.reviews.mutations import ReviewMutation
from schema.reviews.payloads import (
    CreateReviewPayload,
    CreateReviewSuccess,
    DeleteReviewPayload,
    DeleteReviewSuccess,
    ModerateReviewPayload,
    ModerateReviewSuccess,
    ReplyToReviewPayload,
    ReplyToReviewSuccess,
    ReportReviewPayload,
    ReportReviewSuccess,
    UnvoteReviewHelpfulPayload,
    UnvoteReviewHelpfulSuccess,
    UpdateReviewPayload,
    UpdateReviewSuccess,
    VoteReviewHelpfulPayload,
    VoteReviewHelpfulSuccess,
)
from schema.reviews.queries import ReviewQuery, product_reviews
from schema.reviews.types import (
    RatingBucket,
    RatingSummary,
    Review,
    ReviewReportInfo,
    ReviewSort,
    ReviewStatus,
)

__all__ = [
    "CreateReviewPayload",
    "CreateReviewSuccess",
    "DeleteReviewPayload",
    "DeleteReviewSuccess",
    "ModerateReviewPayload",
    "ModerateReviewSuccess",
    "RatingBucket",
    "RatingSummary",
    "ReplyToReviewPayload",
    "ReplyToReviewSuccess",
    "ReportReviewPayload",
    "ReportReviewSuccess",
    "Review",
    "ReviewMutation",
    "ReviewQuery",
    "ReviewReportInfo",
    "ReviewSort",
    "ReviewStatus",
    "UnvoteReviewHelpfulPayload",
    "UnvoteReviewHelpfulSuccess",
    "UpdateReviewPayload",
    "UpdateReviewSuccess",
    "VoteReviewHelpfulPayload",
    "VoteReviewHelpfulSuccess",
    "product_reviews",
]
