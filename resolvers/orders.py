"""Checkout, orders and their lifecycle, stock reservation and release, attribution totals.

Checkout turns the buyer's cart into an order in one short transaction: the order row (whose
unique (buyer, idempotency key) decides concurrent duplicates), the cart marked CHECKED_OUT,
the coupon redemption, a conditional decrement per variant (`stock >= n`, so stock never goes
below zero) and the order lines with snapshots of titles, SKU and prices. Payment runs after
the commit, through the payment provider, never inside a transaction.

Locks are always taken in one order — order, cart, coupon, variants (by id), products (by id) —
so concurrent checkouts, cancellations and expiries cannot deadlock.

Payment state lives on the order: `payment_reference` is "" while an attempt is in flight,
"declined:<code>" after a declined attempt, the provider's charge reference once PAID.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.attribution import SourceType
from models.carts import Cart, CartLine, CartStatus, Coupon, CouponKind
from models.catalog import Merchant, MerchantStaff, Product, ProductStatus, Variant
from models.orders import CouponRedemption, LineStatus, Order, OrderLine, OrderStatus
from resolvers.auth import require_scope, require_user
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
from resolvers.errors import (
    BadUserInput,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from resolvers.loading import forget
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.payments import Charge, PaymentUnavailable, get_provider
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

PAYMENT_WINDOW = timedelta(minutes=30)  # unpaid orders hold their stock this long
PAYMENT_STALE_AFTER = timedelta(minutes=2)  # an attempt in flight longer is presumed dead
SETTLE_WAIT_SECONDS = 15.0  # how long a duplicate checkout waits for the first one's payment
SETTLE_POLL_SECONDS = 0.05
DECLINED = "declined:"
FREE = "free"
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{8,255}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_LINE_IDS = 100
SOLD_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


# ---- errors -----------------------------------------------------------------------------------


class IdempotencyConflict(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(
            "This idempotency key was already used for a different checkout. "
            "Use a new key for a new order."
        )
        self.key = key


class OrderStateConflict(DomainError):
    """The order's status does not allow this step (e.g. cancelling a shipped order)."""

    def __init__(self, status: OrderStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


# ---- who sees an order ------------------------------------------------------------------------


async def load_managed_merchant_ids(user_ids: list[int]) -> list[frozenset[int]]:
    """The merchants each user owns or staffs (DataLoader batch function)."""
    owned = await Merchant.filter(owner_id__in=user_ids).values_list("owner_id", "id")
    staffed = await MerchantStaff.filter(user_id__in=user_ids).values_list("user_id", "merchant_id")
    found: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, merchant_id in [*owned, *staffed]:
        found[int(user_id)].add(int(merchant_id))
    return [frozenset(found[user_id]) for user_id in user_ids]


def managed_merchants_loader() -> DataLoader[int, frozenset[int]]:
    return DataLoader(load_fn=load_managed_merchant_ids)


@dataclass(frozen=True, slots=True)
class OrderAccess:
    order: Order
    is_buyer: bool
    is_admin: bool
    merchant_ids: frozenset[int]  # merchants of the order's lines that the viewer manages

    @property
    def sees_everything(self) -> bool:
        return self.is_buyer or self.is_admin

    @property
    def visible_merchants(self) -> frozenset[int] | None:
        """None: every line; else only lines of these merchants."""
        return None if self.sees_everything else self.merchant_ids

    def manages(self, merchant_id: int) -> bool:
        return self.is_admin or merchant_id in self.merchant_ids


async def order_access(ctx: Context, order: Order | None) -> OrderAccess | None:
    """How the caller relates to the order; None when they may not see it at all."""
    user = ctx.principal.user
    if order is None or user is None:
        return None
    is_admin = user.role is Role.ADMIN
    managed = await ctx.loaders.managed_merchants_by_user.load(user.id)
    lines = await ctx.loaders.lines_by_order.load(order.id)
    mine = frozenset(line.merchant_id for line in lines) & managed
    if order.buyer_id != user.id and not is_admin and not mine:
        return None
    return OrderAccess(
        order=order, is_buyer=order.buyer_id == user.id, is_admin=is_admin, merchant_ids=mine
    )


async def visible_order(ctx: Context, order_id: int) -> OrderAccess | None:
    """For order(id) and node(id). Apps need read:orders (node: null without it)."""
    if ctx.principal.user is None or Scope.READ_ORDERS not in ctx.principal.scopes:
        return None
    return await order_access(ctx, await ctx.loaders.order_by_id.load(order_id))


def merchant_actor(ctx: Context) -> User:
    """Merchant work (fulfilment, refunds): staff membership decides for people, whatever their
    role (as in the catalog); apps additionally need write:commerce."""
    if ctx.principal.is_app:
        return require_scope(ctx, Scope.WRITE_COMMERCE)
    return require_user(ctx)


async def _order_for(ctx: Context, order_id: int, scope: Scope | None) -> OrderAccess:
    """The order the caller acts on: `scope` for buyers' steps, None for merchants' steps."""
    if scope is None:
        merchant_actor(ctx)
    else:
        require_scope(ctx, scope)
    access = await order_access(ctx, await ctx.loaders.order_by_id.load(order_id))
    if access is None:
        raise NotFound("Order")
    return access


def _forget_order(ctx: Context, order_id: int) -> None:
    forget(ctx.loaders.order_by_id, order_id)
    forget(ctx.loaders.lines_by_order, order_id)


# ---- checkout ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    """The order, and the decline code when its payment was declined (it stays unpaid)."""

    order: Order
    decline_code: str | None = None


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
        order = await _place_order(
            user=user, cart=cart, key=key, digest=digest, address=address, pricing=pricing
        )
    except IntegrityError:
        # Lost the race for this (buyer, key): our transaction rolled back; answer as the winner.
        winner = await Order.filter(buyer_id=user.id, idempotency_key=key).first()
        if winner is None:
            raise
        return await _replay(winner, digest)
    return await _pay(order, payment_token)


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
) -> Order:
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
    return order


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
    return _result(await _settled(order))


