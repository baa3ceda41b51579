"""Pricing lines at current prices, and a coupon's discount split over its eligible lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from models.carts import Cart, CartLine, Coupon, CouponKind
from models.catalog import Product, ProductStatus, Variant
from models.orders import CouponRedemption, OrderStatus
from resolvers.carts.errors import CouponRejection
from resolvers.carts.loaders import coupon_by_id, lines_by_cart
from resolvers.catalog.loaders import product_by_id, variant_by_id

if TYPE_CHECKING:
    from resolvers.context import Context

# Orders in these states give their coupon use back.
RELEASED_STATUSES = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@dataclass(frozen=True, slots=True)
class LineItem:
    """A variant and quantity to price, with the cart line it comes from (if any)."""

    variant: Variant
    product: Product
    quantity: int
    line: CartLine | None = None

    @property
    def subtotal(self) -> int:
        return int(self.variant.price) * self.quantity

    @property
    def available(self) -> bool:
        return self.product.status is ProductStatus.ACTIVE and self.variant.stock >= self.quantity


@dataclass(frozen=True, slots=True)
class PricedLine:
    item: LineItem
    unit_price: int
    subtotal: int
    discount: int

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


@dataclass(frozen=True, slots=True)
class Pricing:
    currency: str
    lines: list[PricedLine]
    subtotal: int
    discount: int
    coupon: Coupon | None
    coupon_issue: CouponRejection | None

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


def coupon_window_issue(coupon: Coupon, now: datetime) -> CouponRejection | None:
    """What stops the coupon whatever the cart holds: switched off, outside its window, used up."""
    if not coupon.is_active:
        return CouponRejection.INACTIVE
    if coupon.starts_at is not None and now < coupon.starts_at:
        return CouponRejection.NOT_STARTED
    if coupon.ends_at is not None and now >= coupon.ends_at:
        return CouponRejection.EXPIRED
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        return CouponRejection.USED_UP
    return None


def is_eligible(coupon: Coupon, product: Product) -> bool:
    """Product-scoped coupons count that product's lines; merchant-scoped ones the merchant's."""
    if coupon.product_id is not None:
        return bool(product.id == coupon.product_id)
    if coupon.merchant_id is not None:
        return product.merchant_id == coupon.merchant_id
    return True


def split_discount(discount: int, amounts: Sequence[int]) -> list[int]:
    """Split `discount` over `amounts` in proportion, in whole minor units, summing exactly.

    Each share is floored; the units left over go to the lines with the largest remainders,
    later lines first on ties (so a lone leftover unit lands on the last line). No share ever
    exceeds its amount, since `discount` never exceeds their sum.
    """
    total = sum(amounts)
    if total <= 0 or discount <= 0:
        return [0] * len(amounts)
    discount = min(discount, total)
    shares = [discount * amount // total for amount in amounts]
    remainders = [discount * amount % total for amount in amounts]
    leftover = discount - sum(shares)
    order = sorted(range(len(amounts)), key=lambda i: (remainders[i], i), reverse=True)
    for index in order[:leftover]:
        shares[index] += 1
    return shares


def price(
    items: Sequence[LineItem], coupon: Coupon | None, *, currency: str, now: datetime
) -> Pricing:
    """Current prices, and the coupon's discount split over its eligible lines."""
    subtotals = [item.subtotal for item in items]
    discounts = [0] * len(items)
    issue = None
    if coupon is not None:
        eligible = [i for i, item in enumerate(items) if is_eligible(coupon, item.product)]
        eligible_subtotal = sum(subtotals[i] for i in eligible)
        issue = coupon_window_issue(coupon, now)
        if issue is None and coupon.kind is not CouponKind.PERCENT and coupon.currency != currency:
            issue = CouponRejection.CURRENCY
        if issue is None and eligible_subtotal <= 0:
            issue = CouponRejection.NOT_ELIGIBLE
        if issue is None and eligible_subtotal < coupon.min_subtotal:
            issue = CouponRejection.MINIMUM_NOT_MET
        if issue is None:
            if coupon.kind is CouponKind.PERCENT:
                amount = eligible_subtotal * min(coupon.amount, 100) // 100
            else:
                amount = coupon.amount
            shares = split_discount(
                min(amount, eligible_subtotal), [subtotals[i] for i in eligible]
            )
            for index, share in zip(eligible, shares, strict=True):
                discounts[index] = share
    lines = [
        PricedLine(item=item, unit_price=item.variant.price, subtotal=subtotal, discount=discount)
        for item, subtotal, discount in zip(items, subtotals, discounts, strict=True)
    ]
    return Pricing(
        currency=currency,
        lines=lines,
        subtotal=sum(subtotals),
        discount=sum(discounts),
        coupon=coupon,
        coupon_issue=issue,
    )


async def price_cart(ctx: Context, cart: Cart) -> Pricing:
    """The cart priced now, through the request's loaders (for reading)."""
    loaders = ctx.loaders
    lines = await loaders[lines_by_cart].load(cart.id)
    variants = await loaders[variant_by_id].load_many([line.variant_id for line in lines])
    present = [(line, v) for line, v in zip(lines, variants, strict=True) if v is not None]
    products = await loaders[product_by_id].load_many([v.product_id for _, v in present])
    coupon = await loaders[coupon_by_id].load(cart.coupon_id) if cart.coupon_id else None
    items = [
        LineItem(variant=v, product=p, quantity=line.quantity, line=line)
        for (line, v), p in zip(present, products, strict=True)
        if p is not None
    ]
    return price(items, coupon, currency=cart.currency, now=datetime.now(UTC))


async def cart_items(cart: Cart) -> list[LineItem]:
    """The cart's lines with their variants and products, read fresh (for writes)."""
    lines = await CartLine.filter(cart_id=cart.id).order_by("id")
    variants = {v.id: v for v in await Variant.filter(id__in=[ln.variant_id for ln in lines])}
    product_ids = {v.product_id for v in variants.values()}
    products = {p.id: p for p in await Product.filter(id__in=product_ids)}
    return [
        LineItem(
            variant=variants[line.variant_id],
            product=products[variants[line.variant_id].product_id],
            quantity=line.quantity,
            line=line,
        )
        for line in lines
        if line.variant_id in variants
    ]


async def redemptions_by(coupon_id: int, user_id: int) -> int:
    """How often the user has used the coupon, on orders that were not cancelled or refunded."""
    return (
        await CouponRedemption.filter(coupon_id=coupon_id, user_id=user_id)
        .exclude(order__status__in=RELEASED_STATUSES)
        .count()
    )
