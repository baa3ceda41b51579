"""The commerce demo data: coupons and orders in every state, attributed to the demo creators."""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.carts import Coupon
from models.catalog import Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus
from resolvers.orders import seed_commerce_demo
from resolvers.seed import seed_demo


async def test_demo_orders_in_every_state(running: Any) -> None:
    await seed_demo()

    await seed_commerce_demo()
    await seed_commerce_demo()  # idempotent

    statuses = set(await Order.all().values_list("status", flat=True))
    assert {
        OrderStatus.PAID,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.CANCELLED,
        OrderStatus.REFUNDED,
    } <= statuses
    refunds = [order.refund_status for order in await Order.filter(status=OrderStatus.REFUNDED)]
    # One paid back, one the provider refused until an admin settles it (README, refunds).
    assert sorted(status.name for status in refunds) == ["FAILED", "SUCCEEDED"]
    assert await OrderLine.filter(status=LineStatus.DELIVERED).count() >= 6
    creators = await User.filter(handle__in=["chef_ana", "trail_tom"]).values_list("id", flat=True)
    credited = set(
        await OrderLine.filter(creator_id__not_isnull=True).values_list("creator_id", flat=True)
    )
    assert credited == set(creators)
    assert await Coupon.all().count() >= 3
    assert await Variant.filter(stock__lt=0).count() == 0
    assert await Order.filter(coupon_id__not_isnull=True).exists()


async def test_without_products_it_does_nothing(running: Any) -> None:
    await seed_commerce_demo()

    assert await Order.all().count() == 0
