"""Payment attempts: every try at charging an order, recorded before the provider is called.

An attempt row (STARTED) is written in the transaction that creates the order (checkout) or
claims it for another try (payOrder), so it exists before any money can move. The provider is
called with the attempt's idempotency key; its answer is then recorded on the attempt and the
order together (`settle`). If that write never happens (the request dies, or the database goes
away right after the capture), the attempt stays STARTED, and whoever looks at the order next
asks the provider what became of the key (`reconcile`): the same-key checkout retry, payOrder
before it would charge again, and the worker every minute and before expiring unpaid orders.

Whoever changes the attempt out of STARTED/UNKNOWN first applies its outcome to the order;
everyone else only reads it. A capture the order can no longer take (cancelled or expired
meanwhile, or paid by another attempt) is refunded through the refund machinery (refunds.py).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.catalog import Product
from models.orders import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentAttempt,
    PaymentAttemptStatus,
    RefundStatus,
)
from resolvers import events
from resolvers.orders.refunds import (
    DECLINED,
    PROVIDER_TIMEOUT_SECONDS,
    attempt_refund,
    refund_stray_capture,
)
from resolvers.payments import Charge, get_provider

log = logging.getLogger(__name__)

UNFINISHED = (PaymentAttemptStatus.STARTED, PaymentAttemptStatus.UNKNOWN)
# A STARTED attempt younger than this may still be on its way to the provider (a request makes
# two calls of at most PROVIDER_TIMEOUT_SECONDS each), so "the provider has nothing" does not
# yet mean nothing will be taken.
RECONCILE_AFTER = timedelta(minutes=1)
RECONCILE_BATCH = 25  # with PROVIDER_TIMEOUT_SECONDS, well inside the job's timeout
ALERT_AFTER = timedelta(hours=1)  # unresolved this long: an operator should look
INTERRUPTED = "payment_interrupted"  # decline code: the attempt never reached the provider


def attempt_key(order_id: int, number: int) -> str:
    # Derived from the order and the attempt, plus a random part: order ids start over in
    # another database (a restore, a test run) while a gateway keeps keys for days, and a
    # reused key would be answered with some earlier order's charge.
    return f"order-{order_id}-attempt-{number}-{secrets.token_hex(6)}"


async def start_attempt(order: Order, provider: str) -> PaymentAttempt:
    """Record the next attempt at charging the order (inside the transaction that created or
    claimed it, so two attempts cannot take the same number)."""
    last = await PaymentAttempt.filter(order_id=order.id).order_by("-number").first()
    number = last.number + 1 if last else 1
    return await PaymentAttempt.create(
        order_id=order.id,
        number=number,
        provider=provider,
        idempotency_key=attempt_key(order.id, number),
        amount=order.total,
        status=PaymentAttemptStatus.STARTED,
    )


async def unfinished_attempt(order_id: int) -> PaymentAttempt | None:
    return (
        await PaymentAttempt.filter(order_id=order_id, status__in=UNFINISHED)
        .order_by("-number")
        .first()
    )


class Settled(StrEnum):
    PAID = "paid"  # the capture paid the order
    GIVEN_BACK = "given_back"  # captured, but the order was no longer waiting: refunded
    DECLINED = "declined"  # nothing was taken
    UNKNOWN = "unknown"  # the call failed without an answer; the worker will ask
    EARLIER = "earlier"  # another caller had recorded this attempt's outcome already


@dataclass(frozen=True, slots=True)
class Settlement:
    outcome: Settled
    refund: RefundStatus | None = None  # GIVEN_BACK: where that refund is


async def settle(attempt: PaymentAttempt, charge: Charge, *, unknown: bool = False) -> Settlement:
    """Record the provider's answer for this attempt on it and on its order, exactly once.

    `unknown`: the call failed in a way that does not say whether money moved (a timeout, a
    broken adapter); the attempt becomes UNKNOWN and the order shows the decline meanwhile.
    """
    now = datetime.now(UTC)
    # Read outside a transaction first: if the database is gone this fails before anything is
    # locked (a BEGIN that fails gives its connection back too: storage/postgres.py).
    order = await Order.get(id=attempt.order_id)
    if not charge.approved:
        return await _settle_decline(attempt, charge.decline_code or "declined", unknown, now)
    async with in_transaction():
        await Order.select_for_update().filter(id=order.id).first()  # lock order: order first
        won = await PaymentAttempt.filter(id=attempt.id, status__in=UNFINISHED).update(
            status=PaymentAttemptStatus.CAPTURED,
            reference=charge.reference,
            decline_code="",
            finished_at=now,
            updated_at=now,
        )
        paid = 0
        if won:
            paid = await Order.filter(id=order.id, status=OrderStatus.PENDING_PAYMENT).update(
                status=OrderStatus.PAID,
                paid_at=now,
                payment_reference=charge.reference,
                updated_at=now,
            )
            if paid:
                await count_sold(order.id, sign=+1)
                await events.order_event("order.paid", order.id)
    if paid:
        return Settlement(Settled.PAID)
    if not won:
        current = await PaymentAttempt.get(id=attempt.id)
        if (current.status, current.reference) == (PaymentAttemptStatus.CAPTURED, charge.reference):
            return Settlement(Settled.EARLIER)  # the same charge (same key), recorded first
        # Declined as never having reached the provider, and captured after all: not the
        # order's payment (another attempt may be paying it), so it goes back.
    return Settlement(Settled.GIVEN_BACK, await give_back_capture(order, charge.reference, now))


async def _settle_decline(
    attempt: PaymentAttempt, code: str, unknown: bool, now: datetime
) -> Settlement:
    status = PaymentAttemptStatus.UNKNOWN if unknown else PaymentAttemptStatus.DECLINED
    before = [PaymentAttemptStatus.STARTED] if unknown else list(UNFINISHED)
    async with in_transaction():
        await Order.select_for_update().filter(id=attempt.order_id).first()
        won = await PaymentAttempt.filter(id=attempt.id, status__in=before).update(
            status=status,
            decline_code=code,
            finished_at=None if unknown else now,
            updated_at=now,
        )
        if won:  # "" means an attempt is in flight; an UNKNOWN one already shows its decline
            await Order.filter(
                id=attempt.order_id, status=OrderStatus.PENDING_PAYMENT, payment_reference=""
            ).update(payment_reference=DECLINED + code, updated_at=now)
    if not won:
        return Settlement(Settled.EARLIER)
    return Settlement(Settled.UNKNOWN if unknown else Settled.DECLINED)


async def give_back_capture(order: Order, reference: str, now: datetime) -> RefundStatus:
    """A capture the order is no longer waiting for: refund it.

    Cancelled or expired while the payment ran: the money is recorded on the order and owed
    (refund_status PENDING, retried by the worker). Already paid by another attempt, or owing
    a refund already: this capture is not the order's payment, so it is refunded on its own,
    without touching the order's record.
    """
    claimed = await Order.filter(
        id=order.id, status=OrderStatus.CANCELLED, refund_status=RefundStatus.NONE
    ).update(payment_reference=reference, refund_status=RefundStatus.PENDING, updated_at=now)
    if claimed:
        return await attempt_refund(order.id)
    return await refund_stray_capture(order, reference)


async def reconcile(attempt: PaymentAttempt, *, now: datetime | None = None) -> Settlement | None:
    """Ask the provider what became of an unfinished attempt and settle it if the provider
    knows; None when it is still open (the provider cannot be asked, or has nothing yet for
    an attempt that may still be on its way)."""
    now = now or datetime.now(UTC)
    try:
        provider = get_provider(attempt.provider)
        found = await asyncio.wait_for(
            provider.find_charge(attempt.idempotency_key), PROVIDER_TIMEOUT_SECONDS
        )
    except Exception:  # unreachable or broken alike: the attempt stays open, asked again later
        log.warning(
            "payment provider %s could not say what became of attempt %s of order %s",
            attempt.provider,
            attempt.number,
            attempt.order_id,
            exc_info=True,
        )
        return None
    if found is None:
        if attempt.created_at > now - RECONCILE_AFTER:
            return None
        found = Charge(approved=False, decline_code=INTERRUPTED)
    settlement = await settle(attempt, found)
    if settlement.outcome is not Settled.EARLIER:
        log.warning(
            "payment attempt %s of order %s reconciled: %s",
            attempt.number,
            attempt.order_id,
            settlement.outcome.value,
        )
    return settlement


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    paid: int
    given_back: int
    declined: int
    open: int


async def reconcile_payment_attempts(now: datetime | None = None) -> ReconcileReport:
    """The worker's pass over attempts left open: STARTED past the grace, and UNKNOWN."""
    now = now or datetime.now(UTC)
    stuck = (
        await PaymentAttempt.filter(
            Q(status=PaymentAttemptStatus.STARTED, created_at__lt=now - RECONCILE_AFTER)
            | Q(status=PaymentAttemptStatus.UNKNOWN)
        )
        .order_by("updated_at", "id")
        .limit(RECONCILE_BATCH)
    )
    counts: defaultdict[Settled | None, int] = defaultdict(int)
    for attempt in stuck:
        settlement = await reconcile(attempt, now=now)
        counts[settlement.outcome if settlement else None] += 1
        if settlement is None:
            # To the back of the queue, so a few the provider cannot answer for do not keep
            # the others waiting.
            await PaymentAttempt.filter(id=attempt.id, status__in=UNFINISHED).update(updated_at=now)
            if attempt.created_at < now - ALERT_AFTER:
                log.error(
                    "payment attempt %s of order %s (%s) unresolved since %s; check the "
                    "provider by hand",
                    attempt.number,
                    attempt.order_id,
                    attempt.idempotency_key,
                    attempt.created_at.isoformat(),
                )
    return ReconcileReport(
        paid=counts[Settled.PAID],
        given_back=counts[Settled.GIVEN_BACK],
        declined=counts[Settled.DECLINED],
        open=counts[None] + counts[Settled.UNKNOWN],
    )


async def count_sold(order_id: int, *, sign: int) -> None:
    rows = await OrderLine.filter(order_id=order_id).values_list("product_id", "quantity")
    units: defaultdict[int, int] = defaultdict(int)
    for product_id, quantity in rows:
        units[int(product_id)] += int(quantity)
    for product_id in sorted(units):
        await Product.filter(id=product_id).update(
            units_sold=F("units_sold") + sign * units[product_id]
        )
