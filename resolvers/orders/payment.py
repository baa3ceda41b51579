"""Charging an order through the payment provider, retrying a declined payment, refunds."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.orders import Order, OrderStatus, PaymentAttempt, RefundStatus
from resolvers import events
from resolvers.errors import InvalidInput, PermissionDenied
from resolvers.orders.access import forget_order, order_for
from resolvers.orders.attempts import (
    count_sold,
    reconcile,
    settle,
    start_attempt,
    unfinished_attempt,
)
from resolvers.orders.errors import OrderStateConflict
from resolvers.orders.refunds import DECLINED, FREE, PROVIDER_TIMEOUT_SECONDS
from resolvers.orders.status import SOLD_STATUSES
from resolvers.payments import Charge, PaymentProvider, PaymentUnavailable, get_provider
from resolvers.principal import Scope

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

# An order in flight with no attempt recorded (placed before attempts were) and untouched this
# long is presumed dead; orders with attempts are settled through them instead (attempts.py).
PAYMENT_STALE_AFTER = timedelta(minutes=2)


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


async def pay(order: Order, attempt: PaymentAttempt | None, payment_token: str) -> CheckoutResult:
    """Charge an order through the attempt this request just recorded (None: a free order)."""
    if attempt is None:
        return await _pay_free(order)
    provider = get_provider(attempt.provider)
    unknown = False
    try:
        charge = await _charge(provider, order, attempt, payment_token)
    except PaymentUnavailable:
        log.warning("payment provider %s unavailable for order %s", provider.name, order.id)
        charge = Charge(approved=False, decline_code="provider_unavailable")
    except Exception:  # a timeout, a broken adapter: whether money moved is for the worker to ask
        log.exception("payment provider %s failed for order %s", provider.name, order.id)
        charge, unknown = Charge(approved=False, decline_code="provider_error"), True
    settlement = await settle(attempt, charge, unknown=unknown)
    current = await Order.get(id=order.id)
    if settlement.refund is not None:
        outcome = _REFUND_OUTCOMES.get(
            settlement.refund, "This payment could not be refunded yet; support has been alerted."
        )
        raise OrderStateConflict(current.status, f"{_NOT_WAITING} {outcome}")
    return checkout_result(current)


async def _charge(
    provider: PaymentProvider, order: Order, attempt: PaymentAttempt, payment_token: str
) -> Charge:
    # Bounded, so an attempt still STARTED after RECONCILE_AFTER has no live request behind it.
    charge = await asyncio.wait_for(
        provider.authorize(
            amount=attempt.amount,
            currency=order.currency,
            token=payment_token,
            idempotency_key=attempt.idempotency_key,
        ),
        PROVIDER_TIMEOUT_SECONDS,
    )
    if charge.approved:
        charge = await asyncio.wait_for(
            provider.capture(
                reference=charge.reference,
                amount=attempt.amount,
                idempotency_key=attempt.idempotency_key,
            ),
            PROVIDER_TIMEOUT_SECONDS,
        )
    return charge


async def _pay_free(order: Order) -> CheckoutResult:
    now = datetime.now(UTC)
    async with in_transaction():
        paid = await Order.filter(id=order.id, status=OrderStatus.PENDING_PAYMENT).update(
            status=OrderStatus.PAID, paid_at=now, payment_reference=FREE, updated_at=now
        )
        if paid:
            await count_sold(order.id, sign=+1)
            await events.order_event("order.paid", order.id)
    current = await Order.get(id=order.id)
    if not paid:
        raise OrderStateConflict(current.status, _NOT_WAITING)
    return checkout_result(current)


_REFUND_OUTCOMES = {
    RefundStatus.SUCCEEDED: "This payment was refunded.",
    RefundStatus.PENDING: "A refund of this payment is under way.",
}
_NOT_WAITING = "The order was no longer waiting for this payment (cancelled, or already paid)."


async def pay_order(ctx: Context, *, order_id: int, payment_token: str) -> CheckoutResult:
    """Retry the payment of the buyer's unpaid order (after a decline)."""
    access = await order_for(ctx, order_id, Scope.WRITE_ORDERS)
    if not access.is_buyer:
        raise PermissionDenied("Only the buyer can pay for this order.")
    if not 1 <= len(payment_token) <= 255:
        raise InvalidInput("paymentToken", "A payment token is 1-255 characters.")
    order = await Order.get(id=order_id)
    now = datetime.now(UTC)
    in_flight = await unfinished_attempt(order.id)
    if in_flight is not None and order.status is OrderStatus.PENDING_PAYMENT:
        # An earlier attempt may have taken the money with its answer lost (its request or the
        # database died): ask the provider by its key before charging again.
        await reconcile(in_flight, now=now)
        order = await Order.get(id=order_id)
        forget_order(ctx, order.id)
        if order.status in SOLD_STATUSES:
            return checkout_result(order)
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise OrderStateConflict(order.status, f"This order is {order.status.value}, not unpaid.")
    if order.expires_at is not None and order.expires_at <= now:
        raise OrderStateConflict(order.status, "This order expired; its items were released.")
    provider = get_provider()
    async with in_transaction():
        claimed = await Order.filter(
            Q(payment_reference__startswith=DECLINED)
            | Q(payment_reference="", updated_at__lt=now - PAYMENT_STALE_AFTER),
            id=order.id,
            status=OrderStatus.PENDING_PAYMENT,
            expires_at__gt=now,
        ).update(payment_reference="", payment_provider=provider.name, updated_at=now)
        # Checked under the order's row lock (taken by the claim), so no other payOrder can
        # start an attempt meanwhile and at most one attempt per order is ever open.
        if not claimed or await unfinished_attempt(order.id) is not None:
            raise OrderStateConflict(order.status, "A payment for this order is already under way.")
        attempt = await start_attempt(order, provider.name)
    forget_order(ctx, order.id)
    return await pay(await Order.get(id=order.id), attempt, payment_token)
