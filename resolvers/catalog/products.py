"""Products and variants: creating and changing them, stock, lowest price and total stock."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Min, Sum
from tortoise.transactions import in_transaction

from models.catalog import Category, Product, ProductStatus, ProductTag, Variant
from models.media import Media
from resolvers import events
from resolvers.accounts import user_by_id
from resolvers.catalog.access import (
    managed_merchant,
    managed_product,
    managed_variant,
    merchant_team_of,
)
from resolvers.catalog.checks import (
    MAX_MEDIA,
    MAX_STOCK,
    MAX_VARIANTS,
    VariantSpec,
    check_money,
    check_slug,
    check_stock,
    check_tags,
    check_text,
    check_urls,
    check_variant,
    sanitize_html,
)
from resolvers.catalog.loaders import product_by_id, variant_by_id
from resolvers.errors import Conflict, InvalidInput, NotFound
from resolvers.loading import forget
from resolvers.media import check_media_ids

if TYPE_CHECKING:
    from resolvers.context import Context


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
    media_ids: list[int],
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
        "media_ids": await _check_media(ctx, merchant.id, media_ids),
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
    cleaned = {name: checks[name](value) for name, value in changes.items() if name != "media_ids"}
    if "media_ids" in changes:
        cleaned["media_ids"] = await _check_media(ctx, product.merchant_id, changes["media_ids"])
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
            changed = [*cleaned, "tags"] if tags is not None else list(cleaned)
            await events.product_updated(product.id, changed)
    except IntegrityError:
        raise Conflict("That slug is already taken.", field="slug") from None
    forget(ctx.loaders[product_by_id], product.id)
    return await Product.get(id=product.id)


async def _check_media(ctx: Context, merchant_id: int, ids: list[int]) -> list[int]:
    """READY media of the caller, or of anyone on the merchant's team (owner, staff)."""
    caller = ctx.principal.user
    assert caller is not None  # managed_merchant / managed_product have checked

    async def may_attach(found: Media) -> bool:
        if found.owner_id == caller.id:
            return True
        owner = await ctx.loaders[user_by_id].load(found.owner_id)
        return owner is not None and merchant_id in await merchant_team_of(ctx, owner)

    return await check_media_ids(
        ctx,
        ids,
        field="mediaIds",
        maximum=MAX_MEDIA,
        may_attach=may_attach,
        whose="uploaded by you or your merchant's team",
    )


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
    if changes.get("stock") is not None:
        check_stock(changes["stock"], "stock")
    async with in_transaction():
        if changes:
            await Variant.filter(id=variant.id).update(**changes)
        await refresh_product_aggregates(variant.product_id)
    forget(ctx.loaders[variant_by_id], variant.id)
    return await Variant.get(id=variant.id)


async def adjust_variant_stock(ctx: Context, *, variant_id: int, delta: int) -> Variant:
    """Add or remove units atomically; never below zero, whatever checkouts run meanwhile."""
    if abs(delta) > MAX_STOCK:  # no stock can move that far; and no SQL for it
        raise InvalidInput("delta", f"Stock is at most {MAX_STOCK:,} units per variant.")
    variant = await managed_variant(ctx, variant_id)
    async with in_transaction():
        # Both bounds in the one atomic UPDATE: the stock column is 32-bit (MAX_STOCK).
        changed = await Variant.filter(
            id=variant.id, stock__gte=-delta, stock__lte=MAX_STOCK - delta
        ).update(stock=F("stock") + delta)
        if not changed:
            raise InvalidInput(
                "delta",
                "That would take stock below zero."
                if delta < 0
                else f"Stock is at most {MAX_STOCK:,} units per variant.",
            )
        await Product.filter(id=variant.product_id).update(total_stock=F("total_stock") + delta)
        await events.stock_moved({variant.product_id: delta})
    forget(ctx.loaders[variant_by_id], variant.id)
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
    locked = await Product.select_for_update().filter(id=product_id).first()  # vs checkouts
    totals = (
        await Variant.filter(product_id=product_id)
        .annotate(low=Min("price"), units=Sum("stock"))
        .first()
        .values("low", "units")
    )
    units = int(totals["units"] or 0) if totals else 0
    await Product.filter(id=product_id).update(
        min_price=int(totals["low"] or 0) if totals else 0, total_stock=units
    )
    await events.stock_moved({product_id: units - locked.total_stock} if locked else {})
