"""Who may manage a merchant's catalog (owner, staff, admin) and who sees a product."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.catalog import Category, Merchant, Product, ProductStatus, Variant
from resolvers.auth import require_scope, require_user
from resolvers.catalog.loaders import (
    category_by_id,
    merchant_by_id,
    merchant_teams_by_user,
    product_by_id,
    variant_by_id,
)
from resolvers.errors import NotFound, PermissionDenied
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


async def merchant_team_of(ctx: Context, user: User) -> frozenset[int]:
    """The merchants this user owns or staffs: who speaks and acts for a merchant."""
    return await ctx.loaders[merchant_teams_by_user].load(user.id)


async def visible_merchant_team(ctx: Context, user: User) -> list[Merchant] | None:
    """The storefronts this user owns or staffs, oldest first, for the user themself and
    admins (apps: their owner's, with read:commerce); None for anyone else, since staff
    membership is not public."""
    viewer = ctx.principal.user
    if viewer is None:
        return None
    if ctx.principal.is_app:
        if viewer.id != user.id:
            return None
        require_scope(ctx, Scope.READ_COMMERCE)
    elif viewer.id != user.id and viewer.role is not Role.ADMIN:
        return None
    rows = await ctx.loaders[merchant_by_id].load_many(sorted(await merchant_team_of(ctx, user)))
    return [row for row in rows if row is not None]


async def manages_merchant(ctx: Context, user: User, merchant_id: int) -> bool:
    """The merchant team rule: the owner, staff, or an admin may manage a merchant."""
    return user.role is Role.ADMIN or merchant_id in await merchant_team_of(ctx, user)


async def managed_merchant(ctx: Context, merchant_id: int) -> Merchant:
    """The merchant if the caller manages it. Staff membership decides for people, whatever
    their role; apps additionally need write:commerce."""
    user = require_scope(ctx, Scope.WRITE_COMMERCE) if ctx.principal.is_app else require_user(ctx)
    merchant = await ctx.loaders[merchant_by_id].load(merchant_id)
    if merchant is None:
        raise NotFound("Merchant")
    if not await manages_merchant(ctx, user, merchant.id):
        raise PermissionDenied("Only this merchant's owner, staff or an admin can do this.")
    return merchant


async def managed_product(ctx: Context, product_id: int) -> Product:
    product = await ctx.loaders[product_by_id].load(product_id)
    if product is None:
        raise NotFound("Product")
    await managed_merchant(ctx, product.merchant_id)
    return product


async def managed_variant(ctx: Context, variant_id: int) -> Variant:
    variant = await ctx.loaders[variant_by_id].load(variant_id)
    if variant is None:
        raise NotFound("Variant")
    await managed_product(ctx, variant.product_id)
    return variant


async def visible_products(ctx: Context, ids: Sequence[int]) -> list[Product | None]:
    """Products the caller may see, for node(id), nodes and product(id)."""
    rows = await ctx.loaders[product_by_id].load_many(ids)
    return [row if row is not None and await can_see_product(ctx, row) else None for row in rows]


async def visible_variants(ctx: Context, ids: Sequence[int]) -> list[Variant | None]:
    """Variants of the products the caller may see: a draft's SKUs and stock stay private."""
    rows = await ctx.loaders[variant_by_id].load_many(ids)
    products = await visible_products(ctx, [row.product_id for row in rows if row is not None])
    seen = {product.id for product in products if product is not None}
    return [row if row is not None and row.product_id in seen else None for row in rows]


async def visible_merchants(ctx: Context, ids: Sequence[int]) -> list[Merchant | None]:
    """Storefronts are public."""
    return await ctx.loaders[merchant_by_id].load_many(ids)


async def visible_categories(ctx: Context, ids: Sequence[int]) -> list[Category | None]:
    """The category tree is public."""
    return await ctx.loaders[category_by_id].load_many(ids)


async def can_see_product(ctx: Context, product: Product) -> bool:
    """Active products are public; drafts and archived ones only to their managers."""
    if product.status is ProductStatus.ACTIVE:
        return True
    user = ctx.principal.user
    if user is None:
        return False
    return await manages_merchant(ctx, user, product.merchant_id)
