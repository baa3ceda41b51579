"""Demo coupons and orders in every state, placed through the real checkout path."""

from __future__ import annotations

import contextlib
import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from models.accounts import User
from models.attribution import SourceType
from models.carts import Cart, CartLine, Coupon, CouponKind
from models.catalog import Merchant, Product, ProductStatus, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus, RefundStatus
from resolvers.carts import (
    Attribution,
    CouponNotApplicable,
    InsufficientStock,
    ProductUnavailable,
    redemptions_by,
)
from resolvers.errors import InvalidInput

# This package's own functions, from their modules (its __init__ imports this one).
from resolvers.orders.lifecycle import expire_unpaid_orders, refund_paid_order
from resolvers.orders.placing import place_order
from resolvers.orders.refunds import MAX_REFUND_ATTEMPTS
from resolvers.orders.status import status_from_lines

DEMO_ADDRESS = {
    "name": "Demo Shopper",
    "line1": "1 Market Street",
    "line2": "",
    "city": "Springfield",
    "region": "",
    "postal_code": "12345",
    "country": "US",
    "phone": "",
}


async def _demo_order(
    buyer: User,
    items: Sequence[tuple[Variant, int]],
    *,
    attribution: Attribution | None = None,
    coupon: Coupon | None = None,
    payment: str = "tok_ok",
) -> Order | None:
    """An order placed through the real checkout path (stock, snapshots, coupon, payment)."""
    product = await Product.get(id=items[0][0].product_id)
    if coupon is not None and await redemptions_by(coupon.id, buyer.id) >= coupon.max_uses_per_user:
        coupon = None
    cart = await Cart.create(
        user_id=buyer.id, currency=product.currency, coupon_id=coupon.id if coupon else None
    )
    for variant, quantity in items:
        columns = attribution.columns() if attribution else {}
        await CartLine.create(cart_id=cart.id, variant_id=variant.id, quantity=quantity, **columns)
    try:
        return await _checkout(buyer, cart, payment)
    except (InsufficientStock, ProductUnavailable, InvalidInput):
        await cart.delete()
        return None


async def _checkout(buyer: User, cart: Cart, payment: str) -> Order:
    key = f"demo-{cart.id}"
    try:
        placed = await place_order(
            buyer, cart, key=key, address=DEMO_ADDRESS, payment_token=payment
        )
    except CouponNotApplicable:  # e.g. below its minimum: the demo buyer goes without
        await Cart.filter(id=cart.id).update(coupon_id=None)
        cart.coupon_id = None
        placed = await place_order(
            buyer, cart, key=key, address=DEMO_ADDRESS, payment_token=payment
        )
    return await Order.get(id=placed.order.id)


async def _demo_fulfil(order: Order, line_status: LineStatus, *, complete: bool = False) -> None:
    now = datetime.now(UTC)
    changes: dict[str, Any] = {"status": line_status, "shipped_at": now - timedelta(days=3)}
    changes.update(carrier="UPS", tracking_number=f"1ZDEMO{order.id:08d}")
    if line_status is LineStatus.DELIVERED:
        changes["delivered_at"] = now - timedelta(days=1)
    await OrderLine.filter(order_id=order.id).update(**changes)
    status = status_from_lines(order.status, [line_status])
    if complete:
        status = OrderStatus.COMPLETED
    await Order.filter(id=order.id).update(status=status, updated_at=now)


async def _demo_coupon(code: str, **fields: Any) -> Coupon:
    coupon, _ = await Coupon.get_or_create(code=code, defaults=fields)
    return coupon


