"""Reviews of bought products: at most one per (product, author), with votes. Reports of
reviews are the moderation domain's (models/moderation.py)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Product
    from models.orders import OrderLine


class ReviewStatus(StrEnum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class Review(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="reviews", on_delete=fields.OnDelete.CASCADE
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reviews", on_delete=fields.OnDelete.CASCADE
    )
    order_line: fields.ForeignKeyNullableRelation[OrderLine] = fields.ForeignKeyField(
        "models.OrderLine", null=True, related_name="reviews", on_delete=fields.OnDelete.SET_NULL
    )
    rating = fields.SmallIntField()
    title = fields.CharField(max_length=120, default="")
    body = fields.TextField(default="")
    photo_urls: list[str] = fields.JSONField(default=list)  # deprecated by media_ids
    # Media row ids in display order (models/media.py); a deleted one is skipped on read.
    media_ids: list[int] = fields.JSONField(default=list)
    has_media = fields.BooleanField(default=False, db_index=True)
    verified_purchase = fields.BooleanField(default=False)
    status = fields.CharEnumField(ReviewStatus, max_length=10, default=ReviewStatus.PUBLISHED)
    helpful_count = fields.IntField(default=0)
    report_count = fields.IntField(default=0)
    merchant_reply = fields.TextField(default="")
    replied_at = fields.DatetimeField(null=True)
    edited_at = fields.DatetimeField(null=True)

    product_id: int
    author_id: int
    order_line_id: int | None

    class Meta:
        table = "reviews"
        unique_together = (("product", "author"),)


class ReviewVote(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    review: fields.ForeignKeyRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="votes", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="review_votes", on_delete=fields.OnDelete.CASCADE
    )

    review_id: int
    user_id: int

    class Meta:
        table = "review_votes"
        unique_together = (("review", "user"),)
