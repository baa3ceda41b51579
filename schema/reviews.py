"""GraphQL shape of reviews: Review, rating summaries, a product's review list, and mutations.

Product.reviews and Product.ratingSummary live on the Product type (schema/catalog/types.py),
which calls `product_reviews` and `RatingSummary.from_product` from here; this module refers to
Product lazily so that the two modules do not import each other at load time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.catalog import Product as ProductModel
from models.reviews import Review as ReviewModel
from models.reviews import ReviewReport as ReviewReportModel
from models.reviews import ReviewStatus as ReviewStatusModel
from resolvers import reviews
from resolvers.catalog import can_see_product
from schema.accounts import User
from schema.base import Info, decode_id
from schema.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ReviewNotAllowedError,
    ValidationError,
)
from schema.pagination import Connection, page_args, to_connection

if TYPE_CHECKING:
    from schema.catalog import Product

ReviewStatus = strawberry.enum(
    ReviewStatusModel,
    name="ReviewStatus",
    description="PUBLISHED reviews are public and counted in ratings; HIDDEN ones (by a "
    "moderator) are seen only by their author and staff, and not counted.",
)


@strawberry.enum(description="How to order a product's reviews; ties go to the newest.")
class ReviewSort(Enum):
    HELPFUL = "helpful"
    NEWEST = "newest"
    RATING = "rating"

    @property
    def order(self) -> reviews.ReviewOrder:
        return reviews.ReviewOrder(self.value)


@strawberry.type(description="How many published reviews gave one rating.")
class RatingBucket:
    rating: int = strawberry.field(description="1 to 5 stars.")
    count: int = strawberry.field(description="Published reviews with this rating.")


@strawberry.type(description="A product's published reviews in numbers; exact after every change.")
class RatingSummary:
    average: float = strawberry.field(description="Mean rating to 2 decimals; 0 with no reviews.")
    count: int = strawberry.field(description="How many published reviews there are.")
    histogram: list[RatingBucket] = strawberry.field(
        description="One bucket per rating, from 5 stars down to 1."
    )

    @classmethod
    def from_product(cls, row: ProductModel) -> Self:
        buckets = {
            1: row.rating_1,
            2: row.rating_2,
            3: row.rating_3,
            4: row.rating_4,
            5: row.rating_5,
        }
        count = row.rating_count
        return cls(
            average=round(row.rating_sum / count, 2) if count else 0.0,
            count=count,
            histogram=[RatingBucket(rating=n, count=buckets[n]) for n in (5, 4, 3, 2, 1)],
        )


@strawberry.type(name="ReviewReport", description="A user's report of a review, for moderators.")
class ReviewReportInfo:
    reason: str = strawberry.field(description="Why the user reported it, in their words.")
    created_at: datetime = strawberry.field(description="When it was reported.")
    row: strawberry.Private[ReviewReportModel]

    @strawberry.field(description="Who reported it.")
    async def reporter(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.row.reporter_id)
        return User.from_model(row) if row else None


@strawberry.type(
    description="A buyer's review of a product they received: 1-5 stars, plain text, photos."
)
class Review(relay.Node):
    id: relay.NodeID[int]
    rating: int = strawberry.field(description="1 (worst) to 5 (best) stars.")
    title: str = strawberry.field(description="Plain text, one line, at most 120 characters.")
    body: str = strawberry.field(description="Plain text, at most 5000 characters; not HTML.")
    photo_urls: list[str] = strawberry.field(description="Up to 6 https photo URLs.")
    verified_purchase: bool = strawberry.field(
        description="Written by a buyer whose order line of this product was delivered."
    )
    helpful_count: int = strawberry.field(description="How many users found it helpful.")
    replied_at: datetime | None = strawberry.field(description="When the merchant replied.")
    created_at: datetime = strawberry.field(description="When it was posted.")
    edited_at: datetime | None = strawberry.field(description="When the author last edited it.")
    row: strawberry.Private[ReviewModel]

    @classmethod
    def from_model(cls, row: ReviewModel) -> Self:
        return cls(
            id=row.id,
            rating=row.rating,
            title=row.title,
            body=row.body,
            photo_urls=list(row.photo_urls),
            verified_purchase=row.verified_purchase,
            helpful_count=row.helpful_count,
            replied_at=row.replied_at,
            created_at=row.created_at,
            edited_at=row.edited_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await asyncio.gather(
            *(reviews.visible_review(info.context, int(node_id)) for node_id in node_ids)
        )
        return [cls.from_model(row) if row else None for row in rows]

    @strawberry.field(description="The merchant's public reply, or null.")
    def merchant_reply(self) -> str | None:
        return self.row.merchant_reply or None

    @strawberry.field(
        description="PUBLISHED or HIDDEN. Null unless you are the author, a moderator or an "
        "admin (everyone else only ever sees published reviews)."
    )
    def status(self, info: Info) -> ReviewStatus | None:  # type: ignore[valid-type]
        return self.row.status if reviews.can_see_private(info.context, self.row) else None

    @strawberry.field(description="How many users reported it. Null unless you are staff.")
    def report_count(self, info: Info) -> int | None:
        return self.row.report_count if reviews.is_staff(info.context) else None

    @strawberry.field(description="The reports, newest first. Null unless you are staff.")
    async def reports(self, info: Info) -> list[ReviewReportInfo] | None:
        if not reviews.is_staff(info.context):
            return None
        rows = await info.context.loaders.reports_by_review.load(self.row.id)
        return [ReviewReportInfo(reason=r.reason, created_at=r.created_at, row=r) for r in rows]

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info) -> User:
        row = await info.context.loaders.user_by_id.load(self.row.author_id)
        assert row is not None  # author_id is a non-null foreign key
        return User.from_model(row)

    @strawberry.field(description="The product reviewed; null if you may not see it.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        return await _visible_product(info, self.row.product_id)

    @strawberry.field(description="Whether you marked it helpful; false when signed out.")
    async def viewer_has_voted(self, info: Info) -> bool:
        user = info.context.principal.user
        if user is None:
            return False
        return await info.context.loaders.review_votes.load((user.id, self.row.id))


async def _visible_product(
    info: Info, product_id: int
) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
    from schema.catalog import Product

    row = await info.context.loaders.product_by_id.load(product_id)
    if row is None or not await can_see_product(info.context, row):
        return None
    return Product.from_model(row)


async def product_reviews(
    product_id: int,
    info: Info,
    *,
    sort: ReviewSort = ReviewSort.HELPFUL,
    with_media: bool | None = None,
    rating: int | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Review]:
    """For Product.reviews: published reviews (plus the viewer's own hidden ones; all for staff)."""
    page = await reviews.list_product_reviews(
        info.context,
        product_id=product_id,
        order=sort.order,
        with_media=with_media,
        rating=rating,
        args=page_args(first, after, last, before),
    )
    return to_connection(page, Review.from_model)


# ---- mutations ---------------------------------------------------------------------------------


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
        return await _visible_product(info, self.row.product_id)


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


def _review_id(value: strawberry.ID) -> int:
    return decode_id(value, "Review", field="reviewId")


@strawberry.type
class ReviewQuery:
    @strawberry.field(
        description="The moderation queue: reviews that users reported, most reported first. "
        "Moderators and admins only."
    )
    async def reported_reviews(
        self,
        info: Info,
        status: ReviewStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Review]:
        page = await reviews.reported_reviews(
            info.context,
            status=ReviewStatusModel(status) if status else None,
            args=page_args(first, after, last, before),
        )
        return to_connection(page, Review.from_model)


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
