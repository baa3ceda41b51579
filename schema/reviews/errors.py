"""Why a review cannot be written, as a typed error."""

from __future__ import annotations

import strawberry

from resolvers.reviews import ReviewNotAllowed, ReviewNotAllowedReason
from schema.base import describe_values
from schema.errors import Error, maps

ReviewNotAllowedReasonType = strawberry.enum(
    ReviewNotAllowedReason,
    name="ReviewNotAllowedReason",
    description="Why a review cannot be written: NOT_PURCHASED (no order of the product) or "
    "NOT_DELIVERED (ordered, not yet delivered).",
)
describe_values(
    ReviewNotAllowedReasonType,
    {
        "NOT_PURCHASED": "You have no order of this product.",
        "NOT_DELIVERED": "You ordered it, but no line of it has been delivered yet.",
    },
)


@strawberry.type(description="Only buyers whose order of the product was delivered may review it.")
class ReviewNotAllowedError(Error):
    reason: ReviewNotAllowedReasonType = strawberry.field(  # type: ignore[valid-type]
        description="Why not (yet)."
    )


ERROR_MAPPINGS = [
    maps(
        ReviewNotAllowed,
        ReviewNotAllowedError,
        lambda e: ReviewNotAllowedError(message=e.message, reason=e.reason),
    ),
]
