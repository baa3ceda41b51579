"""Coupons: putting one on a cart, and merchants creating, switching and listing theirs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from models.accounts import Role, User
from models.carts import Cart, Coupon, CouponKind
from resolvers.auth import require_scope, require_user
from resolvers.carts.access import reloaded_cart, writable_cart
from resolvers.carts.errors import CouponNotApplicable, CouponRejection
from resolvers.carts.loaders import coupon_by_id
from resolvers.carts.pricing import Pricing, cart_items, price, redemptions_by
from resolvers.catalog import managed_merchant, manages_merchant
from resolvers.catalog.loaders import product_by_id
from resolvers.errors import Conflict, Forbidden, InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_AMOUNT = 10**12
COUPON_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def normalize_code(code: str) -> str:
    return code.strip().upper()


async def check_coupon_for(cart: Cart, coupon: Coupon, user_id: int | None) -> Pricing:
    """Price the cart with the coupon; CouponNotApplicable when it does not apply."""
    pricing = price(await cart_items(cart), coupon, currency=cart.currency, now=datetime.now(UTC))
    if pricing.coupon_issue is not None:
        raise CouponNotApplicable(pricing.coupon_issue)
    if user_id is not None and await redemptions_by(coupon.id, user_id) >= coupon.max_uses_per_user:
        raise CouponNotApplicable(CouponRejection.USER_LIMIT)
    return pricing


async def apply_coupon(ctx: Context, *, cart_token: str | None, code: str) -> Cart:
    """Put a coupon on the cart; it must apply to what the cart holds now."""
    cart = await writable_cart(ctx, cart_token, create=False)
    wanted = normalize_code(code)
    # What cannot be a code names no coupon; coupons.code is 40 characters, and a longer value
    # would fail the query.
    coupon = await Coupon.filter(code=wanted).first() if COUPON_CODE.match(wanted) else None
    if coupon is None:
        raise CouponNotApplicable(CouponRejection.UNKNOWN)
    await check_coupon_for(cart, coupon, cart.user_id)
    await Cart.filter(id=cart.id).update(coupon_id=coupon.id, updated_at=datetime.now(UTC))
    return await reloaded_cart(ctx, cart)


async def remove_coupon(ctx: Context, *, cart_token: str | None) -> Cart:
    cart = await writable_cart(ctx, cart_token, create=False)
    await Cart.filter(id=cart.id).update(coupon_id=None, updated_at=datetime.now(UTC))
    return await reloaded_cart(ctx, cart)


@dataclass(frozen=True, slots=True)
class CouponSpec:
    code: str
    kind: CouponKind
    amount: int
    currency: str | None = None
    min_subtotal: int = 0
    product_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    max_uses: int | None = None
    max_uses_per_user: int = 1
    is_active: bool = True


def _utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+14:00: in UTC, before year 1
        raise InvalidInput(field, "Give a time between the years 1 and 9999 in UTC.") from None


async def create_coupon(ctx: Context, *, merchant_id: int, spec: CouponSpec) -> Coupon:
    """A coupon of the merchant's (owner, staff or admin; apps need write:commerce)."""
    merchant = await managed_merchant(ctx, merchant_id)
    code = normalize_code(spec.code)
    if not COUPON_CODE.match(code):
        raise InvalidInput(
            "code", "A code is 3-40 letters, digits, '-' or '_', starting with a letter or digit."
        )
    if spec.kind is CouponKind.PERCENT:
        if not 1 <= spec.amount <= 100:
            raise InvalidInput("amount", "A percent coupon takes 1-100 percent off.")
    elif not 1 <= spec.amount <= MAX_AMOUNT:
        raise InvalidInput("amount", "The amount off is a positive number of minor units.")
    if not 0 <= spec.min_subtotal <= MAX_AMOUNT:
        raise InvalidInput("minSubtotal", "A minimum is zero or more minor units.")
    if spec.kind is CouponKind.THRESHOLD and spec.min_subtotal < 1:
        raise InvalidInput("minSubtotal", "A spend-X-save-Y coupon needs the X (minSubtotal).")
    currency = (spec.currency or merchant.currency).strip().upper()
    if not CURRENCY.match(currency):
        raise InvalidInput("currency", "A currency is an ISO-4217 code such as USD.")
    starts_at, ends_at = _utc(spec.starts_at, "startsAt"), _utc(spec.ends_at, "endsAt")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("endsAt", "A coupon must end after it starts.")
    if spec.max_uses is not None and spec.max_uses < 1:
        raise InvalidInput("maxUses", "Allow at least one use, or leave maxUses out.")
    if spec.max_uses_per_user < 1:
        raise InvalidInput("maxUsesPerUser", "Allow each user at least one use.")
    if spec.product_id is not None:
        product = await ctx.loaders[product_by_id].load(spec.product_id)
        if product is None or product.merchant_id != merchant.id:
            raise InvalidInput("productId", "The product must be one of this merchant's.")
    try:
        return await Coupon.create(
            code=code,
            kind=spec.kind,
            amount=spec.amount,
            currency=currency,
            min_subtotal=spec.min_subtotal,
            merchant_id=merchant.id,
            product_id=spec.product_id,
            starts_at=starts_at,
            ends_at=ends_at,
            max_uses=spec.max_uses,
            max_uses_per_user=spec.max_uses_per_user,
            is_active=spec.is_active,
        )
    except IntegrityError:
        raise Conflict("That coupon code is taken.", field="code") from None


