"""Who may manage a merchant's catalog (owner, staff, admin) and who sees a product."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.accounts import Role, User
from models.catalog import Merchant, MerchantStaff, Product, ProductStatus, Variant
from resolvers.auth import require_scope, require_user
from resolvers.errors import NotFound, PermissionDenied
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context


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
