"""The orders' per-request loaders (see resolvers/loading.py)."""

from __future__ import annotations

from models.orders import Order, OrderLine
from resolvers.loading import by_id, grouped

order_by_id = by_id(Order)
lines_by_order = grouped(OrderLine, "order_id")
order_line_by_id = by_id(OrderLine)
