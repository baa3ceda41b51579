"""The review object types and enums: Review, its reports, rating summaries, sort and status.

Review.product refers to Product lazily: schema.catalog imports this package at load time.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from models.catalog import Product as ProductModel
from models.moderation import Report as ReviewReportModel
from models.reviews import Review as ReviewModel
from models.reviews import ReviewStatus as ReviewStatusModel
from resolvers import reviews
from resolvers.catalog import can_see_product
from resolvers.catalog.loaders import product_by_id
from resolvers.reviews.loaders import reports_by_review, review_votes
from schema.accounts import User
from schema.base import Info, describe_values
from schema.media import Media, media_list
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last

if TYPE_CHECKING:
    from schema.catalog import Product
    from schema.comments import Comment, CommentSort
    from schema.content import ProductTag

ReviewStatus = strawberry.enum(
    ReviewStatusModel,
    name="ReviewStatus",
    description="PUBLISHED reviews are public and counted in ratings; HIDDEN ones (by a "
    "moderator) are seen only by their author and staff, and not counted.",
)
describe_values(
    ReviewStatus,
    {
        "PUBLISHED": "Public and counted in the product's rating summary.",
        "HIDDEN": "Hidden by a moderator: seen only by its author and staff, not counted.",
    },
)


@strawberry.enum(description="How to order a product's reviews; ties go to the newest.")
class ReviewSort(Enum):
    HELPFUL = "helpful"
    NEWEST = "newest"
    RATING = "rating"

    @property
    def order(self) -> reviews.ReviewOrder:
        return reviews.ReviewOrder(self.value)


describe_values(
    ReviewSort,
    {
        "HELPFUL": "Most helpful votes first.",
        "NEWEST": "Most recent first.",
        "RATING": "Highest rating first.",
    },
)


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
        return await User.related(info, self.row.reporter_id)


@strawberry.type(
    description="A buyer's review of a product they received: 1-5 stars, plain text, photos."
)
class Review(VisibleNode):
    id: relay.NodeID[int]
    rating: int = strawberry.field(description="1 (worst) to 5 (best) stars.")
    title: str = strawberry.field(description="Plain text, one line, at most 120 characters.")
    body: str = strawberry.field(description="Plain text, at most 5000 characters; not HTML.")
    photo_urls: list[str] = strawberry.field(
        description="Up to 6 https photo URLs.",
        deprecation_reason="Use `media`: uploaded photos with sizes and variants.",
    )
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
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await reviews.visible_reviews(info.context, ids), cls.from_model)

    @strawberry.field(description="Its uploaded photos and videos, in order.")
    async def media(self, info: Info) -> list[Media]:
        return await media_list(info, list(self.row.media_ids))

    @strawberry.field(
        description="Products tagged on its media (`setMediaTags`), each media item's in "
        "order, items in `media` order; group them by `media { id }`."
    )
    async def tags(
        self, info: Info
    ) -> list[Annotated[ProductTag, strawberry.lazy("schema.content")]]:
        from resolvers.content import review_tags
        from schema.content.tags import tag_list

        return tag_list(await review_tags(info.context, self.row))

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
        rows = await info.context.loaders[reports_by_review].load(self.row.id)
        return [ReviewReportInfo(reason=r.reason, created_at=r.created_at, row=r) for r in rows]

    @strawberry.field(description="Who wrote it; null if that account is deactivated.")
    async def author(self, info: Info) -> User | None:
        return await User.related(info, self.row.author_id)

    @strawberry.field(description="The product reviewed; null if you may not see it.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        return await visible_product(info, self.row.product_id)

    @strawberry.field(description="Whether you marked it helpful; false when signed out.")
    async def viewer_has_voted(self, info: Info) -> bool:
        user = info.context.principal.user
        if user is None:
            return False
        return await info.context.loaders[review_votes].load((user.id, self.row.id))

    @strawberry.field(
        description="How many comments it has, replies included and deleted ones not; exact."
    )
    async def comment_count(self, info: Info) -> int:
        from schema.comments import fields  # it imports this module

        return await fields.count(info, fields.REVIEW, self.row.id)

    @strawberry.field(
        description="Its top-level comments, newest first unless `sort` says OLDEST; each "
        "carries its `replies`."
    )
    async def comments(
        self,
        info: Info,
        sort: Annotated[
            Annotated[CommentSort, strawberry.lazy("schema.comments")] | None,  # type: ignore[valid-type]
            strawberry.argument(description="The order; null means NEWEST."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Comment, strawberry.lazy("schema.comments")]]:
        from schema.comments import fields

        paging = (first, after, last, before)
        return await fields.thread(info, fields.REVIEW, self.row.id, sort, paging)


async def visible_product(
    info: Info, product_id: int
) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
    from schema.catalog import Product

    row = await info.context.loaders[product_by_id].load(product_id)
    if row is None or not await can_see_product(info.context, row):
        return None
    return Product.from_model(row)
