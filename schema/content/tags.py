"""Shoppable tags in GraphQL: the ProductTag type and the input that sets them.

A tag belongs to a media item *as shown in one post or review*, so it is read from there
(`Post.tags`, `Review.tags`), not from `Media`: a Media is one normalised object in a client
cache (Apollo, Relay) and may be shown in several places with different tags.
"""

from __future__ import annotations

from typing import Self

import strawberry

from models.content import ShoppableTag
from resolvers import content
from resolvers.errors import NotFound
from resolvers.media.loaders import media_by_id
from schema.base import Info, decode_id
from schema.catalog.types import Product, Variant
from schema.media import Media


@strawberry.type(
    description="A product (or one of its variants) tagged on a media item of a post or "
    "review: at a point of an image (`x`, `y`) or a moment of a video (`atSeconds`). Its "
    "product and variant are live: today's price and stock."
)
class ProductTag:
    x: float | None = strawberry.field(
        description="Images: across, 0 (left edge) to 1 (right edge); null for videos."
    )
    y: float | None = strawberry.field(
        description="Images: down, 0 (top edge) to 1 (bottom edge); null for videos."
    )
    at_seconds: float | None = strawberry.field(
        description="Videos: the moment, in seconds from the start; null for images."
    )
    position: int = strawberry.field(description="Its place among the media item's tags, from 0.")
    row: strawberry.Private[ShoppableTag]

    @classmethod
    def from_model(cls, row: ShoppableTag) -> Self:
        return cls(x=row.x, y=row.y, at_seconds=row.at_seconds, position=row.position, row=row)

    @strawberry.field(
        description="The tagged product; null when you may not see it any more (archived or "
        "back to draft; its merchant still sees it). The tag itself stays."
    )
    async def product(self, info: Info) -> Product | None:
        return await Product.load_one(info, self.row.product_id)

    @strawberry.field(
        description="The tagged variant, when the tag names one; null otherwise or when you "
        "may not see its product."
    )
    async def variant(self, info: Info) -> Variant | None:
        if self.row.variant_id is None:
            return None
        return await Variant.load_one(info, self.row.variant_id)

    @strawberry.field(description="The media item the tag sits on.")
    async def media(self, info: Info) -> Media:
        row = await info.context.loaders[media_by_id].load(self.row.media_id)
        if row is None:  # deleted since the tags were read (deleting media deletes its tags)
            raise NotFound("Media")
        return Media.from_model(row)


@strawberry.input(
    description="One tag: a product, optionally one variant, and where: a point of an image "
    "(`x` and `y`) or a moment of a video (`atSeconds`), exactly one of the two as the media "
    "item's kind says."
)
class ProductTagInput:
    product_id: strawberry.ID = strawberry.field(
        description="The product (a Product id); it must be ACTIVE."
    )
    variant_id: strawberry.ID | None = strawberry.field(
        default=None, description="One variant of that product (a Variant id), if the tag is one."
    )
    x: float | None = strawberry.field(
        default=None, description="Images: across, 0 (left edge) to 1 (right edge)."
    )
    y: float | None = strawberry.field(
        default=None, description="Images: down, 0 (top edge) to 1 (bottom edge)."
    )
    at_seconds: float | None = strawberry.field(
        default=None, description="Videos: seconds from the start, at least 0."
    )

    def spec(self, n: int) -> content.TagSpec:
        field = f"tags.{n}"
        return content.TagSpec(
            product_id=decode_id(self.product_id, "Product", field=f"{field}.productId"),
            variant_id=(
                decode_id(self.variant_id, "Variant", field=f"{field}.variantId")
                if self.variant_id is not None
                else None
            ),
            x=self.x,
            y=self.y,
            at_seconds=self.at_seconds,
        )


def tag_list(rows: list[ShoppableTag]) -> list[ProductTag]:
    return [ProductTag.from_model(row) for row in rows]
