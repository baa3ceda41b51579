"""Reading shoppable tags: a post's or review's tags in display order, the products they
name, whether any of those is unavailable, and the published posts that tag a product.

Everything goes through the per-request loaders, so a page of posts costs the same few
statements for its tags, their products and variants whatever the number of posts or tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tortoise.expressions import Subquery

from models.catalog import ProductStatus
from models.content import Post, PostStatus, ShoppableTag, TagTarget
from models.reviews import Review
from resolvers.catalog.loaders import product_by_id, variant_by_id
from resolvers.content.access import in_readable_communities
from resolvers.content.loaders import tags_by_post, tags_by_review
from resolvers.content.writing import attached_ids
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted

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


def tagged_product_ids(tags: Sequence[ShoppableTag]) -> list[int]:
    """Distinct products, in the order they are first tagged."""
    return list(dict.fromkeys(tag.product_id for tag in tags))


async def any_unavailable(ctx: Context, tags: Sequence[ShoppableTag]) -> bool:
    """True when a tagged product is gone, not ACTIVE (archived, back to draft: hidden from
    shoppers) or out of stock: no stock at all, or none of the tagged variant."""
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


async def mentioned_in(ctx: Context, *, product_id: int, args: PageArgs) -> SortedPage[Post]:
    """Published posts that tag the product, newest first. Drafts never, not even for their
    author: this is the product page's public list."""
    query = Post.filter(status=PostStatus.PUBLISHED, id__in=tagging_posts(product_id))
    query = in_readable_communities(ctx, query)
    return await paginate_sorted(query, args, SortKey("id"))
