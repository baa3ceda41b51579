"""Reading shoppable tags: a post's, review's or tutorial's tags in display order, the
products they name, and whether any of those is unavailable.

Everything goes through the per-request loaders, so a page of posts costs the same few
statements for its tags, their products and variants whatever the number of posts or tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from tortoise.expressions import Subquery

from models.catalog import ProductStatus
from models.content import Post, ShoppableTag, TagTarget, Tutorial, TutorialStep
from models.reviews import Review
from resolvers.catalog.loaders import product_by_id, variant_by_id
from resolvers.content.loaders import (
    parts_by_tutorial,
    steps_by_tutorial,
    tags_by_post,
    tags_by_review,
    tags_by_tutorial,
)
from resolvers.content.tutorial_checks import ProductRef
from resolvers.content.writing import attached_ids

if TYPE_CHECKING:
    from resolvers.context import Context


def _in_display_order(rows: Sequence[ShoppableTag], media_ids: Sequence[int]) -> list[ShoppableTag]:
    """Tags grouped by media in the order the media are shown, each media's in its order;
    tags of media no longer shown (a deleted upload) are left out."""
    order = {media_id: n for n, media_id in enumerate(media_ids)}
    shown = [row for row in rows if row.media_id in order]
    return sorted(shown, key=lambda row: (order[row.media_id], row.position, row.id))


async def post_tags(ctx: Context, post: Post) -> list[ShoppableTag]:
    return _in_display_order(await ctx.loaders[tags_by_post].load(post.id), attached_ids(post))


async def review_tags(ctx: Context, review: Review) -> list[ShoppableTag]:
    rows = await ctx.loaders[tags_by_review].load(review.id)
    return _in_display_order(rows, review.media_ids)


async def step_tags(ctx: Context, step: TutorialStep) -> list[ShoppableTag]:
    """The tags on the media one step shows (the same media in two steps: the same tags)."""
    return _in_display_order(
        await ctx.loaders[tags_by_tutorial].load(step.tutorial_id), step.media_ids
    )


async def _tags_and_steps(
    ctx: Context, tutorial_id: int
) -> tuple[list[ShoppableTag], list[TutorialStep]]:
    # Not gathered: each load joins the page's batch before either runs, so a page of
    # tutorials costs one statement for all tags and one for all steps either way.
    tags = ctx.loaders[tags_by_tutorial].load(tutorial_id)
    steps = ctx.loaders[steps_by_tutorial].load(tutorial_id)
    return await tags, await steps


async def tutorial_refs(ctx: Context, tutorial: Tutorial) -> list[ProductRef]:
    """Every product (variant) a tutorial uses: its parts list, then each step's products,
    then its tags."""
    pending_parts = ctx.loaders[parts_by_tutorial].load(tutorial.id)
    tags, steps = await _tags_and_steps(ctx, tutorial.id)
    parts = await pending_parts
    refs = [ProductRef(part.product_id, part.variant_id) for part in parts]
    refs += [
        ProductRef(int(ref["product"] or 0), ref.get("variant"))
        for step in steps
        for ref in step.products
    ]
    media = [media_id for step in steps for media_id in step.media_ids]
    refs += [ProductRef(tag.product_id, tag.variant_id) for tag in _in_display_order(tags, media)]
    return refs


class Ref(Protocol):
    """A product, optionally one of its variants: a tag, a part, a step's product."""

    @property
    def product_id(self) -> int: ...

    @property
    def variant_id(self) -> int | None: ...


def tagged_product_ids(tags: Sequence[Ref]) -> list[int]:
    """Distinct products, in the order they are first named."""
    return list(dict.fromkeys(tag.product_id for tag in tags))


async def any_unavailable(ctx: Context, tags: Sequence[Ref]) -> bool:
    """True when a named product is gone, not ACTIVE (archived, back to draft: hidden from
    shoppers) or out of stock: no stock at all, or none of the named variant."""
    if not tags:
        return False
    products = await ctx.loaders[product_by_id].load_many(tagged_product_ids(tags))
    by_id = {row.id: row for row in products if row is not None}
    wanted = sorted({tag.variant_id for tag in tags if tag.variant_id is not None})
    variants = {row.id: row for row in await ctx.loaders[variant_by_id].load_many(wanted) if row}
    for tag in tags:
        product = by_id.get(tag.product_id)
        if product is None or product.status is not ProductStatus.ACTIVE:
            return True
        if product.total_stock <= 0:
            return True
        variant = variants.get(tag.variant_id) if tag.variant_id is not None else None
        if variant is not None and variant.stock <= 0:
            return True
    return False


def tagging_posts(product_id: int | None) -> Subquery:
    """The ids of posts tagging this product (any product: None), for a filter."""
    where = {} if product_id is None else {"product_id": product_id}
    return Subquery(ShoppableTag.filter(target_kind=TagTarget.POST, **where).values("target_id"))