async def seed_commerce_demo() -> None:
    """Demo coupons and orders in every state, attributed to chef_ana and trail_tom.

    Needs the demo users (resolvers/seed.py) and active demo products with stock; without
    products it does nothing. Idempotent: does nothing once any order exists.
    """
    if await Order.exists():
        return
    handles = ["chef_ana", "trail_tom", *(f"shopper_{n}" for n in range(1, 7))]
    users = {user.handle: user for user in await User.filter(handle__in=handles)}
    shoppers = [users[handle] for handle in handles[2:] if handle in users]
    ana, tom = users.get("chef_ana"), users.get("trail_tom")
    if not shoppers:
        return
    variants = (
        await Variant.filter(stock__gte=10, product__status=ProductStatus.ACTIVE)
        .order_by("product_id", "position")
        .limit(40)
    )
    by_merchant: defaultdict[int, list[Variant]] = defaultdict(list)
    products = {p.id: p for p in await Product.filter(id__in={v.product_id for v in variants})}
    for variant in variants:
        by_merchant[products[variant.product_id].merchant_id].append(variant)
    if not by_merchant:
        return
    merchants = {m.id: m for m in await Merchant.filter(id__in=list(by_merchant))}
    coupons: dict[int, Coupon] = {}
    for merchant_id, found in sorted(by_merchant.items())[:3]:
        prefix = re.sub(r"[^A-Z0-9]", "", merchants[merchant_id].slug.upper())[:20]
        common = {"currency": products[found[0].product_id].currency, "merchant_id": merchant_id}
        coupons[merchant_id] = await _demo_coupon(
            f"{prefix}-WELCOME", kind=CouponKind.FIXED, amount=500, **common
        )
        await _demo_coupon(
            f"{prefix}-SPEND50",
            kind=CouponKind.THRESHOLD,
            amount=800,
            min_subtotal=5000,
            max_uses_per_user=3,
            **common,
        )
        await _demo_coupon(
            f"{prefix}-10PCT",
            kind=CouponKind.PERCENT,
            amount=10,
            product_id=found[0].product_id,
            max_uses=100,
            ends_at=datetime.now(UTC) + timedelta(days=30),
            **common,
        )

    pools = [pool for _, pool in sorted(by_merchant.items())]

    def pick(n: int, count: int = 2) -> list[tuple[Variant, int]]:
        pool = pools[n % len(pools)]
        return [(pool[(n + i) % len(pool)], 1 + (i % 2)) for i in range(min(count, len(pool)))]

    def credit(n: int) -> Attribution | None:
        creator = ana if n % 2 == 0 else tom
        if creator is None:
            return None
        if n % 3 == 0:
            return Attribution(SourceType.CREATOR, creator.id, creator.id)
        return Attribution(SourceType.SHARE_LINK, None, creator.id, f"{creator.handle}-{n}")

    # Delivered (and some completed) orders: reviews need delivered lines.
    for n, shopper in enumerate(shoppers):
        order = await _demo_order(shopper, pick(n), attribution=credit(n))
        if order is not None and order.status is OrderStatus.PAID:
            await _demo_fulfil(order, LineStatus.DELIVERED, complete=n % 3 == 2)
    # One of each other state.
    states = [
        (LineStatus.SHIPPED, "tok_ok"),
        (None, "tok_ok"),  # paid, waiting for the merchant
        (None, "tok_declined"),  # pending payment, holding stock until it expires
        (None, "cancel"),
        (None, "refund"),  # paid, then refunded by the merchant: the money went back
        (None, "refund_fails"),  # refunded, but the provider never paid: for settleRefund
    ]
    for i, (line_status, payment) in enumerate(states):
        shopper = shoppers[i % len(shoppers)]
        n = len(shoppers) + i
        first_product = products[pools[n % len(pools)][0].product_id]
        coupon = coupons.get(first_product.merchant_id) if payment == "tok_ok" else None
        token = PAYMENT_TOKENS.get(payment, payment)
        order = await _demo_order(
            shopper,
            pick(n, 1),
            attribution=credit(n),
            coupon=coupon,
            payment=token,
        )
        if order is not None:
            await _demo_state(order, line_status, payment)


PAYMENT_TOKENS = {
    "cancel": "tok_declined",
    "refund": "tok_ok",
    "refund_fails": "tok_ok_refund_fails",
}


@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


async def _demo_state(order: Order, line_status: LineStatus | None, payment: str) -> None:
    """Move a freshly placed demo order on to the state its payment label stands for."""
    paid = order.status is OrderStatus.PAID
    if line_status is not None and paid:
        await _demo_fulfil(order, line_status)
    if payment == "refund" and paid:
        await refund_paid_order(order.id)
    if payment == "refund_fails" and paid:
        await _refund_refused(order)
    if payment == "cancel":  # expired unpaid: cancelled with its stock released
        await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(days=1))
        await expire_unpaid_orders()


async def _refund_refused(order: Order) -> None:
    """Refunded, and the provider refuses to pay it back: FAILED, for an admin to settle."""
    # The refusal is the point of this order: no warning about it at a new install's start.
    with _quiet(logging.getLogger("resolvers.orders.refunds")):
        await refund_paid_order(order.id)
    # The worker gives up after MAX_REFUND_ATTEMPTS rounds 5 minutes apart; record that
    # outcome now rather than make a new install wait (and log errors) for it.
    await Order.filter(id=order.id, refund_status=RefundStatus.PENDING).update(
        refund_status=RefundStatus.FAILED, refund_attempts=MAX_REFUND_ATTEMPTS
    )
