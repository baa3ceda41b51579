"""Why a checkout or an order step is refused, as typed errors."""

from __future__ import annotations

import strawberry

from resolvers.orders import IdempotencyConflict, OrderStateConflict
from schema.errors import Error, maps
from schema.orders.types import OrderStatus


@strawberry.type(
    description="This idempotency key was used for a checkout with a different input; "
    "nothing was ordered. Use a new key for a new order."
)
class IdempotencyConflictError(Error):
    idempotency_key: str = strawberry.field(description="The key as sent.")


@strawberry.type(description="The order's status does not allow this step; nothing changed.")
class OrderStateError(Error):
    status: OrderStatus = strawberry.field(  # type: ignore[valid-type]
        description="The order's status now."
    )


ERROR_MAPPINGS = [
    maps(
        IdempotencyConflict,
        IdempotencyConflictError,
        lambda e: IdempotencyConflictError(message=e.message, idempotency_key=e.key),
    ),
    maps(
        OrderStateConflict,
        OrderStateError,
        lambda e: OrderStateError(message=e.message, status=e.status),
    ),
]
