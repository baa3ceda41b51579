"""Reading the catalog: a product by id or slug, and filtered, sorted product listings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from models.catalog import Category, Merchant, Product, ProductStatus
from resolvers.catalog.access import can_see_product, visible_products
from resolvers.catalog.categories import category_with_descendants
from resolvers.catalog.checks import SLUG_PATTERN
from resolvers.errors import InvalidInput
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted

if TYPE_CHECKING:
    from resolvers.context import Context

# The slug columns: a longer value names nothing, and the query would fail on its length.
PRODUCT_SLUG_MAX, MERCHANT_SLUG_MAX = 120, 80
TAG_MAX = 40  # product_tags.tag

# Average rating x1000 as an integer, so cursors compare exactly on both engines.
RATING_SCORE_SQL = "CASE WHEN rating_count = 0 THEN 0 ELSE (rating_sum * 1000) / rating_count END"


class ProductSort(StrEnum):
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    RATING = "rating"
    BEST_SELLING = "best_selling"


SORT_KEYS: dict[ProductSort, SortKey] = {
    ProductSort.NEWEST: SortKey("id"),
    ProductSort.PRICE_ASC: SortKey("min_price", descending=False),
    ProductSort.PRICE_DESC: SortKey("min_price"),
    ProductSort.RATING: SortKey("rating_score"),
    ProductSort.BEST_SELLING: SortKey("units_sold"),
}


@dataclass(frozen=True, slots=True)
class ProductFilter:
    category_id: int | None = None
    merchant_id: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    tag: str | None = None
    search: str | None = None


async def find_product(ctx: Context, *, product_id: int | None, slug: str | None) -> Product | None:
    if (product_id is None) == (slug is None):
        raise InvalidInput("id", "Give either `id` or `slug`.")
    if product_id is not None:
        return (await visible_products(ctx, [product_id]))[0]
    wanted = (slug or "").strip().lower()
    if len(wanted) > PRODUCT_SLUG_MAX:
        return None
    product = await Product.filter(slug=wanted).first()
    return product if product is not None and await can_see_product(ctx, product) else None


async def list_products(
    ctx: Context, *, where: ProductFilter, sort: ProductSort, args: PageArgs
) -> SortedPage[Product]:
    query = await filtered_products(where)
    if sort is ProductSort.RATING:
        query = query.annotate(rating_score=RawSQL(RATING_SCORE_SQL))
    return await paginate_sorted(query, args, SORT_KEYS[sort])


async def filtered_products(where: ProductFilter) -> QuerySet[Product]:
    query = Product.filter(status=ProductStatus.ACTIVE)
    if where.category_id is not None:
        query = query.filter(category_id__in=await category_with_descendants(where.category_id))
    if where.merchant_id is not None:
        query = query.filter(merchant_id=where.merchant_id)
    if where.min_price is not None:
        query = query.filter(min_price__gte=where.min_price)
    if where.max_price is not None:
        query = query.filter(min_price__lte=where.max_price)
    if where.in_stock is not None:
        query = query.filter(total_stock__gt=0) if where.in_stock else query.filter(total_stock=0)
    if where.tag:
        tag = where.tag.strip().lower()
        if len(tag) > TAG_MAX:
            raise InvalidInput("tag", f"A tag is at most {TAG_MAX} characters.")
        query = query.filter(tags__tag=tag)
    if where.search:
        term = where.search.strip()
        if len(term) > 100:
            raise InvalidInput("search", "Search for at most 100 characters.")
        query = query.filter(title__icontains=term)
    return query


async def merchant_by_slug(ctx: Context, slug: str) -> Merchant | None:
    """Storefronts are public; what cannot be a slug names none, and costs no SQL."""
    wanted = slug.strip().lower()
    if len(wanted) > MERCHANT_SLUG_MAX or not SLUG_PATTERN.match(wanted):
        return None
    return await Merchant.filter(slug=wanted).first()


async def top_categories(ctx: Context) -> list[Category]:
    return await Category.filter(parent_id=None).order_by("position", "name")
