"""The review mutations: write, edit, delete, reply, vote, report, moderate."""

from __future__ import annotations

import strawberry

from models.reviews import ReviewStatus as ReviewStatusModel
from resolvers import reviews
from schema.base import Info, decode_id
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
from schema.reviews.types import Review, ReviewStatus


def _review_id(value: strawberry.ID) -> int:
    return decode_id(value, "Review", field="reviewId")


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="Review a product you bought and received, once. Apps need write:content."
    )
    async def create_review(
        self,
        info: Info,
        product_id: strawberry.ID,
        rating: int,
        title: str = "",
        body: str = "",
        photo_urls: list[str] | None = None,
    ) -> CreateReviewPayload | None:
        row = await reviews.create_review(
            info.context,
            product_id=decode_id(product_id, "Product", field="productId"),
            rating=rating,
            title=title,
            body=body,
            photo_urls=photo_urls or [],
        )
        return CreateReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(
        description="Edit your review within 30 days of posting; omitted fields stay."
    )
    async def update_review(
        self,
        info: Info,
        review_id: strawberry.ID,
        rating: int | None = None,
        title: str | None = None,
        body: str | None = None,
        photo_urls: list[str] | None = None,
    ) -> UpdateReviewPayload | None:
        row = await reviews.update_review(
            info.context,
            review_id=_review_id(review_id),
            rating=rating,
            title=title,
            body=body,
            photo_urls=photo_urls,
        )
        return UpdateReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Delete a review: its author, a moderator or an admin.")
    async def delete_review(
        self, info: Info, review_id: strawberry.ID
    ) -> DeleteReviewPayload | None:
        row = await reviews.delete_review(info.context, review_id=_review_id(review_id))
        return DeleteReviewSuccess(deleted_review_id=review_id, row=row)

    @strawberry.mutation(
        description="Reply publicly as the product's merchant (owner or staff; apps need "
        "write:commerce). A new reply replaces the last; an empty body removes it."
    )
    async def reply_to_review(
        self, info: Info, review_id: strawberry.ID, body: str
    ) -> ReplyToReviewPayload | None:
        row = await reviews.reply_to_review(
            info.context, review_id=_review_id(review_id), body=body
        )
        return ReplyToReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Mark someone else's review helpful, once.")
    async def vote_review_helpful(
        self, info: Info, review_id: strawberry.ID
    ) -> VoteReviewHelpfulPayload | None:
        row = await reviews.vote_review_helpful(info.context, review_id=_review_id(review_id))
        return VoteReviewHelpfulSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Withdraw your helpful vote.")
    async def unvote_review_helpful(
        self, info: Info, review_id: strawberry.ID
    ) -> UnvoteReviewHelpfulPayload | None:
        row = await reviews.unvote_review_helpful(info.context, review_id=_review_id(review_id))
        return UnvoteReviewHelpfulSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Report someone else's review to moderators, once.")
    async def report_review(
        self, info: Info, review_id: strawberry.ID, reason: str
    ) -> ReportReviewPayload | None:
        row = await reviews.report_review(
            info.context, review_id=_review_id(review_id), reason=reason
        )
        return ReportReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(
        description="Publish or hide a review (moderators and admins, in person). Hidden "
        "reviews leave the product's rating summary; published ones come back."
    )
    async def moderate_review(
        self,
        info: Info,
        review_id: strawberry.ID,
        status: ReviewStatus,  # type: ignore[valid-type]
    ) -> ModerateReviewPayload | None:
        row = await reviews.moderate_review(
            info.context, review_id=_review_id(review_id), status=ReviewStatusModel(status)
        )
        return ModerateReviewSuccess(review=Review.from_model(row))
