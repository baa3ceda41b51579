"""Checkout, orders and their lifecycle, stock reservation and release, attribution totals.

Checkout turns the buyer's cart into an order in one short transaction: the order row (whose
unique (buyer, idempotency key) decides concurrent duplicates), the cart marked CHECKED_OUT,
the coupon redemption, a conditional decrement per variant (`stock >= n`, so stock never goes
below zero) and the order lines with snapshots of titles, SKU and prices. Payment runs after
the commit, through the payment provider, never inside a transaction.

Locks are always taken in one order — order, payment attempts, cart, coupon, variants (by id),
products (by id) — so concurrent checkouts, cancellations and expiries cannot deadlock.

Payment state lives on the order: `payment_reference` is "" while an attempt is in flight,
"declined:<code>" after a declined attempt, the provider's charge reference once PAID.
Money owed back after a cancellation or refund is tracked in `refund_status` (refunds.py).

Each try at charging is also a `PaymentAttempt` row (attempts.py), written before the provider
is called: in checkout's transaction (attempt 1, with the order) or in payOrder's claim of the
order (the next number). Its idempotency key (`order-<id>-attempt-<n>-<random>`) goes with the
authorization and the capture, so the provider answers a repeat with the same charge. Its
lifecycle:

- STARTED: recorded; the request is calling the provider (at most two calls of 10 s each).
- CAPTURED (with the charge `reference`) or DECLINED (with a `decline_code`): the answer, written
  with the order in one transaction (PAID, or the decline on `payment_reference`). A capture
  the order no longer waits for (cancelled or expired meanwhile) is refunded (refunds.py).
- UNKNOWN: the call failed without saying whether money moved (a timeout, a broken adapter);
  the order shows `declined:provider_error` meanwhile.

An attempt left STARTED or UNKNOWN (its request died, or the database went away between the
capture and the write) is reconciled: the provider is asked by the key (`find_charge`) and the
answer settled as above; "nothing under this key" declines it (`payment_interrupted`), but only
once it is past RECONCILE_AFTER (1 minute), since until then its request may still be charging.
The same-key checkout retry and payOrder reconcile an open attempt before answering or charging
again (payOrder starts a new attempt only when none is open), the worker does every minute
(`reconcile_payments`), and `expire_unpaid_orders` does before cancelling, skipping an order
whose attempt stays open. Whoever moves the attempt out of STARTED/UNKNOWN first applies the
outcome; a late capture under a key already declined is refunded on its own.
"""

from __future__ import annotations

from resolvers.orders.access import OrderAccess, order_access, visible_order_lines, visible_orders
from resolvers.orders.attempts import reconcile_payment_attempts
from resolvers.orders.attribution import (
    AttributionTotals,
    content_attribution,
    creator_attribution,
    share_code_totals,
)
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
    "reconcile_payment_attempts",
    "refund_order",
    "refunds_by_status",
    "retry_pending_refunds",
    "retry_refund",
    "seed_commerce_demo",
    "settle_refund",
    "share_code_totals",
    "ship_lines",
    "visible_order_lines",
    "visible_orders",
]
