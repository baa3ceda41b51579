"""Giving a paid order's money back through its provider, until the provider confirms.

Cancelling or refunding a paid order changes its status in the database transaction and marks
the money owed (`refund_status` PENDING) in that same transaction. The provider is called after
the commit, never inside a transaction; if it cannot be reached, the worker retries every few
minutes (`retry_pending_refunds`) with the same idempotency key, so a refund whose answer was
lost is not paid twice. After `MAX_REFUND_ATTEMPTS` the refund is FAILED and logged as an error
for an operator.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from models.accounts import Role
from models.orders import Order, RefundStatus
from resolvers.auth import require_role
from resolvers.errors import InvalidInput, NotFound
from resolvers.orders.errors import OrderStateConflict
from resolvers.pagination import Page, PageArgs, paginate_query
from resolvers.payments import get_provider

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

DECLINED = "declined:"  # payment_reference prefix after a declined attempt
FREE = "free"  # payment_reference of a zero-total order: nothing was charged
MAX_REFUND_ATTEMPTS = 8
# The worker leaves a refund this long to the request that owes it, so the two rarely overlap
# (when they do, the provider's idempotency key makes the second call a no-op).
RETRY_AFTER = timedelta(minutes=1)
RETRY_BATCH = 25  # with PROVIDER_TIMEOUT_SECONDS, well inside the job's timeout
PROVIDER_TIMEOUT_SECONDS = 10.0


def charged(payment_reference: str, total: int) -> bool:
    """Whether money was captured for this order (so cancelling it owes a refund)."""
    return (
        total > 0
        and bool(payment_reference)
        and payment_reference != FREE
        and not payment_reference.startswith(DECLINED)
    )


def refund_status_for(order: Order) -> RefundStatus:
    """The refund status to record with a cancellation or refund of this order."""
    return (
        RefundStatus.PENDING if charged(order.payment_reference, order.total) else RefundStatus.NONE
    )


def refund_idempotency_key(order_id: int, reference: str) -> str:
    # One refund per captured charge: the same key across every retry of it, and another key
    # for another charge of the same order (a stray second capture).
    return f"refund-order-{order_id}-{reference}"


async def _provider_refund(order: Order, reference: str) -> str:
    """The provider's refund reference; raises whatever the provider or the timeout raises."""
    refund = await asyncio.wait_for(
        get_provider(order.payment_provider).refund(
            reference=reference,
            amount=order.total,
            idempotency_key=refund_idempotency_key(order.id, reference),
        ),
        PROVIDER_TIMEOUT_SECONDS,
    )
    return refund.reference


async def refund_stray_capture(order: Order, reference: str) -> RefundStatus:
    """Refund a capture that is not the order's payment, at once (it has no row to retry from).

    A failure is logged as an error for an operator; it is rare (two live payment attempts and
    then a provider failure) and the order itself is right either way.
    """
    try:
        await _provider_refund(order, reference)
    except Exception:
        log.exception(
            "stray capture %s on order %s could not be refunded; refund it by hand",
            reference,
            order.id,
        )
        return RefundStatus.FAILED
    log.warning("refunded stray capture %s on order %s", reference, order.id)
    return RefundStatus.SUCCEEDED


async def attempt_refund(order_id: int) -> RefundStatus:
    """Ask the provider for a PENDING refund once; returns the refund status afterwards."""
    order = await Order.get_or_none(id=order_id)
    if order is None or order.refund_status is not RefundStatus.PENDING:
        return order.refund_status if order else RefundStatus.NONE
    now = datetime.now(UTC)
    try:
        refund_reference = await _provider_refund(order, order.payment_reference)
    except Exception:  # unreachable or broken alike: the money is still owed, try again later
        attempts = order.refund_attempts + 1
        status = RefundStatus.FAILED if attempts >= MAX_REFUND_ATTEMPTS else RefundStatus.PENDING
        await Order.filter(id=order.id, refund_status=RefundStatus.PENDING).update(
            refund_status=status, refund_attempts=attempts, updated_at=now
        )
        if status is RefundStatus.FAILED:
            log.exception(
                "refund of order %s (%s) failed %d times; refund it by hand",
                order.id,
                order.payment_reference,
                attempts,
            )
        else:
            log.warning("refund of order %s failed (attempt %d); will retry", order.id, attempts)
        return status
    await Order.filter(id=order.id, refund_status=RefundStatus.PENDING).update(
        refund_status=RefundStatus.SUCCEEDED,
        refund_reference=refund_reference,
        refund_attempts=order.refund_attempts + 1,
        refunded_at=now,
        updated_at=now,
    )
    return RefundStatus.SUCCEEDED


