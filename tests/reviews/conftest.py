"""Review fixtures: orders with lines in a given state, written straight to the database."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

import pytest

from models.accounts import User
from models.catalog import Product, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus

MakeLine = Callable[..., Awaitable[OrderLine]]
_orders = itertools.count(1)

ORDER_STATUS = {
    LineStatus.UNFULFILLED: OrderStatus.PAID,
    LineStatus.SHIPPED: OrderStatus.SHIPPED,
    LineStatus.DELIVERED: OrderStatus.DELIVERED,
}


@pytest.fixture
def make_delivered_line() -> MakeLine:
    """An order of `buyer` with one line of `product`, in `status` (delivered by default)."""

    async def make(
        buyer: User, product: Product, status: LineStatus = LineStatus.DELIVERED
    ) -> OrderLine:
        variant = await Variant.filter(product_id=product.id).order_by("position").first()
        price = variant.price if variant else 1000
        order = await Order.create(
            buyer_id=buyer.id,
            status=ORDER_STATUS[status],
            currency=product.currency,
            subtotal=price,
            total=price,
            idempotency_key=f"review-test-{next(_orders)}",
            request_hash="0" * 64,
        )
        return await OrderLine.create(
            order_id=order.id,
            merchant_id=product.merchant_id,
            variant_id=variant.id if variant else None,
            product_id=product.id,
            product_title=product.title,
            variant_title=variant.title if variant else "",
            sku=variant.sku if variant else "SKU",
            unit_price=price,
            quantity=1,
            total=price,
            status=status,
        )

    return make