async def _settled(order: Order) -> Order:
    """The order once its in-flight payment attempt (if any) has finished, or after a while."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_WAIT_SECONDS
    while _in_flight(order) and loop.time() < deadline:
        await asyncio.sleep(SETTLE_POLL_SECONDS)
        order = await Order.get(id=order.id)
    return order


def _in_flight(order: Order) -> bool:
    return order.status is OrderStatus.PENDING_PAYMENT and order.payment_reference == ""


def _result(order: Order) -> CheckoutResult:
    declined = order.status is OrderStatus.PENDING_PAYMENT and order.payment_reference.startswith(
        DECLINED
    )
    code = order.payment_reference[len(DECLINED) :] if declined else None
    return CheckoutResult(order=order, decline_code=code)


# ---- payment ----------------------------------------------------------------------------------


async def _pay(order: Order, payment_token: str) -> CheckoutResult:
    """Charge an order whose payment attempt this request holds (payment_reference == "")."""
    provider = get_provider(order.payment_provider)
    charge: Charge
    if order.total == 0:
        charge = Charge(approved=True, reference=FREE)
    else:
        try:
            charge = await provider.authorize(
                amount=order.total,
                currency=order.currency,
                token=payment_token,
                idempotency_key=f"order-{order.id}-{secrets.token_hex(6)}",
            )
            if charge.approved:
                charge = await provider.capture(reference=charge.reference, amount=order.total)
        except PaymentUnavailable:
            log.warning("payment provider %s unavailable for order %s", provider.name, order.id)
            charge = Charge(approved=False, decline_code="provider_unavailable")
        except Exception:  # a broken adapter must not leave the attempt in flight forever
            log.exception("payment provider %s failed for order %s", provider.name, order.id)
            charge = Charge(approved=False, decline_code="provider_error")
    now = datetime.now(UTC)
    if not charge.approved:
        await Order.filter(
            id=order.id, status=OrderStatus.PENDING_PAYMENT, payment_reference=""
        ).update(payment_reference=DECLINED + (charge.decline_code or "declined"), updated_at=now)
        return _result(await Order.get(id=order.id))
    async with in_transaction():
        paid = await Order.filter(id=order.id, status=OrderStatus.PENDING_PAYMENT).update(
            status=OrderStatus.PAID, paid_at=now, payment_reference=charge.reference, updated_at=now
        )
        if paid:
            await _count_sold(order.id, sign=+1)
    if not paid:
        # Cancelled or expired while the payment ran: give the money back at once.
        await _refund(provider.name, charge.reference, order.total, order.id)
        current = await Order.get(id=order.id)
        raise OrderStateConflict(
            current.status, "The order was cancelled before its payment completed; refunded."
        )
    return _result(await Order.get(id=order.id))


async def _count_sold(order_id: int, *, sign: int) -> None:
    rows = await OrderLine.filter(order_id=order_id).values_list("product_id", "quantity")
    units: defaultdict[int, int] = defaultdict(int)
    for product_id, quantity in rows:
        units[int(product_id)] += int(quantity)
    for product_id in sorted(units):
        await Product.filter(id=product_id).update(
            units_sold=F("units_sold") + sign * units[product_id]
        )


async def _refund(provider_name: str, reference: str, amount: int, order_id: int) -> None:
    if not reference or reference == FREE or reference.startswith(DECLINED) or amount <= 0:
        return
    try:
        await get_provider(provider_name).refund(reference=reference, amount=amount)
    except PaymentUnavailable:
        # The order is already REFUNDED; the money must still go back: an operator's job.
        log.error("refund of order %s (%s) failed; refund it by hand", order_id, reference)


async def pay_order(ctx: Context, *, order_id: int, payment_token: str) -> CheckoutResult:
    """Retry the payment of the buyer's unpaid order (after a decline)."""
    access = await _order_for(ctx, order_id, Scope.WRITE_ORDERS)
    if not access.is_buyer:
        raise PermissionDenied("Only the buyer can pay for this order.")
    if not 1 <= len(payment_token) <= 255:
        raise InvalidInput("paymentToken", "A payment token is 1-255 characters.")
    order = await Order.get(id=order_id)
    now = datetime.now(UTC)
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise OrderStateConflict(order.status, f"This order is {order.status.value}, not unpaid.")
    if order.expires_at is not None and order.expires_at <= now:
        raise OrderStateConflict(order.status, "This order expired; its items were released.")
    claimed = await Order.filter(
        Q(payment_reference__startswith=DECLINED)
        | Q(payment_reference="", updated_at__lt=now - PAYMENT_STALE_AFTER),
        id=order.id,
        status=OrderStatus.PENDING_PAYMENT,
        expires_at__gt=now,
    ).update(payment_reference="", payment_provider=get_provider().name, updated_at=now)
    if not claimed:
        raise OrderStateConflict(order.status, "A payment for this order is already under way.")
    _forget_order(ctx, order.id)
    return await _pay(await Order.get(id=order.id), payment_token)


