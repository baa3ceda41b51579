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
Money owed back after a cancellation or refund is tracked in `refund_status` (refunds.py).
"""

from __future__ import annotations

from resolvers.orders.access import (
    OrderAccess,
    merchant_actor,
    order_access,
    visible_order_lines,
    visible_orders,
)
from resolvers.orders.attribution import AttributionTotals, content_attribution, creator_attribution
from resolvers.orders.demo import DEMO_ADDRESS, seed_commerce_demo
from resolvers.orders.errors import IdempotencyConflict, OrderStateConflict
from resolvers.orders.lifecycle import (
    MAX_LINE_IDS,
    cancel_order,
    complete_order,
    deliver_lines,
    expire_unpaid_orders,
    refund_order,
    refund_paid_order,
    ship_lines,
)
from resolvers.orders.payment import PAYMENT_STALE_AFTER, CheckoutResult, pay_order
from resolvers.orders.placing import (
    ADDRESS_FIELDS,
    COUNTRY,
    IDEMPOTENCY_KEY,
    PAYMENT_WINDOW,
    SETTLE_POLL_SECONDS,
    SETTLE_WAIT_SECONDS,
    check_address,
    checkout,
    place_order,
    request_hash,
)
from resolvers.orders.queries import buyer_orders, merchant_orders
from resolvers.orders.refunds import (
    DECLINED,
    FREE,
    MAX_REFUND_ATTEMPTS,
    RetryReport,
    attempt_refund,
    refunds_by_status,
    retry_pending_refunds,
    retry_refund,
    settle_refund,
)
from resolvers.orders.status import SOLD_STATUSES, status_from_lines

__all__ = [
    "ADDRESS_FIELDS",
    "COUNTRY",
    "DECLINED",
    "DEMO_ADDRESS",
    "FREE",
    "IDEMPOTENCY_KEY",
    "MAX_LINE_IDS",
    "MAX_REFUND_ATTEMPTS",
    "PAYMENT_STALE_AFTER",
    "PAYMENT_WINDOW",
    "SETTLE_POLL_SECONDS",
    "SETTLE_WAIT_SECONDS",
    "SOLD_STATUSES",
    "AttributionTotals",
    "CheckoutResult",
    "IdempotencyConflict",
    "OrderAccess",
    "OrderStateConflict",
    "RetryReport",
    "attempt_refund",
    "buyer_orders",
    "cancel_order",
    "check_address",
    "checkout",
    "complete_order",
    "content_attribution",
    "creator_attribution",
    "deliver_lines",
    "expire_unpaid_orders",
    "merchant_actor",
    "merchant_orders",
    "order_access",
    "pay_order",
    "place_order",
    "refund_order",
    "refund_paid_order",
    "refunds_by_status",
    "request_hash",
    "retry_pending_refunds",
    "retry_refund",
    "seed_commerce_demo",
    "settle_refund",
    "ship_lines",
    "status_from_lines",
    "visible_order_lines",
    "visible_orders",
]
