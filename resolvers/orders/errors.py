"""Why a checkout or an order step is refused."""

from __future__ import annotations

from models.orders import OrderStatus
from resolvers.errors import DomainError


class IdempotencyConflict(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(
            "This idempotency key was already used for a different checkout. "
            "Use a new key for a new order."
        )
        self.key = key


class OrderStateConflict(DomainError):
    """The order's status does not allow this step (e.g. cancelling a shipped order)."""

    def __init__(self, status: OrderStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