# ---- lifecycle --------------------------------------------------------------------------------


async def _give_back(order: Order, lines: Sequence[OrderLine], *, restock: bool) -> None:
    """Inside the transaction that moved the order to CANCELLED or REFUNDED: coupon, stock."""
    if order.coupon_id is not None:
        await Coupon.filter(id=order.coupon_id, uses__gt=0).update(uses=F("uses") - 1)
    if not restock:
        return
    by_variant: defaultdict[int, int] = defaultdict(int)
    by_product: defaultdict[int, int] = defaultdict(int)
    for line in lines:
        if line.variant_id is not None:  # a deleted variant has nowhere to go back to
            by_variant[line.variant_id] += line.quantity
            by_product[line.product_id] += line.quantity
    for variant_id in sorted(by_variant):
        await Variant.filter(id=variant_id).update(stock=F("stock") + by_variant[variant_id])
    for product_id in sorted(by_product):
        await Product.filter(id=product_id).update(
            total_stock=F("total_stock") + by_product[product_id]
        )


async def cancel_order(ctx: Context, *, order_id: int) -> Order:
    """Buyer or admin, before anything shipped: unpaid -> CANCELLED, paid -> REFUNDED."""
    access = await _order_for(ctx, order_id, Scope.WRITE_ORDERS)
    if not access.sees_everything:
        raise PermissionDenied("Only the buyer or an admin can cancel this order.")
    now = datetime.now(UTC)
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        lines = await OrderLine.filter(order_id=order_id)
        shipped = any(line.status is not LineStatus.UNFULFILLED for line in lines)
        if order.status is OrderStatus.PENDING_PAYMENT:
            status = OrderStatus.CANCELLED
        elif order.status is OrderStatus.PAID and not shipped:
            status = OrderStatus.REFUNDED
        else:
            raise OrderStateConflict(
                order.status, "Only orders that have not shipped yet can be cancelled."
            )
        await Order.filter(id=order_id).update(status=status, cancelled_at=now, updated_at=now)
        await _give_back(order, lines, restock=True)
        if status is OrderStatus.REFUNDED:
            await _count_sold(order_id, sign=-1)
    if status is OrderStatus.REFUNDED:
        await _refund(order.payment_provider, order.payment_reference, order.total, order_id)
    _forget_order(ctx, order_id)
    return await Order.get(id=order_id)


