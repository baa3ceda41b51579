"""Order statuses: which count as sold, and how line statuses roll up."""

from __future__ import annotations

from collections.abc import Iterable

from models.orders import LineStatus, OrderStatus

SOLD_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


def status_from_lines(current: OrderStatus, statuses: Iterable[LineStatus]) -> OrderStatus:
    listed = list(statuses)
    if listed and all(s is LineStatus.DELIVERED for s in listed):
        return OrderStatus.DELIVERED
    if listed and all(s is not LineStatus.UNFULFILLED for s in listed):
        return OrderStatus.SHIPPED
    return current
