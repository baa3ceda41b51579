"""Charging an order through the payment provider, retrying a declined payment, refunds."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.catalog import Product
from models.orders import Order, OrderLine, OrderStatus, RefundStatus
from resolvers.errors import InvalidInput, PermissionDenied
from resolvers.orders.access import forget_order, order_for
from resolvers.orders.errors import OrderStateConflict
from resolvers.orders.refunds import DECLINED, FREE, attempt_refund, refund_stray_capture
from resolvers.payments import Charge, PaymentUnavailable, get_provider
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

PAYMENT_STALE_AFTER = timedelta(minutes=2)  # an attempt in flight longer is presumed dead


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    """The order, and the decline code when its payment was declined (it stays unpaid)."""

    order: Order
    decline_code: str | None = None


def checkout_result(order: Order) -> CheckoutResult:
    declined = order.status is OrderStatus.PENDING_PAYMENT and order.payment_reference.startswith(
        DECLINED
    )
    code = order.payment_reference[len(DECLINED) :] if declined else None
    return CheckoutResult(order=order, decline_code=code)


async def pay(order: Order, payment_token: str) -> CheckoutResult:
    """Charge an order whose payment attempt this request holds (payment_reference == "")."""
    provider = get_provider(order.payment_provider)
    charge: Charge
    if order.total == 0:
        charge = Charge(approved=True, reference=FREE)
    else:
        key = f"order-{order.id}-{secrets.token_hex(6)}"  # one payment: its auth and capture
        try:
            charge = await provider.authorize(
                amount=order.total,
                currency=order.currency,
                token=payment_token,
                idempotency_key=key,
            )
            if charge.approved:
                charge = await provider.capture(
                    reference=charge.reference, amount=order.total, idempotency_key=key
                )
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
        return checkout_result(await Order.get(id=order.id))
    async with in_transaction():
        paid = await Order.filter(id=order.id, status=OrderStatus.PENDING_PAYMENT).update(
            status=OrderStatus.PAID, paid_at=now, payment_reference=charge.reference, updated_at=now
        )
        if paid:
            await count_sold(order.id, sign=+1)
    if not paid:
        await _give_back_capture(order, charge.reference, now)
    return checkout_result(await Order.get(id=order.id))


async def _give_back_capture(order: Order, reference: str, now: datetime) -> None:
    """This attempt captured money, but the order is no longer waiting for it: refund it.

    Cancelled or expired while the payment ran: the money is recorded on the order and owed
    (refund_status PENDING, retried by the worker). Already paid by another attempt (one
    reclaimed as stale that was not dead after all): this second capture is not the order's
    payment, so it is refunded on its own, without touching the order's record.
    """
    if reference == FREE:
        raise OrderStateConflict((await Order.get(id=order.id)).status, _NOT_WAITING)
    claimed = await Order.filter(
        id=order.id, status=OrderStatus.CANCELLED, refund_status=RefundStatus.NONE
    ).update(payment_reference=reference, refund_status=RefundStatus.PENDING, updated_at=now)
    if claimed:
        refund = await attempt_refund(order.id)
    else:
        refund = await refund_stray_capture(order, reference)
    current = await Order.get(id=order.id)
    outcome = {
        RefundStatus.SUCCEEDED: "This payment was refunded.",
        RefundStatus.PENDING: "A refund of this payment is under way.",
    }.get(refund, "This payment could not be refunded yet; support has been alerted.")
    raise OrderStateConflict(current.status, f"{_NOT_WAITING} {outcome}")


_NOT_WAITING = "The order was no longer waiting for this payment (cancelled, or already paid)."


async def count_sold(order_id: int, *, sign: int) -> None:
    rows = await OrderLine.filter(order_id=order_id).values_list("product_id", "quantity")
    units: defaultdict[int, int] = defaultdict(int)
    for product_id, quantity in rows:
        units[int(product_id)] += int(quantity)
    for product_id in sorted(units):
        await Product.filter(id=product_id).update(
            units_sold=F("units_sold") + sign * units[product_id]
        )


async def pay_order(ctx: Context, *, order_id: int, payment_token: str) -> CheckoutResult:
    """Retry the payment of the buyer's unpaid order (after a decline)."""
    access = await order_for(ctx, order_id, Scope.WRITE_ORDERS)
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
    forget_order(ctx, order.id)
    return await pay(await Order.get(id=order.id), payment_token)