async def refund_order(ctx: Context, *, order_id: int) -> Order:
    """Admin, or the merchant of every line: a paid order -> REFUNDED (restock if unshipped)."""
    access = await _order_for(ctx, order_id, None)
    lines = await ctx.loaders.lines_by_order.load(order_id)
    if not access.is_admin and not all(access.manages(line.merchant_id) for line in lines):
        raise PermissionDenied("Only an admin or the merchant of every line can refund it.")
    now = datetime.now(UTC)
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        if order.status not in SOLD_STATUSES:
            raise OrderStateConflict(order.status, "Only paid orders can be refunded.")
        fresh = await OrderLine.filter(order_id=order_id)
        unshipped = all(line.status is LineStatus.UNFULFILLED for line in fresh)
        await Order.filter(id=order_id).update(status=OrderStatus.REFUNDED, updated_at=now)
        await _give_back(order, fresh, restock=unshipped)
        await _count_sold(order_id, sign=-1)
    await _refund(order.payment_provider, order.payment_reference, order.total, order_id)
    _forget_order(ctx, order_id)
    return await Order.get(id=order_id)


def status_from_lines(current: OrderStatus, statuses: Iterable[LineStatus]) -> OrderStatus:
    listed = list(statuses)
    if listed and all(s is LineStatus.DELIVERED for s in listed):
        return OrderStatus.DELIVERED
    if listed and all(s is not LineStatus.UNFULFILLED for s in listed):
        return OrderStatus.SHIPPED
    return current


def _check_line_ids(line_ids: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(line_ids))
    if not 1 <= len(unique) <= MAX_LINE_IDS:
        raise InvalidInput("lineIds", f"Name 1-{MAX_LINE_IDS} lines.")
    return unique


async def _fulfil(
    ctx: Context,
    *,
    order_id: int,
    line_ids: Sequence[int],
    before: LineStatus,
    after: LineStatus,
    changes: dict[str, Any],
) -> Order:
    access = await _order_for(ctx, order_id, None)
    wanted = _check_line_ids(line_ids)
    lines = {line.id: line for line in await ctx.loaders.lines_by_order.load(order_id)}
    if any(line_id not in lines for line_id in wanted):
        raise NotFound("OrderLine", "No such line in this order.")
    if not all(access.manages(lines[line_id].merchant_id) for line_id in wanted):
        raise PermissionDenied("You can only fulfil your own merchant's lines.")
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        if order.status not in (OrderStatus.PAID, OrderStatus.SHIPPED):
            raise OrderStateConflict(
                order.status, f"Lines of a {order.status.value} order cannot be {after.value}."
            )
        fresh = {line.id: line for line in await OrderLine.filter(order_id=order_id)}
        wrong = [fresh[line_id] for line_id in wanted if fresh[line_id].status is not before]
        if wrong:
            raise OrderStateConflict(
                order.status,
                f"Line {wrong[0].sku} is {wrong[0].status.value}; only {before.value} lines "
                f"can be marked {after.value}.",
            )
        await OrderLine.filter(id__in=wanted).update(status=after, **changes)
        statuses = [after if line_id in wanted else line.status for line_id, line in fresh.items()]
        status = status_from_lines(order.status, statuses)
        if status is not order.status:
            await Order.filter(id=order_id).update(status=status, updated_at=changes["updated_at"])
    _forget_order(ctx, order_id)
    return await Order.get(id=order_id)


