"""Shoppable tags: products (or one variant) pinned on a media item of a post, a review or a
tutorial (on the media of its steps).

The tags of one media item in one target are replaced together (`set_media_tags`), under a
lock on the target's row, so two concurrent edits leave one of the two sets whole, never a mix.
Only the target's author tags it; the product must be ACTIVE when tagged (a tag whose product
is later archived stays stored; readers who cannot see the product get null for it).
A tutorial's tags belong to the tutorial (models.content.TagTarget says why) and also count
among the products it uses (`tutorials(filter: {productId})`, `Product.mentionedIn`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.catalog import ProductStatus
from models.content import Post, ShoppableTag, TagTarget, Tutorial, TutorialStep
from models.media import Media, MediaKind
from models.reviews import Review
from resolvers.auth import require_scope
from resolvers.catalog.loaders import product_by_id, variant_by_id
from resolvers.content.access import target_post
from resolvers.content.loaders import tags_by_post, tags_by_review, tags_by_tutorial
from resolvers.content.tutorial_access import target_tutorial
from resolvers.content.tutorial_writing import reindex_products
from resolvers.content.writing import attached_ids
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media.loaders import media_by_id
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_TAGS_PER_MEDIA = 20
MAX_SECONDS = 24 * 3600.0  # a generous bound on a video's length (we store no duration)


@dataclass(frozen=True, slots=True)
class TagSpec:
    """One tag as asked for: a point (x, y) on an image, or a moment (at_seconds) of a video."""

    product_id: int
    variant_id: int | None = None
    x: float | None = None
    y: float | None = None
    at_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Tagged:
    """What set_media_tags changed: the target and the media's tags now, in order."""

    kind: TagTarget
    target: Target
    tags: list[ShoppableTag]


Target = Post | Review | Tutorial
LOADERS = {
    TagTarget.POST: tags_by_post,
    TagTarget.REVIEW: tags_by_review,
    TagTarget.TUTORIAL: tags_by_tutorial,
}


async def _shown(target: Target) -> list[int]:
    """The media the target shows: the only media its tags may sit on."""
    if isinstance(target, Post):
        return attached_ids(target)
    if isinstance(target, Review):
        return list(target.media_ids)
    # Read afresh (not through the loader): under the lock, what the steps show now.
    steps = await TutorialStep.filter(tutorial_id=target.id).only("id", "media_ids")
    return [media_id for step in steps for media_id in step.media_ids]


async def _target(ctx: Context, kind: TagTarget, target_id: int) -> Target:
    if kind is TagTarget.POST:
        return await target_post(ctx, target_id)
    if kind is TagTarget.TUTORIAL:
        return await target_tutorial(ctx, target_id)
    # Imported here: resolvers.reviews reaches resolvers.content (through carts) as it loads.
    from resolvers.reviews import visible_reviews

    [review] = await visible_reviews(ctx, [target_id])
    if review is None:
        raise NotFound("Review")
    return review


async def _locked(kind: TagTarget, target_id: int) -> Target:
    models: dict[TagTarget, type[Target]] = {
        TagTarget.POST: Post,
        TagTarget.REVIEW: Review,
        TagTarget.TUTORIAL: Tutorial,
    }
    model = models[kind]
    row = await model.filter(id=target_id).select_for_update().first()
    if row is None:  # deleted since it was read
        raise NotFound(model.__name__)
    return row


def _check_place(spec: TagSpec, media: Media, field: str) -> None:
    """Exactly one of a point (images) or a time (videos)."""
    if media.kind is MediaKind.IMAGE:
        if spec.at_seconds is not None:
            raise InvalidInput(
                f"{field}.atSeconds", "An image's tag is a point (x, y), not a time."
            )
        for name, value in (("x", spec.x), ("y", spec.y)):
            if value is None or not math.isfinite(value) or not 0.0 <= value <= 1.0:
                raise InvalidInput(
                    f"{field}.{name}",
                    f"`{name}` is a fraction of the image, 0 to 1 (from the top left corner).",
                )
        return
    if spec.x is not None or spec.y is not None:
        name = "x" if spec.x is not None else "y"
        raise InvalidInput(f"{field}.{name}", "A video's tag is a time (atSeconds), not a point.")
    at = spec.at_seconds
    if at is None or not math.isfinite(at) or not 0.0 <= at <= MAX_SECONDS:
        raise InvalidInput(
            f"{field}.atSeconds", f"`atSeconds` is the moment in the video, 0 to {MAX_SECONDS:g}."
        )


async def _check_products(ctx: Context, specs: Sequence[TagSpec]) -> None:
    """Each product ACTIVE (so visible to everyone), each variant one of its product's."""
    products = await ctx.loaders[product_by_id].load_many([s.product_id for s in specs])
    wanted = [s.variant_id for s in specs if s.variant_id is not None]
    variants = {v.id: v for v in await ctx.loaders[variant_by_id].load_many(wanted) if v}
    for n, (spec, product) in enumerate(zip(specs, products, strict=True)):
        if product is None or product.status is not ProductStatus.ACTIVE:
            raise InvalidInput(f"tags.{n}.productId", "Tag a product that is for sale (ACTIVE).")
        if spec.variant_id is not None:
            variant = variants.get(spec.variant_id)
            if variant is None or variant.product_id != product.id:
                raise InvalidInput(
                    f"tags.{n}.variantId", "The variant must be one of the tagged product's."
                )


async def set_media_tags(
    ctx: Context, *, kind: TagTarget, target_id: int, media_id: int, tags: Sequence[TagSpec]
) -> Tagged:
    """Replace the tags of one media item in one post, review or tutorial with `tags`, in
    that order."""
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    target = await _target(ctx, kind, target_id)
    if target.author_id != user.id:
        raise PermissionDenied("Only the author can tag products on their media.")
    if len(tags) > MAX_TAGS_PER_MEDIA:
        raise InvalidInput("tags", f"At most {MAX_TAGS_PER_MEDIA} tags per media item.")
    media = await ctx.loaders[media_by_id].load(media_id)
    if media is None or media_id not in await _shown(target):
        raise InvalidInput("mediaId", f"Tag media shown in this {kind.name.lower()}.")
    for n, spec in enumerate(tags):
        _check_place(spec, media, f"tags.{n}")
    await _check_products(ctx, tags)
    async with in_transaction():
        row = await _locked(kind, target.id)
        if media_id not in await _shown(row):  # detached meanwhile
            raise InvalidInput("mediaId", f"Tag media shown in this {kind.name.lower()}.")
        where = ShoppableTag.filter(target_kind=kind, target_id=row.id, media_id=media_id)
        await where.delete()
        await ShoppableTag.bulk_create(
            [
                ShoppableTag(
                    target_kind=kind,
                    target_id=row.id,
                    media_id=media_id,
                    product_id=spec.product_id,
                    variant_id=spec.variant_id,
                    x=spec.x,
                    y=spec.y,
                    at_seconds=spec.at_seconds,
                    position=n,
                )
                for n, spec in enumerate(tags)
            ]
        )
        saved = await where.order_by("position", "id")
        if kind is TagTarget.TUTORIAL:
            await reindex_products(row.id)
    forget(ctx.loaders[LOADERS[kind]], row.id)
    return Tagged(kind, row, list(saved))
