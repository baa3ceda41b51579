"""Catalog: merchants and staff, categories, products, variants and their listing.

Merchants manage only their own catalog: the owner and staff of a merchant, or an admin.
Apps need write:commerce. Product rows keep `min_price` and `total_stock` in step with their
variants, so listings filter and sort on indexed columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import nh3
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, RawSQL
from tortoise.functions import Min, Sum
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.catalog import (
    Category,
    Merchant,
    MerchantStaff,
    Product,
    ProductStatus,
    ProductTag,
    Variant,
)
from resolvers.auth import require_role, require_scope, require_user
from resolvers.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.pagination import PageArgs, SortedPage, SortKey, paginate_sorted
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
MAX_TAGS, MAX_VARIANTS, MAX_MEDIA = 20, 100, 20
MAX_PRICE = 10**12
# What merchants may put in rich text: formatting and links, no scripts, styles or embeds.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
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
class VariantSpec:
    sku: str
    title: str
    price: int
    stock: int = 0
    compare_at_price: int | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProductFilter:
    category_id: int | None = None
    merchant_id: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    tag: str | None = None
    search: str | None = None


# ---- input checks -----------------------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "")  # "Lin's" -> "lins", not "lin-s"
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "item"


def check_slug(slug: str | None, fallback: str) -> str:
    cleaned = slug.strip().lower() if slug is not None else slugify(fallback)
    if not SLUG_PATTERN.match(cleaned) or len(cleaned) > 80:
        raise InvalidInput("slug", "A slug is lowercase letters, digits and single hyphens.")
    return cleaned


def check_text(value: str, field_name: str, *, maximum: int, minimum: int = 1) -> str:
    cleaned = " ".join(value.split())
    if not minimum <= len(cleaned) <= maximum:
        raise InvalidInput(field_name, f"Must be {minimum}-{maximum} characters.")
    return cleaned


def sanitize_html(html: str, field_name: str) -> str:
    if len(html) > 50_000:
        raise InvalidInput(field_name, "Rich text is at most 50,000 characters.")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


def check_urls(urls: list[str], field_name: str) -> list[str]:
    if len(urls) > MAX_MEDIA:
        raise InvalidInput(field_name, f"At most {MAX_MEDIA} media items.")
    for url in urls:
        if not url.startswith("https://") or len(url) > 500:
            raise InvalidInput(field_name, "Media must be https URLs of at most 500 characters.")
    return urls


def check_tags(tags: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS or any(len(tag) > 40 for tag in cleaned):
        raise InvalidInput("tags", f"At most {MAX_TAGS} tags of at most 40 characters.")
    return cleaned


def check_money(value: int | None, field_name: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_PRICE:
        raise InvalidInput(field_name, "Amounts are whole minor units between 0 and 10^12.")
    return value


def check_variant(spec: VariantSpec, field_name: str = "variants") -> VariantSpec:
    if not 1 <= len(spec.sku.strip()) <= 64:
        raise InvalidInput(field_name, "A SKU is 1-64 characters.")
    check_text(spec.title, field_name, maximum=120)
    check_money(spec.price, field_name)
    check_money(spec.compare_at_price, field_name)
    if spec.stock < 0:
        raise InvalidInput(field_name, "Stock cannot be negative.")
    if len(spec.options) > 5 or any(len(k) > 30 or len(v) > 60 for k, v in spec.options.items()):
        raise InvalidInput(field_name, "At most 5 options, names <= 30 and values <= 60 chars.")
    return spec


# ---- who may manage what ----------------------------------------------------------------------


async def is_merchant_manager(user: User, merchant: Merchant) -> bool:
    if user.role is Role.ADMIN or merchant.owner_id == user.id:
        return True
    return await MerchantStaff.filter(merchant_id=merchant.id, user_id=user.id).exists()


async def managed_merchant(ctx: Context, merchant_id: int) -> Merchant:
    """The merchant if the caller manages it. Staff membership decides for people, whatever
    their role; apps additionally need write:commerce."""
    user = require_scope(ctx, Scope.WRITE_COMMERCE) if ctx.principal.is_app else require_user(ctx)
    merchant = await ctx.loaders.merchant_by_id.load(merchant_id)
    if merchant is None:
        raise NotFound("Merchant")
    if not await is_merchant_manager(user, merchant):
        raise PermissionDenied("Only this merchant's owner, staff or an admin can do this.")
    return merchant


async def managed_product(ctx: Context, product_id: int) -> Product:
    product = await ctx.loaders.product_by_id.load(product_id)
    if product is None:
        raise NotFound("Product")
    await managed_merchant(ctx, product.merchant_id)
    return product


async def managed_variant(ctx: Context, variant_id: int) -> Variant:
    variant = await ctx.loaders.variant_by_id.load(variant_id)
    if variant is None:
        raise NotFound("Variant")
    await managed_product(ctx, variant.product_id)
    return variant


async def can_see_product(ctx: Context, product: Product) -> bool:
    """Active products are public; drafts and archived ones only to their managers."""
    if product.status is ProductStatus.ACTIVE:
        return True
    user = ctx.principal.user
    if user is None:
        return False
    merchant = await ctx.loaders.merchant_by_id.load(product.merchant_id)
    return merchant is not None and await is_merchant_manager(user, merchant)


# ---- merchants --------------------------------------------------------------------------------


async def create_merchant(
    ctx: Context, *, name: str, slug: str | None, story_html: str, logo_url: str, currency: str
) -> Merchant:
    owner = require_scope(ctx, Scope.WRITE_COMMERCE)
    name = check_text(name, "name", maximum=120)
    if not CURRENCY_PATTERN.match(currency):
        raise InvalidInput("currency", "A currency is a 3-letter ISO-4217 code, e.g. USD.")
    if logo_url:
        check_urls([logo_url], "logoUrl")
    try:
        return await Merchant.create(
            owner_id=owner.id,
            name=name,
            slug=check_slug(slug, name),
            story_html=sanitize_html(story_html, "storyHtml"),
            logo_url=logo_url,
            currency=currency,
        )
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None


async def update_merchant(
    ctx: Context,
    *,
    merchant_id: int,
    name: str | None,
    story_html: str | None,
    logo_url: str | None,
) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    if name is not None:
        merchant.name = check_text(name, "name", maximum=120)
    if story_html is not None:
        merchant.story_html = sanitize_html(story_html, "storyHtml")
    if logo_url is not None:
        merchant.logo_url = check_urls([logo_url], "logoUrl")[0] if logo_url else ""
    await merchant.save(update_fields=["name", "story_html", "logo_url", "updated_at"])
    return merchant


async def add_merchant_staff(ctx: Context, *, merchant_id: int, handle: str) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    user = await User.filter(handle=handle.strip().lower()).first()
    if user is None:
        raise NotFound("User", f"No user with handle {handle!r}.")
    if user.id == merchant.owner_id:
        raise InvalidInput("handle", "The owner is already in charge of this merchant.")
    try:
        await MerchantStaff.create(merchant_id=merchant.id, user_id=user.id)
    except IntegrityError:
        raise Conflict("That user is already staff.", field="handle") from None
    return merchant


async def remove_merchant_staff(ctx: Context, *, merchant_id: int, handle: str) -> Merchant:
    merchant = await managed_merchant(ctx, merchant_id)
    removed = await MerchantStaff.filter(
        merchant_id=merchant.id, user__handle=handle.strip().lower()
    ).delete()
    if not removed:
        raise NotFound("MerchantStaff", f"{handle!r} is not staff of this merchant.")
    return merchant


# ---- categories -------------------------------------------------------------------------------


async def create_category(
    ctx: Context, *, name: str, slug: str | None, parent_id: int | None
) -> Category:
    require_role(ctx, Role.ADMIN)
    name = check_text(name, "name", maximum=80)
    if parent_id is not None and not await Category.filter(id=parent_id).exists():
        raise NotFound("Category", "The parent category does not exist.")
    try:
        return await Category.create(name=name, slug=check_slug(slug, name), parent_id=parent_id)
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None


async def category_with_descendants(category_id: int) -> list[int]:
    """The category and every category below it (the tree is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for row_id, parent_id in await Category.all().values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(row_id)
    found, frontier = [category_id], [category_id]
    while frontier:
        frontier = [child for node in frontier for child in children.get(node, [])]
        found.extend(frontier)
    return found


# ---- products and variants --------------------------------------------------------------------


async def create_product(
    ctx: Context,
    *,
    merchant_id: int,
    title: str,
    slug: str | None,
    description_html: str,
    category_id: int | None,
    tags: list[str],
    media_urls: list[str],
    status: ProductStatus,
    variants: list[VariantSpec],
) -> Product:
    merchant = await managed_merchant(ctx, merchant_id)
    title = check_text(title, "title", maximum=200)
    if not 1 <= len(variants) <= MAX_VARIANTS:
        raise InvalidInput("variants", f"A product has 1-{MAX_VARIANTS} variants.")
    specs = [check_variant(spec) for spec in variants]
    if category_id is not None and not await Category.filter(id=category_id).exists():
        raise NotFound("Category")
    fields_: dict[str, Any] = {
        "merchant_id": merchant.id,
        "title": title,
        "slug": check_slug(slug, title),
        "description_html": sanitize_html(description_html, "descriptionHtml"),
        "category_id": category_id,
        "media_urls": check_urls(media_urls, "mediaUrls"),
        "status": status,
        "currency": merchant.currency,
        "min_price": min(spec.price for spec in specs),
        "total_stock": sum(spec.stock for spec in specs),
    }
    try:
        async with in_transaction():
            product = await Product.create(**fields_)
            await Variant.bulk_create(
                [
                    Variant(
                        product_id=product.id,
                        sku=spec.sku.strip(),
                        title=spec.title,
                        price=spec.price,
                        compare_at_price=spec.compare_at_price,
                        stock=spec.stock,
                        options=spec.options,
                        position=position,
                    )
                    for position, spec in enumerate(specs)
                ]
            )
            await ProductTag.bulk_create(
                [ProductTag(product_id=product.id, tag=tag) for tag in check_tags(tags)]
            )
    except IntegrityError:
        raise Conflict("That slug or one of the SKUs is already taken.") from None
    return product


async def update_product(
    ctx: Context, *, product_id: int, changes: dict[str, Any], tags: list[str] | None
) -> Product:
    product = await managed_product(ctx, product_id)
    checks: dict[str, Callable[[Any], Any]] = {
        "title": lambda v: check_text(v, "title", maximum=200),
        "slug": lambda v: check_slug(v, product.title),
        "description_html": lambda v: sanitize_html(v, "descriptionHtml"),
        "media_urls": lambda v: check_urls(v, "mediaUrls"),
        "status": lambda v: v,
        "category_id": lambda v: v,
    }
    cleaned = {name: checks[name](value) for name, value in changes.items()}
    if (
        cleaned.get("category_id") is not None
        and not await Category.filter(id=cleaned["category_id"]).exists()
    ):
        raise NotFound("Category")
    try:
        async with in_transaction():
            if cleaned:
                await Product.filter(id=product.id).update(**cleaned)
            if tags is not None:
                await ProductTag.filter(product_id=product.id).delete()
                await ProductTag.bulk_create(
                    [ProductTag(product_id=product.id, tag=tag) for tag in check_tags(tags)]
                )
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None
    forget(ctx.loaders.product_by_id, product.id)
    return await Product.get(id=product.id)


async def add_variant(ctx: Context, *, product_id: int, spec: VariantSpec) -> Variant:
    product = await managed_product(ctx, product_id)
    check_variant(spec, "variant")
    if await Variant.filter(product_id=product.id).count() >= MAX_VARIANTS:
        raise Conflict(f"A product has at most {MAX_VARIANTS} variants.")
    try:
        async with in_transaction():
            variant = await Variant.create(
                product_id=product.id,
                sku=spec.sku.strip(),
                title=spec.title,
                price=spec.price,
                compare_at_price=spec.compare_at_price,
                stock=spec.stock,
                options=spec.options,
                position=await Variant.filter(product_id=product.id).count(),
            )
            await refresh_product_aggregates(product.id)
    except IntegrityError:
        raise Conflict("That SKU is already taken.", field="sku") from None
    return variant


async def update_variant(ctx: Context, *, variant_id: int, changes: dict[str, Any]) -> Variant:
    variant = await managed_variant(ctx, variant_id)
    for name in ("price", "compare_at_price"):
        if name in changes:
            check_money(changes[name], name)
    if "title" in changes:
        changes["title"] = check_text(changes["title"], "title", maximum=120)
    if "options" in changes:
        check_variant(
            VariantSpec(
                sku=variant.sku,
                title=variant.title,
                price=variant.price,
                options=changes["options"],
            ),
            "options",
        )
    if changes.get("stock") is not None and changes["stock"] < 0:
        raise InvalidInput("stock", "Stock cannot be negative.")
    async with in_transaction():
        if changes:
            await Variant.filter(id=variant.id).update(**changes)
        await refresh_product_aggregates(variant.product_id)
    forget(ctx.loaders.variant_by_id, variant.id)
    return await Variant.get(id=variant.id)


async def adjust_variant_stock(ctx: Context, *, variant_id: int, delta: int) -> Variant:
    """Add or remove units atomically; never below zero, whatever checkouts run meanwhile."""
    variant = await managed_variant(ctx, variant_id)
    async with in_transaction():
        changed = await Variant.filter(id=variant.id, stock__gte=-delta).update(
            stock=F("stock") + delta
        )
        if not changed:
            raise InvalidInput("delta", "That would take stock below zero.")
        await Product.filter(id=variant.product_id).update(total_stock=F("total_stock") + delta)
    forget(ctx.loaders.variant_by_id, variant.id)
    return await Variant.get(id=variant.id)


async def delete_variant(ctx: Context, *, variant_id: int) -> Variant:
    variant = await managed_variant(ctx, variant_id)
    if await Variant.filter(product_id=variant.product_id).count() <= 1:
        raise InvalidInput("variantId", "A product keeps at least one variant.")
    async with in_transaction():
        await Variant.filter(id=variant.id).delete()
        await refresh_product_aggregates(variant.product_id)
    return variant


async def refresh_product_aggregates(product_id: int) -> None:
    """Recompute the lowest price and total stock from the variants (inside a transaction)."""
    await Product.select_for_update().filter(id=product_id).first()  # serialise with checkouts
    totals = (
        await Variant.filter(product_id=product_id)
        .annotate(low=Min("price"), units=Sum("stock"))
        .first()
        .values("low", "units")
    )
    await Product.filter(id=product_id).update(
        min_price=int(totals["low"] or 0) if totals else 0,
        total_stock=int(totals["units"] or 0) if totals else 0,
    )


# ---- reading ----------------------------------------------------------------------------------


async def find_product(ctx: Context, *, product_id: int | None, slug: str | None) -> Product | None:
    if (product_id is None) == (slug is None):
        raise InvalidInput("id", "Give either `id` or `slug`.")
    if product_id is not None:
        product = await ctx.loaders.product_by_id.load(product_id)
    else:
        product = await Product.filter(slug=(slug or "").strip().lower()).first()
    if product is None or not await can_see_product(ctx, product):
        return None
    return product


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
        query = query.filter(tags__tag=where.tag.strip().lower())
    if where.search:
        term = where.search.strip()
        if len(term) > 100:
            raise InvalidInput("search", "Search for at most 100 characters.")
        query = query.filter(title__icontains=term)
    return query
