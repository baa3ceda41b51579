"""What order mutations return: success types, PaymentDeclinedError, payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.carts.errors import (
    CouponNotApplicableError,
    InsufficientStockError,
    ProductUnavailableError,
)
from schema.errors import Error, NotFoundError, PermissionDeniedError, ValidationError
from schema.orders.errors import IdempotencyConflictError, OrderStateError
from schema.orders.types import Order


@strawberry.type(description="The order was placed (and paid, when `order.status` is PAID).")
class CheckoutSuccess:
    order: Order = strawberry.field(description="The new order, with its status, lines and totals.")


@strawberry.type(
    description="The order exists and holds its stock until `order.expiresAt`, but the payment "
    "was declined. Retry with payOrder, or let it expire."
)
class PaymentDeclinedError(Error):
    decline_code: str = strawberry.field(
        description="The provider's reason, e.g. `card_declined`, `insufficient_funds`."
    )
    order: Order = strawberry.field(description="The unpaid order.")


@strawberry.type(description="The order is paid.")
class PayOrderSuccess:
    order: Order = strawberry.field(description="The order, now PAID.")


@strawberry.type(description="The order is cancelled (unpaid) or refunded (paid).")
class CancelOrderSuccess:
    order: Order = strawberry.field(
        description="The order, now CANCELLED or REFUNDED, its stock back."
    )


@strawberry.type(description="The lines are shipped.")
class ShipOrderLinesSuccess:
    order: Order = strawberry.field(description="The order (the lines you may see).")


@strawberry.type(description="The lines are delivered.")
class MarkLinesDeliveredSuccess:
    order: Order = strawberry.field(description="The order (the lines you may see).")


@strawberry.type(description="The order is completed.")
class CompleteOrderSuccess:
    order: Order = strawberry.field(description="The order, now COMPLETED.")


@strawberry.type(description="The order is refunded.")
class RefundOrderSuccess:
    order: Order = strawberry.field(
        description="The order, now REFUNDED; `refundStatus` follows the money."
    )


@strawberry.type(description="The failed refund was attempted again (see refundStatus).")
class RetryRefundSuccess:
    order: Order = strawberry.field(
        description="The order, its refund PENDING (or SUCCEEDED if it went through)."
    )


@strawberry.type(description="The failed refund is recorded as paid by hand.")
class SettleRefundSuccess:
    order: Order = strawberry.field(
        description="The order, its refund SUCCEEDED with `refundedAt` set."
    )


CheckoutPayload = Annotated[
    CheckoutSuccess
    | PaymentDeclinedError
    | ValidationError
    | NotFoundError
    | InsufficientStockError
    | ProductUnavailableError
    | CouponNotApplicableError
    | IdempotencyConflictError
    | OrderStateError,
    strawberry.union(
        "CheckoutPayload",
        description="The placed and paid order; or the unpaid order with the decline; or "
        "why nothing was ordered.",
    ),
]
PayOrderPayload = Annotated[
    PayOrderSuccess
    | PaymentDeclinedError
    | ValidationError
    | NotFoundError
    | PermissionDeniedError
    | OrderStateError,
    strawberry.union(
        "PayOrderPayload",
        description="The paid order, another decline, or why the order cannot be paid.",
    ),
]
_LIFECYCLE_ERRORS = ValidationError | NotFoundError | PermissionDeniedError | OrderStateError
CancelOrderPayload = Annotated[
    CancelOrderSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "CancelOrderPayload",
        description="The cancelled (or refunded) order, or why it cannot be cancelled.",
    ),
]
ShipOrderLinesPayload = Annotated[
    ShipOrderLinesSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "ShipOrderLinesPayload", description="The order with the lines shipped, or why not."
    ),
]
MarkLinesDeliveredPayload = Annotated[
    MarkLinesDeliveredSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "MarkLinesDeliveredPayload", description="The order with the lines delivered, or why not."
    ),
]
CompleteOrderPayload = Annotated[
    CompleteOrderSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "CompleteOrderPayload",
        description="The completed order, or why it cannot be completed yet.",
    ),
]
RefundOrderPayload = Annotated[
    RefundOrderSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "RefundOrderPayload",
        description="The refunded order (the money follows, see refundStatus), or why not.",
    ),
]
RetryRefundPayload = Annotated[
    RetryRefundSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "RetryRefundPayload", description="The order with its refund PENDING again, or why not."
    ),
]
SettleRefundPayload = Annotated[
    SettleRefundSuccess | _LIFECYCLE_ERRORS,
    strawberry.union(
        "SettleRefundPayload", description="The order with its refund SUCCEEDED, or why not."
    ),
]