async def ship_lines(
    ctx: Context, *, order_id: int, line_ids: Sequence[int], carrier: str, tracking_number: str
) -> Order:
    """The merchant (owner, staff; admin) ships its unfulfilled lines of a paid order."""
    carrier = " ".join(carrier.split())
    tracking_number = tracking_number.strip()
    if not 1 <= len(carrier) <= 60:
        raise InvalidInput("carrier", "A carrier is 1-60 characters.")
    if not 1 <= len(tracking_number) <= 80:
        raise InvalidInput("trackingNumber", "A tracking number is 1-80 characters.")
    now = datetime.now(UTC)
    return await _fulfil(
        ctx,
        order_id=order_id,
        line_ids=line_ids,
        before=LineStatus.UNFULFILLED,
        after=LineStatus.SHIPPED,
        changes={
            "carrier": carrier,
            "tracking_number": tracking_number,
            "shipped_at": now,
            "updated_at": now,
        },
    )


async def deliver_lines(ctx: Context, *, order_id: int, line_ids: Sequence[int]) -> Order:
    """The merchant marks its shipped lines delivered."""
    now = datetime.now(UTC)
    return await _fulfil(
        ctx,
        order_id=order_id,
        line_ids=line_ids,
        before=LineStatus.SHIPPED,
        after=LineStatus.DELIVERED,
        changes={"delivered_at": now, "updated_at": now},
    )


async def complete_order(ctx: Context, *, order_id: int) -> Order:
    """The buyer confirms a delivered order: DELIVERED -> COMPLETED."""
    access = await _order_for(ctx, order_id, Scope.WRITE_ORDERS)
    if not access.is_buyer:
        raise PermissionDenied("Only the buyer can complete this order.")
    done = await Order.filter(id=order_id, status=OrderStatus.DELIVERED).update(
        status=OrderStatus.COMPLETED, updated_at=datetime.now(UTC)
    )
    order = await Order.get(id=order_id)
    if not done:
        raise OrderStateConflict(order.status, "Only delivered orders can be completed.")
    _forget_order(ctx, order_id)
    return order


async def expire_unpaid_orders(now: datetime | None = None) -> int:
    """Cancel unpaid orders past their expiry and put their stock back (each exactly once)."""
    now = now or datetime.now(UTC)
    expired = 0
    while True:
        batch = (
            await Order.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now)
            .order_by("id")
            .limit(200)
            .values_list("id", flat=True)
        )
        if not batch:
            return expired
        for order_id in batch:
            async with in_transaction():
                # The conditional status change is the guard: a concurrent cancel or a second
                # worker finds nothing to change and releases nothing.
                changed = await Order.filter(
                    id=order_id, status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now
                ).update(status=OrderStatus.CANCELLED, cancelled_at=now, updated_at=now)
                if changed:
                    order = await Order.get(id=order_id)
                    await _give_back(order, await OrderLine.filter(order_id=order_id), restock=True)
            expired += changed


# ---- reading ----------------------------------------------------------------------------------


