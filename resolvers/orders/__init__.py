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

from resolvers.orders.access import OrderAccess, order_access, visible_order_lines, visible_orders
from resolvers.orders.attribution import AttributionTotals, content_attribution, creator_attribution
from resolvers.orders.demo import seed_commerce_demo
from resolvers.orders.errors import IdempotencyConflict, OrderStateConflict
from resolvers.orders.lifecycle import (
    cancel_order,
    complete_order,
    deliver_lines,
    expire_unpaid_orders,
    refund_order,
    ship_lines,
)
from resolvers.orders.payment import pay_order
from resolvers.orders.placing import ADDRESS_FIELDS, checkout
from resolvers.orders.queries import buyer_orders, merchant_orders
from resolvers.orders.refunds import (
    DECLINED,
    MAX_REFUND_ATTEMPTS,
    refunds_by_status,
    retry_pending_refunds,
    retry_refund,
    settle_refund,
)

__all__ = [
    "ADDRESS_FIELDS",
    "DECLINED",
    "MAX_REFUND_ATTEMPTS",
    "AttributionTotals",
    "IdempotencyConflict",
    "OrderAccess",
    "OrderStateConflict",
    "buyer_orders",
    "cancel_order",
    "checkout",
    "complete_order",
    "content_attribution",
    "creator_attribution",
    "deliver_lines",
    "expire_unpaid_orders",
    "merchant_orders",
    "order_access",
    "pay_order",
    "refund_order",
    "refunds_by_status",
    "retry_pending_refunds",
    "retry_refund",
    "seed_commerce_demo",
    "settle_refund",
    "ship_lines",
    "visible_order_lines",
    "visible_orders",
]
