"""What review mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from models.reviews import Review as ReviewModel
from schema.base import Info
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from schema.reviews.errors import ReviewNotAllowedError
from schema.reviews.types import Review, visible_product

if TYPE_CHECKING:
    from schema.catalog import Product


@strawberry.type(description="The review as posted; the product's rating summary includes it.")
class CreateReviewSuccess:
    review: Review = strawberry.field(description="The new review.")


@strawberry.type(description="The review after the edit.")
class UpdateReviewSuccess:
    review: Review = strawberry.field(description="The review as it is now.")


@strawberry.type(description="The review is gone and no longer counted.")
class DeleteReviewSuccess:
    deleted_review_id: strawberry.ID = strawberry.field(description="The id it had.")
    row: strawberry.Private[ReviewModel]

    @strawberry.field(description="The product it was about, for its updated rating summary.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        return await visible_product(info, self.row.product_id)


@strawberry.type(description="The review with the merchant's reply.")
class ReplyToReviewSuccess:
    review: Review = strawberry.field(description="The review with the reply in `merchantReply`.")


@strawberry.type(description="Your helpful vote is counted.")
class VoteReviewHelpfulSuccess:
    review: Review = strawberry.field(description="The review with its new `helpfulCount`.")


@strawberry.type(description="Your helpful vote is withdrawn (or there was none).")
class UnvoteReviewHelpfulSuccess:
    review: Review = strawberry.field(description="The review with its new `helpfulCount`.")


@strawberry.type(description="Thank you: moderators will look at the review.")
class ReportReviewSuccess:
    review: Review = strawberry.field(description="The review you reported.")


@strawberry.type(description="The review with its new status; ratings follow it.")
class ModerateReviewSuccess:
    review: Review = strawberry.field(description="The review with its new status.")


CreateReviewPayload = Annotated[
    CreateReviewSuccess | ValidationError | NotFoundError | ConflictError | ReviewNotAllowedError,
    strawberry.union(
        "CreateReviewPayload", description="The new review, or why it could not be written."
    ),
]
UpdateReviewPayload = Annotated[
    UpdateReviewSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "UpdateReviewPayload", description="The edited review, or why it could not be edited."
    ),
]
DeleteReviewPayload = Annotated[
    DeleteReviewSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "DeleteReviewPayload", description="Confirmation of the deletion, or why it was refused."
    ),
]
ReplyToReviewPayload = Annotated[
    ReplyToReviewSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "ReplyToReviewPayload", description="The review with the reply, or why it was refused."
    ),
]
VoteReviewHelpfulPayload = Annotated[
    VoteReviewHelpfulSuccess
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | ConflictError,
    strawberry.union(
        "VoteReviewHelpfulPayload", description="The review with the vote counted, or why not."
    ),
]
UnvoteReviewHelpfulPayload = Annotated[
    UnvoteReviewHelpfulSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "UnvoteReviewHelpfulPayload", description="The review without your vote, or why not."
    ),
]
ReportReviewPayload = Annotated[
    ReportReviewSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union(
        "ReportReviewPayload", description="The reported review, or why the report was refused."
    ),
]
ModerateReviewPayload = Annotated[
    ModerateReviewSuccess | ValidationError | NotFoundError,
    strawberry.union(
        "ModerateReviewPayload", description="The review with its new status, or why not."
    ),
]
