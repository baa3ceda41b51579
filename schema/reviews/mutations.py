"""The review mutations: write, edit, delete, reply, vote, report, moderate."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.moderation import ModerationActionKind, ReportTargetKind
from models.reviews import ReviewStatus as ReviewStatusModel
from resolvers import moderation, reviews
from resolvers.errors import Conflict
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


def _media_ids(values: list[strawberry.ID]) -> list[int]:
    return [decode_id(value, "Media", field="mediaIds") for value in values]


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="Review a product you bought and received, once. Apps need write:content."
    )
    async def create_review(
        self,
        info: Info,
        product_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The product you received (a Product id)."),
        ],
        rating: Annotated[
            int,
            strawberry.argument(description="Stars, a whole number from 1 (worst) to 5 (best)."),
        ],
        title: Annotated[
            str,
            strawberry.argument(
                description="A one-line plain-text summary, at most 120 characters."
            ),
        ] = "",
        body: Annotated[
            str,
            strawberry.argument(description="Plain text (not HTML), at most 5000 characters."),
        ] = "",
        photo_urls: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Up to 6 https photo URLs.",
                deprecation_reason="Upload photos (requestUpload) and pass `mediaIds`.",
            ),
        ] = None,
        media_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Up to 6 READY media you uploaded (Media ids), in display order."
            ),
        ] = None,
    ) -> CreateReviewPayload | None:
        row = await reviews.create_review(
            info.context,
            product_id=decode_id(product_id, "Product", field="productId"),
            rating=rating,
            title=title,
            body=body,
            photo_urls=photo_urls or [],
            media_ids=_media_ids(media_ids or []),
        )
        return CreateReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(
        description="Edit your review within 30 days of posting; omitted fields stay."
    )
    async def update_review(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The review (a Review id) you wrote, within 30 days of posting."
            ),
        ],
        rating: Annotated[int | None, strawberry.argument(description="New stars, 1 to 5.")] = None,
        title: Annotated[
            str | None,
            strawberry.argument(description="A new title, at most 120 characters."),
        ] = None,
        body: Annotated[
            str | None,
            strawberry.argument(description="A new plain-text body, at most 5000 characters."),
        ] = None,
        photo_urls: Annotated[
            list[str] | None,
            strawberry.argument(
                description="The new full list of photos (up to 6 https URLs), replacing the old "
                "one.",
                deprecation_reason="Upload photos (requestUpload) and pass `mediaIds`.",
            ),
        ] = None,
        media_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="The new full list of media (up to 6 READY media you uploaded), "
                "replacing the old one."
            ),
        ] = None,
    ) -> UpdateReviewPayload | None:
        row = await reviews.update_review(
            info.context,
            review_id=_review_id(review_id),
            rating=rating,
            title=title,
            body=body,
            photo_urls=photo_urls,
            media_ids=_media_ids(media_ids) if media_ids is not None else None,
        )
        return UpdateReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Delete a review: its author, a moderator or an admin.")
    async def delete_review(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The review (a Review id) to delete."),
        ],
    ) -> DeleteReviewPayload | None:
        row = await reviews.delete_review(info.context, review_id=_review_id(review_id))
        return DeleteReviewSuccess(deleted_review_id=review_id, row=row)

    @strawberry.mutation(
        description="Reply publicly as the product's merchant (owner or staff; apps need "
        "write:commerce). A new reply replaces the last; an empty body removes it."
    )
    async def reply_to_review(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The review (a Review id) of one of your merchant's products."
            ),
        ],
        body: Annotated[
            str,
            strawberry.argument(
                description="The reply, plain text, at most 2000 characters; empty removes the "
                "reply."
            ),
        ],
    ) -> ReplyToReviewPayload | None:
        row = await reviews.reply_to_review(
            info.context, review_id=_review_id(review_id), body=body
        )
        return ReplyToReviewSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Mark someone else's review helpful, once.")
    async def vote_review_helpful(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The review (a Review id); not your own."),
        ],
    ) -> VoteReviewHelpfulPayload | None:
        row = await reviews.vote_review_helpful(info.context, review_id=_review_id(review_id))
        return VoteReviewHelpfulSuccess(review=Review.from_model(row))

    @strawberry.mutation(description="Withdraw your helpful vote.")
    async def unvote_review_helpful(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The review (a Review id) you voted helpful."),
        ],
    ) -> UnvoteReviewHelpfulPayload | None:
        row = await reviews.unvote_review_helpful(info.context, review_id=_review_id(review_id))
        return UnvoteReviewHelpfulSuccess(review=Review.from_model(row))

    @strawberry.mutation(
        description="Report someone else's review to moderators, once.",
        deprecation_reason="Use `report(targetId:, reason:)`, which reports any kind of "
        "content into the same queue.",
    )
    async def report_review(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The review (a Review id); not your own."),
        ],
        reason: Annotated[
            str,
            strawberry.argument(
                description="Why it breaks the rules, 1-500 characters; moderators read it."
            ),
        ],
    ) -> ReportReviewPayload | None:
        pk = _review_id(review_id)
        try:
            await moderation.report(info.context, ReportTargetKind.REVIEW, pk, reason)
        except moderation.AlreadyReported:
            # This field always said ConflictError; `report` says ValidationError.
            raise Conflict("You already reported this review.") from None
        [review] = await moderation.load_targets(info.context, [(ReportTargetKind.REVIEW, pk)])
        assert review is not None  # reported just now, so visible
        return ReportReviewSuccess(review=Review.from_model(review.row))

    @strawberry.mutation(
        description="Publish or hide a review (moderators and admins, in person). Hidden "
        "reviews leave the product's rating summary; published ones come back.",
        deprecation_reason="Use `moderate(targetId:, action: HIDE | RESTORE)`, one flow for "
        "every kind of content, which also closes the review's reports and logs the action.",
    )
    async def moderate_review(
        self,
        info: Info,
        review_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The review (a Review id) to publish or hide."),
        ],
        status: Annotated[
            ReviewStatus,  # type: ignore[valid-type]
            strawberry.argument(
                description="PUBLISHED shows it and counts it in ratings; HIDDEN does neither."
            ),
        ],
    ) -> ModerateReviewPayload | None:
        hide = ReviewStatusModel(status) is ReviewStatusModel.HIDDEN
        target, _ = await moderation.moderate(
            info.context,
            ReportTargetKind.REVIEW,
            _review_id(review_id),
            ModerationActionKind.HIDE if hide else ModerationActionKind.RESTORE,
            None,
        )
        return ModerateReviewSuccess(review=Review.from_model(target.row))
