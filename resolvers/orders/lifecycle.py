"""After payment: cancelling, refunding, shipping, delivering, completing, expiring unpaid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.carts import Coupon
from models.catalog import Product, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus, PaymentAttempt, RefundStatus
from resolvers import events
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.orders.access import forget_order, order_for
from resolvers.orders.attempts import (
    UNFINISHED,
    count_sold,
    reconcile,
    reconcile_payment_attempts,
    unfinished_attempt,
)
from resolvers.orders.errors import OrderStateConflict
from resolvers.orders.loaders import lines_by_order
from resolvers.orders.refunds import attempt_refund, refund_status_for
from resolvers.orders.status import SOLD_STATUSES, status_from_lines
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

MAX_LINE_IDS = 100


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
    await events.stock_moved(by_product)


async def cancel_order(ctx: Context, *, order_id: int) -> Order:
    """Buyer or admin, before anything shipped: unpaid -> CANCELLED, paid -> REFUNDED."""
    access = await order_for(ctx, order_id, Scope.WRITE_ORDERS)
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
        refund = refund_status_for(order) if status is OrderStatus.REFUNDED else RefundStatus.NONE
        await Order.filter(id=order_id).update(
            status=status, cancelled_at=now, refund_status=refund, updated_at=now
        )
        await _give_back(order, lines, restock=True)
        if status is OrderStatus.REFUNDED:
            await count_sold(order_id, sign=-1)
        await events.order_event(f"order.{status.value}", order_id)
    await attempt_refund(order_id)
    forget_order(ctx, order_id)
    return await Order.get(id=order_id)


async def refund_order(ctx: Context, *, order_id: int) -> Order:
    """Admin, or the merchant of every line: a paid order -> REFUNDED (restock if unshipped)."""
    access = await order_for(ctx, order_id, None)
    lines = await ctx.loaders[lines_by_order].load(order_id)
    if not access.is_admin and not all(access.manages(line.merchant_id) for line in lines):
        raise PermissionDenied("Only an admin or the merchant of every line can refund it.")
    await refund_paid_order(order_id)
    forget_order(ctx, order_id)
    return await Order.get(id=order_id)


async def refund_paid_order(order_id: int) -> None:
    """A paid order -> REFUNDED, with no permission check: for refund_order and demo data."""
    now = datetime.now(UTC)
    async with in_transaction():
        order = await Order.select_for_update().get(id=order_id)
        if order.status not in SOLD_STATUSES:
            raise OrderStateConflict(order.status, "Only paid orders can be refunded.")
        fresh = await OrderLine.filter(order_id=order_id)
        unshipped = all(line.status is LineStatus.UNFULFILLED for line in fresh)
        await Order.filter(id=order_id).update(
            status=OrderStatus.REFUNDED, refund_status=refund_status_for(order), updated_at=now
        )
        await _give_back(order, fresh, restock=unshipped)
        await count_sold(order_id, sign=-1)
        await events.order_event("order.refunded", order_id)
    await attempt_refund(order_id)


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
    access = await order_for(ctx, order_id, None)
    wanted = _check_line_ids(line_ids)
    lines = {line.id: line for line in await ctx.loaders[lines_by_order].load(order_id)}
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
        await events.order_event(f"order.{after.value}", order_id, line_ids=wanted)
    forget_order(ctx, order_id)
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
    access = await order_for(ctx, order_id, Scope.WRITE_ORDERS)
    if not access.is_buyer:
        raise PermissionDenied("Only the buyer can complete this order.")
    done = await Order.filter(id=order_id, status=OrderStatus.DELIVERED).update(
        status=OrderStatus.COMPLETED, updated_at=datetime.now(UTC)
    )
    order = await Order.get(id=order_id)
    if not done:
        raise OrderStateConflict(order.status, "Only delivered orders can be completed.")
    forget_order(ctx, order_id)
    return order


async def expire_unpaid_orders(now: datetime | None = None) -> int:
    """Cancel unpaid orders past their expiry and put their stock back (each exactly once).

    Payment attempts left open are reconciled first: an order whose capture never reached the
    database is paid, not cancelled. An order whose attempt stays open (the provider cannot be
    asked, or has nothing yet for an attempt within its grace) is left for a later run.
    """
    now = now or datetime.now(UTC)
    await reconcile_payment_attempts(now)
    expired = 0
    after = 0  # by id, so orders left for a later run are not read again in this one
    while True:
        batch = [
            row.id
            for row in await Order.filter(
                status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now, id__gt=after
            )
            .order_by("id")
            .limit(200)
            .only("id")
        ]
        if not batch:
            return expired
        for order_id in batch:
            attempt = await unfinished_attempt(order_id)
            if attempt is not None:  # its capture may be at the provider: ask, even in its grace
                await reconcile(attempt, now=now)
            async with in_transaction():
                # The conditional lock is the guard: a concurrent cancel or a second worker
                # finds nothing to change and releases nothing; a payOrder claiming the order
                # commits its attempt before we see the order.
                order = await (
                    Order.select_for_update()
                    .filter(id=order_id, status=OrderStatus.PENDING_PAYMENT, expires_at__lt=now)
                    .first()
                )
                paying = await PaymentAttempt.filter(
                    order_id=order_id, status__in=UNFINISHED
                ).exists()
                if order is not None and not paying:
                    await Order.filter(id=order_id).update(
                        status=OrderStatus.CANCELLED, cancelled_at=now, updated_at=now
                    )
                    await _give_back(order, await OrderLine.filter(order_id=order_id), restock=True)
                    await events.order_event("order.cancelled", order_id)
                    expired += 1
        after = batch[-1]