async def buyer_orders(ctx: Context, *, status: OrderStatus | None, args: PageArgs) -> Page[Order]:
    user = require_scope(ctx, Scope.READ_ORDERS)
    query = Order.filter(buyer_id=user.id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate_query(query, args)


async def merchant_orders(
    ctx: Context, *, merchant_id: int, status: OrderStatus | None, args: PageArgs
) -> Page[Order]:
    """Orders with lines of this merchant, for its owner, staff and admins."""
    user = require_scope(ctx, Scope.READ_ORDERS)
    managed = await ctx.loaders.managed_merchants_by_user.load(user.id)
    if user.role is not Role.ADMIN and merchant_id not in managed:
        raise Forbidden("Only this merchant's owner, staff or an admin can see its orders.")
    query = Order.filter(
        id__in=Subquery(OrderLine.filter(merchant_id=merchant_id).values("order_id"))
    )
    if status is not None:
        query = query.filter(status=status)
    return await paginate_query(query, args)


# ---- attribution ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributionTotals:
    orders: int
    units: int
    gmv: list[tuple[int, str]]  # (amount, currency), one per currency


async def _totals(**filters: Any) -> AttributionTotals:
    """One aggregate query over attributed lines of paid, not refunded orders."""
    rows = (
        await OrderLine.filter(order__status__in=SOLD_STATUSES, **filters)
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"), gmv=Sum("total"))
        .group_by("order__currency")
        .order_by("order__currency")
        .values("order__currency", "orders", "units", "gmv")
    )
    return AttributionTotals(
        orders=sum(int(row["orders"]) for row in rows),
        units=sum(int(row["units"] or 0) for row in rows),
        gmv=[(int(row["gmv"] or 0), str(row["order__currency"])) for row in rows],
    )


async def creator_attribution(ctx: Context, *, creator_id: int) -> AttributionTotals:
    """Orders, units and GMV attributed to a creator: for the creator themself and admins."""
    user = require_scope(ctx, Scope.READ_ANALYTICS)
    if user.id != creator_id and user.role is not Role.ADMIN:
        raise Forbidden("Only the creator or an admin can see a creator's attribution.")
    return await _totals(creator_id=creator_id)


async def content_attribution(
    ctx: Context, *, source_type: SourceType, source_id: int | None, share_code: str | None
) -> AttributionTotals:
    """Totals for one piece of content (or share code). Admins see every line attributed to it;
    anyone else (with read:analytics) only the lines that name them as the creator."""
    user = require_scope(ctx, Scope.READ_ANALYTICS)
    filters: dict[str, Any] = {}
    if source_type is SourceType.SHARE_LINK:
        if not share_code:
            raise BadUserInput("Give the share code.", argument="shareCode")
        filters["share_code"] = share_code.strip()
    else:
        if source_id is None:
            raise BadUserInput("Give the source's id.", argument="sourceId")
        filters.update(source_type=source_type, source_id=source_id)
    if user.role is not Role.ADMIN:
        filters["creator_id"] = user.id
    return await _totals(**filters)


# ---- demo data --------------------------------------------------------------------------------

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
    cart = await Cart.create(
        user_id=buyer.id, currency=product.currency, coupon_id=coupon.id if coupon else None
    )
    for variant, quantity in items:
        columns = attribution.columns() if attribution else {}
        await CartLine.create(cart_id=cart.id, variant_id=variant.id, quantity=quantity, **columns)
    lines = await CartLine.filter(cart_id=cart.id)
    try:
        checked = await _checked_items(cart, lines)
    except (InsufficientStock, ProductUnavailable, InvalidInput):
        await cart.delete()
        return None
    if coupon is not None and await redemptions_by(coupon.id, buyer.id) >= coupon.max_uses_per_user:
        coupon = None
    pricing = price(checked, coupon, currency=cart.currency, now=datetime.now(UTC))
    if pricing.coupon_issue is not None:
        pricing = price(checked, None, currency=cart.currency, now=datetime.now(UTC))
    digest = request_hash(
        cart=cart, lines=lines, coupon=pricing.coupon, address=DEMO_ADDRESS, payment_token=payment
    )
    order = await _place_order(
        user=buyer,
        cart=cart,
        key=f"demo-{cart.id}",
        digest=digest,
        address=DEMO_ADDRESS,
        pricing=pricing,
    )
    await _pay(order, payment)
    return await Order.get(id=order.id)


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
    ]
    for i, (line_status, payment) in enumerate(states):
        shopper = shoppers[i % len(shoppers)]
        n = len(shoppers) + i
        first_product = products[pools[n % len(pools)][0].product_id]
        coupon = coupons.get(first_product.merchant_id) if payment == "tok_ok" else None
        order = await _demo_order(
            shopper,
            pick(n, 1),
            attribution=credit(n),
            coupon=coupon,
            payment="tok_declined" if payment == "cancel" else payment,
        )
        if order is None:
            continue
        if line_status is not None and order.status is OrderStatus.PAID:
            await _demo_fulfil(order, line_status)
        if payment == "cancel":  # expired unpaid: cancelled with its stock released
            await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(days=1))
            await expire_unpaid_orders()
