"""GraphQL shape of orders and checkout: Order, OrderLine, lifecycle mutations, attribution."""

from __future__ import annotations

from schema.orders.inputs import ShippingAddressInput
from schema.orders.mutations import OrderMutation
from schema.orders.payloads import (
    CancelOrderPayload,
    CancelOrderSuccess,
    CheckoutPayload,
    CheckoutSuccess,
    CompleteOrderPayload,
    CompleteOrderSuccess,
    MarkLinesDeliveredPayload,
    MarkLinesDeliveredSuccess,
    PaymentDeclinedError,
    PayOrderPayload,
    PayOrderSuccess,
    RefundOrderPayload,
    RefundOrderSuccess,
    ShipOrderLinesPayload,
    ShipOrderLinesSuccess,
)
from schema.orders.queries import OrderQuery
from schema.orders.types import (
    AttributionReport,
    Order,
    OrderLine,
    OrderLineStatus,
    OrderStatus,
    ShippingAddress,
)

__all__ = [
    "AttributionReport",
    "CancelOrderPayload",
    "CancelOrderSuccess",
    "CheckoutPayload",
    "CheckoutSuccess",
    "CompleteOrderPayload",
    "CompleteOrderSuccess",
    "MarkLinesDeliveredPayload",
    "MarkLinesDeliveredSuccess",
    "Order",
    "OrderLine",
    "OrderLineStatus",
    "OrderMutation",
    "OrderQuery",
    "OrderStatus",
    "PayOrderPayload",
    "PayOrderSuccess",
    "PaymentDeclinedError",
    "RefundOrderPayload",
    "RefundOrderSuccess",
    "ShipOrderLinesPayload",
    "ShipOrderLinesSuccess",
    "ShippingAddress",
    "ShippingAddressInput",
]
