"""Order statuses: which count as sold, how line statuses roll up, and the step they forbid."""

from __future__ import annotations

from collections.abc import Iterable

from models.orders import LineStatus, OrderStatus
from resolvers.errors import DomainError

SOLD_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


class OrderStateConflict(DomainError):
    """The order's status does not allow this step (e.g. cancelling a shipped order)."""

    def __init__(self, status: OrderStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def status_from_lines(current: OrderStatus, statuses: Iterable[LineStatus]) -> OrderStatus:
    listed = list(statuses)
    if listed and all(s is LineStatus.DELIVERED for s in listed):
        return OrderStatus.DELIVERED
    if listed and all(s is not LineStatus.UNFULFILLED for s in listed):
        return OrderStatus.SHIPPED
    return current