@dataclass(frozen=True, slots=True)
class RetryReport:
    succeeded: int
    pending: int
    failed: int


async def retry_pending_refunds(now: datetime | None = None) -> RetryReport:
    """The worker's pass over refunds still owed (oldest first, a batch per run)."""
    cutoff = (now or datetime.now(UTC)) - RETRY_AFTER
    owed = (
        await Order.filter(refund_status=RefundStatus.PENDING, updated_at__lt=cutoff)
        .order_by("updated_at", "id")
        .limit(RETRY_BATCH)
        .only("id")
    )
    outcomes = [await attempt_refund(order.id) for order in owed]
    return RetryReport(
        succeeded=outcomes.count(RefundStatus.SUCCEEDED),
        pending=outcomes.count(RefundStatus.PENDING),
        failed=outcomes.count(RefundStatus.FAILED),
    )


# ---- operators: the refunds that need a person -----------------------------------------------

REFERENCE = re.compile(r"^[\x21-\x7e]{1,120}$")  # printable ASCII, no spaces, like provider ids


async def refunds_by_status(ctx: Context, *, status: RefundStatus, args: PageArgs) -> Page[Order]:
    require_role(ctx, Role.ADMIN)
    return await paginate_query(Order.filter(refund_status=status), args)


async def _failed_refund(order_id: int) -> Order:
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound("Order")
    if order.refund_status is not RefundStatus.FAILED:
        raise OrderStateConflict(
            order.status, f"Its refund is {order.refund_status.name}, not FAILED."
        )
    return order


async def _changed_meanwhile(order_id: int) -> None:
    # Another admin retried or settled it between our read and our conditional update.
    current = await Order.get(id=order_id)
    raise OrderStateConflict(
        current.status, f"Its refund is {current.refund_status.name} now, not FAILED."
    )


async def retry_refund(ctx: Context, *, order_id: int) -> Order:
    """Admin: a FAILED refund gets a fresh round of attempts, the first one now."""
    require_role(ctx, Role.ADMIN)
    order = await _failed_refund(order_id)
    reopened = await Order.filter(id=order.id, refund_status=RefundStatus.FAILED).update(
        refund_status=RefundStatus.PENDING, refund_attempts=0, updated_at=datetime.now(UTC)
    )
    if not reopened:
        await _changed_meanwhile(order.id)
    await attempt_refund(order.id)
    return await Order.get(id=order.id)


async def settle_refund(ctx: Context, *, order_id: int, reference: str) -> Order:
    """Admin: record a FAILED refund as paid by hand, with the provider's reference for it."""
    require_role(ctx, Role.ADMIN)
    reference = reference.strip()
    if not REFERENCE.match(reference):
        raise InvalidInput("reference", "A refund reference is 1-120 printable characters.")
    order = await _failed_refund(order_id)
    now = datetime.now(UTC)
    settled = await Order.filter(id=order.id, refund_status=RefundStatus.FAILED).update(
        refund_status=RefundStatus.SUCCEEDED,
        refund_reference=reference,
        refunded_at=now,
        updated_at=now,
    )
    if not settled:
        await _changed_meanwhile(order.id)
    log.info("refund of order %s settled by hand (%s)", order.id, reference)
    return await Order.get(id=order.id)
