"""Checkout: placing an order from the buyer's cart in one short transaction, then charging it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import User
from models.carts import Cart, CartLine, CartStatus, Coupon
from models.catalog import Product, ProductStatus, Variant
from models.orders import CouponRedemption, Order, OrderLine, OrderStatus, PaymentAttempt
from resolvers import events
from resolvers.auth import require_scope
from resolvers.carts import (
    Attribution,
    CouponNotApplicable,
    CouponRejection,
    InsufficientStock,
    LineItem,
    PricedLine,
    Pricing,
    ProductUnavailable,
    coupon_window_issue,
    price,
    redemptions_by,
)
from resolvers.errors import InvalidInput, NotFound
from resolvers.orders.attempts import reconcile, start_attempt, unfinished_attempt
from resolvers.orders.errors import IdempotencyConflict
from resolvers.orders.payment import CheckoutResult, checkout_result, pay
from resolvers.payments import get_provider
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

PAYMENT_WINDOW = timedelta(minutes=30)  # unpaid orders hold their stock this long
SETTLE_WAIT_SECONDS = 15.0  # how long a duplicate checkout waits for the first one's payment
SETTLE_POLL_SECONDS = 0.05
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{8,255}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


ADDRESS_FIELDS = {
    "name": (1, 120),
    "line1": (1, 200),
    "line2": (0, 200),
    "city": (1, 100),
    "region": (0, 100),
    "postal_code": (1, 20),
    "country": (2, 2),
    "phone": (0, 40),
}
_CAMEL = {"postal_code": "postalCode"}


def check_address(address: dict[str, str | None]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, (low, high) in ADDRESS_FIELDS.items():
        value = " ".join((address.get(name) or "").split())
        if not low <= len(value) <= high:
            field = f"shippingAddress.{_CAMEL.get(name, name)}"
            need = "is required" if low and not value else f"is at most {high} characters"
            raise InvalidInput(field, f"`{_CAMEL.get(name, name)}` {need}.")
        cleaned[name] = value
    cleaned["country"] = cleaned["country"].upper()
    if not COUNTRY.match(cleaned["country"]):
        raise InvalidInput("shippingAddress.country", "A country is an ISO 3166 code like `DE`.")
    return cleaned


def request_hash(
    *,
    cart: Cart,
    lines: Sequence[CartLine],
    coupon: Coupon | None,
    address: dict[str, str],
    payment_token: str,
) -> str:
    """SHA-256 of a canonical JSON of what the checkout asks for: same input, same hash."""
    canonical = {
        "cart": cart.id,
        "lines": sorted(
            [
                line.variant_id,
                line.quantity,
                line.source_type.value if line.source_type else None,
                line.source_id,
                line.creator_id,
                line.share_code,
            ]
            for line in lines
        ),
        "coupon": coupon.code if coupon else None,
        "address": address,
        "payment": hashlib.sha256(payment_token.encode()).hexdigest(),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def checkout(
    ctx: Context,
    *,
    cart_id: int,
    idempotency_key: str,
    shipping_address: dict[str, str | None],
    payment_token: str,
) -> CheckoutResult:
    """Place an order from the buyer's cart and charge it.

    Same (buyer, key) and same input: the same order, as it stands (waiting for the first
    request's payment attempt to finish). Same key, different input: IdempotencyConflict.
    """
    user = require_scope(ctx, Scope.WRITE_ORDERS)
    key = idempotency_key.strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise InvalidInput("idempotencyKey", "An idempotency key is 8-255 printable characters.")
    address = check_address(shipping_address)
    if not 1 <= len(payment_token) <= 255:
        raise InvalidInput("paymentToken", "A payment token is 1-255 characters.")
    cart = await Cart.filter(id=cart_id).first()
    if cart is None or cart.user_id != user.id:
        raise NotFound("Cart")
    lines = await CartLine.filter(cart_id=cart.id).order_by("id")
    coupon = await Coupon.filter(id=cart.coupon_id).first() if cart.coupon_id else None
    digest = request_hash(
        cart=cart, lines=lines, coupon=coupon, address=address, payment_token=payment_token
    )
    existing = await Order.filter(buyer_id=user.id, idempotency_key=key).first()
    if existing is not None:
        return await _replay(existing, digest)
    if cart.status is not CartStatus.OPEN:
        raise InvalidInput("cartId", "This cart has been checked out.")
    if not lines:
        raise InvalidInput("cartId", "The cart is empty.")
    items = await _checked_items(cart, lines)
    pricing = price(items, coupon, currency=cart.currency, now=datetime.now(UTC))
    if pricing.coupon_issue is not None:
        raise CouponNotApplicable(pricing.coupon_issue)
    try:
        order, attempt = await _place_order(
            user=user, cart=cart, key=key, digest=digest, address=address, pricing=pricing
        )
    except IntegrityError:
        # Lost the race for this (buyer, key): our transaction rolled back; answer as the winner.
        winner = await Order.filter(buyer_id=user.id, idempotency_key=key).first()
        if winner is None:
            raise
        return await _replay(winner, digest)
    return await pay(order, attempt, payment_token)


async def place_order(
    user: User, cart: Cart, *, key: str, address: dict[str, str], payment_token: str
) -> CheckoutResult:
    """Checkout for a trusted caller without a request (demo data): the same stock, status,
    coupon and payment path as `checkout`, but no scope check, no input checks and no replay,
    so the caller passes a checked address and a key never used by this buyer."""
    lines = await CartLine.filter(cart_id=cart.id).order_by("id")
    coupon = await Coupon.filter(id=cart.coupon_id).first() if cart.coupon_id else None
    items = await _checked_items(cart, lines)
    pricing = price(items, coupon, currency=cart.currency, now=datetime.now(UTC))
    if pricing.coupon_issue is not None:
        raise CouponNotApplicable(pricing.coupon_issue)
    digest = request_hash(
        cart=cart, lines=lines, coupon=coupon, address=address, payment_token=payment_token
    )
    order, attempt = await _place_order(
        user=user, cart=cart, key=key, digest=digest, address=address, pricing=pricing
    )
    return await pay(order, attempt, payment_token)


async def _checked_items(cart: Cart, lines: Sequence[CartLine]) -> list[LineItem]:
    variants = {v.id: v for v in await Variant.filter(id__in=[ln.variant_id for ln in lines])}
    products = {
        p.id: p for p in await Product.filter(id__in={v.product_id for v in variants.values()})
    }
    items = []
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is None:  # deleted just now (its cart lines go with it)
            raise ProductUnavailable(line.variant_id)
        product = products[variant.product_id]
        item = LineItem(variant=variant, product=product, quantity=line.quantity, line=line)
        if product.status is not ProductStatus.ACTIVE:
            raise ProductUnavailable(variant.id)
        if product.currency != cart.currency:
            raise InvalidInput("cartId", "The cart mixes currencies; remove the odd item.")
        if line.quantity > variant.stock:  # early answer; the conditional UPDATE decides
            raise InsufficientStock(variant.id, variant.stock)
        items.append(item)
    return items


async def _place_order(
    *,
    user: User,
    cart: Cart,
    key: str,
    digest: str,
    address: dict[str, str],
    pricing: Pricing,
) -> tuple[Order, PaymentAttempt | None]:
    """The order, and its first payment attempt (None when there is nothing to charge)."""
    now = datetime.now(UTC)
    provider = get_provider()
    async with in_transaction():
        order = await Order.create(
            buyer_id=user.id,
            status=OrderStatus.PENDING_PAYMENT,
            currency=pricing.currency,
            subtotal=pricing.subtotal,
            discount=pricing.discount,
            total=pricing.total,
            coupon_id=pricing.coupon.id if pricing.coupon else None,
            idempotency_key=key,
            request_hash=digest,
            shipping_address=address,
            payment_provider=provider.name,
            payment_reference="",  # an attempt is in flight from birth
            expires_at=now + PAYMENT_WINDOW,
        )
        # Recorded with the order, before any call to the provider, so a capture whose answer
        # is lost afterwards can still be found by the attempt's key (attempts.py).
        attempt = await start_attempt(order, provider.name) if pricing.total > 0 else None
        taken = await Cart.filter(id=cart.id, status=CartStatus.OPEN).update(
            status=CartStatus.CHECKED_OUT, updated_at=now
        )
        if not taken:
            raise InvalidInput("cartId", "This cart has been checked out.")
        if pricing.coupon is not None:
            await _redeem(pricing.coupon, user_id=user.id, order_id=order.id, now=now)
        units: defaultdict[int, int] = defaultdict(int)
        for priced in sorted(pricing.lines, key=lambda p: p.item.variant.id):
            variant = priced.item.variant
            taken = await Variant.filter(id=variant.id, stock__gte=priced.item.quantity).update(
                stock=F("stock") - priced.item.quantity
            )
            if not taken:
                now_in_stock = await Variant.filter(id=variant.id).first()
                raise InsufficientStock(variant.id, now_in_stock.stock if now_in_stock else 0)
            units[variant.product_id] += priced.item.quantity
        for product_id in sorted(units):
            await Product.filter(id=product_id).update(
                total_stock=F("total_stock") - units[product_id]
            )
        await OrderLine.bulk_create([_order_line(order, priced) for priced in pricing.lines])
        await events.stock_moved({product_id: -units[product_id] for product_id in units})
        await events.order_event("order.created", order.id)
    return order, attempt


def _order_line(order: Order, priced: PricedLine) -> OrderLine:
    item = priced.item
    columns = Attribution.of(item.line).columns() if item.line is not None else {}
    return OrderLine(
        order_id=order.id,
        merchant_id=item.product.merchant_id,
        variant_id=item.variant.id,
        product_id=item.product.id,
        product_title=item.product.title,
        variant_title=item.variant.title,
        sku=item.variant.sku,
        unit_price=priced.unit_price,
        quantity=item.quantity,
        discount=priced.discount,
        total=priced.total,
        **columns,
    )


async def _redeem(coupon: Coupon, *, user_id: int, order_id: int, now: datetime) -> None:
    """Re-validate the coupon under its row lock, count the use and record the redemption."""
    locked = await Coupon.select_for_update().get(id=coupon.id)
    issue = coupon_window_issue(locked, now)
    if issue is not None:
        raise CouponNotApplicable(issue)
    if await redemptions_by(locked.id, user_id) >= locked.max_uses_per_user:
        raise CouponNotApplicable(CouponRejection.USER_LIMIT)
    await Coupon.filter(id=locked.id).update(uses=F("uses") + 1)
    await CouponRedemption.create(coupon_id=locked.id, user_id=user_id, order_id=order_id)


async def _replay(order: Order, digest: str) -> CheckoutResult:
    if order.request_hash != digest:
        raise IdempotencyConflict(order.idempotency_key)
    return checkout_result(await _settled(order))


async def _settled(order: Order) -> Order:
    """The order once its in-flight payment attempt (if any) has finished, or after a while.

    The provider is asked first, by the attempt's key: the first request may be gone (or its
    database was, just after the capture), and a capture it made is then recorded now instead
    of this retry answering PENDING_PAYMENT and payOrder charging again later.
    """
    attempt = await unfinished_attempt(order.id)
    if attempt is not None and order.status is OrderStatus.PENDING_PAYMENT:
        await reconcile(attempt)
        order = await Order.get(id=order.id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_WAIT_SECONDS
    while _in_flight(order) and loop.time() < deadline:
        await asyncio.sleep(SETTLE_POLL_SECONDS)
        order = await Order.get(id=order.id)
    attempt = await unfinished_attempt(order.id) if _in_flight(order) else None
    if attempt is not None:  # still open after the wait: its request may have died meanwhile
        await reconcile(attempt)
        order = await Order.get(id=order.id)
    return order


def _in_flight(order: Order) -> bool:
    return order.status is OrderStatus.PENDING_PAYMENT and order.payment_reference == ""