async def managed_coupon(ctx: Context, coupon_id: int) -> Coupon:
    """The coupon if the caller manages its merchant (the catalog's rule: owner, staff, admin;
    apps need write:commerce). Platform-wide coupons are admins' only."""
    user = require_scope(ctx, Scope.WRITE_COMMERCE) if ctx.principal.is_app else require_user(ctx)
    coupon = await ctx.loaders[coupon_by_id].load(coupon_id)
    if coupon is None:
        raise NotFound("Coupon")
    if coupon.merchant_id is not None:
        await managed_merchant(ctx, coupon.merchant_id)
    elif user.role is not Role.ADMIN:
        raise PermissionDenied("Only admins manage platform-wide coupons.")
    return coupon


async def set_coupon_active(ctx: Context, *, coupon_id: int, is_active: bool) -> Coupon:
    coupon = await managed_coupon(ctx, coupon_id)
    await Coupon.filter(id=coupon.id).update(is_active=is_active, updated_at=datetime.now(UTC))
    forget(ctx.loaders[coupon_by_id], coupon.id)
    return await Coupon.get(id=coupon.id)


async def visible_coupons(ctx: Context, ids: Sequence[int]) -> list[Coupon | None]:
    """For node(id): managers of the coupon's merchant (apps: read:commerce) and admins.
    A platform-wide coupon (no merchant) is the admins' alone."""
    user = ctx.principal.user
    if user is None or Scope.READ_COMMERCE not in ctx.principal.scopes:
        return [None] * len(ids)
    rows = await ctx.loaders[coupon_by_id].load_many(ids)
    return [row if row is not None and await _sees_coupon(ctx, user, row) else None for row in rows]


async def _sees_coupon(ctx: Context, user: User, coupon: Coupon) -> bool:
    if user.role is Role.ADMIN:
        return True
    return coupon.merchant_id is not None and await manages_merchant(ctx, user, coupon.merchant_id)


async def merchant_coupons(ctx: Context, *, merchant_id: int) -> list[Coupon]:
    """Every coupon of a merchant, newest first, for its managers (apps: read:commerce)."""
    user = require_scope(ctx, Scope.READ_COMMERCE)
    if not await manages_merchant(ctx, user, merchant_id):
        raise Forbidden("Only this merchant's owner, staff or an admin can see its coupons.")
    return await Coupon.filter(merchant_id=merchant_id).order_by("-id")
