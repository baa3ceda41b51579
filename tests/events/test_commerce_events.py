"""Orders and products write exactly one documented event per state change (real mutations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.accounts import Role, User
from models.catalog import Merchant, Product, Variant
from models.events import Event
from models.orders import Order, OrderLine
from resolvers.events import KICK_KEY
from tests.carts.shop import CANCEL, Shop, make_cart, order_mutation, pk, variant_of
from tests.events.support import outbox, types
from tests.factories import MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid, run_job

SHIP = order_mutation(
    "shipOrderLines",
    "orderId: $order, lineIds: $lines, carrier: $carrier, trackingNumber: $tracking",
    '$order: ID!, $lines: [ID!]!, $carrier: String = "DHL", $tracking: String = "JD0001"',
)
DELIVER = order_mutation(
    "markLinesDelivered", "orderId: $order, lineIds: $lines", "$order: ID!, $lines: [ID!]!"
)
REFUND = order_mutation("refundOrder", "orderId: $order", "$order: ID!")
ADJUST = """mutation($id: ID!, $delta: Int!) { adjustVariantStock(variantId: $id, delta: $delta)
            { __typename } }"""
UPDATE_VARIANT = """mutation($id: ID!, $stock: Int) { updateVariant(variantId: $id, stock: $stock)
                    { __typename } }"""
UPDATE_PRODUCT = """
mutation($id: ID!) { updateProduct(productId: $id, title: "Renamed", tags: ["tea"]) {
  __typename } }
"""


def order_body(
    order_id: int,
    status: str,
    buyer: User,
    merchants: list[Merchant],
    total: int,
    lines: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "version": 1,
        "order": {
            "id": gid("Order", order_id),
            "status": status,
            "buyer": {"id": gid("User", buyer.id)},
            "merchants": [{"id": gid("Merchant", pk)} for pk in sorted(m.id for m in merchants)],
            "total": {"amount": total, "currency": "USD"},
        },
    }
    if lines is not None:
        body["lines"] = [{"id": line} for line in sorted(lines, key=pk)]
    return body


def product_body(product: Product, total_stock: int) -> dict[str, Any]:
    return {
        "version": 1,
        "product": {
            "id": gid("Product", product.id),
            "merchant": {"id": gid("Merchant", product.merchant_id)},
            "status": "ACTIVE",
            "totalStock": total_stock,
        },
    }


async def test_checkout_then_cancel_records_created_paid_stock_and_refunded(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    product = await make_product(merchant=merchant, variants=[(1500, 2)])
    variant = await variant_of(product)

    placed = await shop.checkout(buyer.token, await make_cart(buyer.user, [(variant, 2)]))
    order_id = pk(placed["order"]["id"])

    assert await outbox() == [
        ("product.out_of_stock", product_body(product, 0)),
        ("order.created", order_body(order_id, "PENDING_PAYMENT", buyer.user, [merchant], 3000)),
        ("order.paid", order_body(order_id, "PAID", buyer.user, [merchant], 3000)),
    ]

    cancelled = await gql.data(CANCEL, {"order": placed["order"]["id"]}, token=buyer.token)

    assert cancelled["cancelOrder"]["order"]["status"] == "REFUNDED"
    assert (await outbox())[3:] == [
        ("product.back_in_stock", product_body(product, 2)),
        ("order.refunded", order_body(order_id, "REFUNDED", buyer.user, [merchant], 3000)),
    ]


async def test_shipping_and_delivering_lines_record_one_event_per_call(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    sellers = [await sign_in(role=Role.MERCHANT) for _ in range(2)]
    merchants = [await make_merchant(owner=seller.user) for seller in sellers]
    variants = [
        await variant_of(await make_product(merchant=m, variants=[(1000, 5)])) for m in merchants
    ]
    cart = await make_cart(buyer.user, [(variants[0], 1), (variants[1], 2)])
    order = (await shop.checkout(buyer.token, cart))["order"]
    order_id = pk(order["id"])
    by_merchant = {
        line.merchant_id: gid("OrderLine", line.id)
        for line in await OrderLine.filter(order_id=order_id)
    }
    line_a, line_b = (by_merchant[m.id] for m in merchants)
    await Event.all().delete()

    steps = [
        (SHIP, sellers[0], line_a),
        (SHIP, sellers[1], line_b),
        (DELIVER, sellers[0], line_a),
        (DELIVER, sellers[1], line_b),
    ]
    for document, seller, line in steps:
        await gql.data(document, {"order": order["id"], "lines": [line]}, token=seller.token)

    def body(status: str, line: str) -> dict[str, Any]:
        return order_body(order_id, status, buyer.user, merchants, 3000, [line])

    assert await outbox() == [
        ("order.shipped", body("PAID", line_a)),  # one of two lines out: the order is PAID
        ("order.shipped", body("SHIPPED", line_b)),
        ("order.delivered", body("SHIPPED", line_a)),
        ("order.delivered", body("DELIVERED", line_b)),
    ]


async def test_unpaid_orders_cancel_expire_pay_and_refund_each_record_their_event(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    services: Any,
) -> None:
    buyer = await sign_in()
    admin = await sign_in(role=Role.ADMIN)
    merchant = await make_merchant()
    variant = await variant_of(await make_product(merchant=merchant, variants=[(1000, 9)]))

    async def declined() -> int:
        cart = await make_cart(buyer.user, [(variant, 1)])
        return pk((await shop.checkout(buyer.token, cart, payment="tok_declined"))["order"]["id"])

    cancelled, expired, paid_later = await declined(), await declined(), await declined()
    assert await types() == ["order.created"] * 3
    await Event.all().delete()

    await gql.data(CANCEL, {"order": gid("Order", cancelled)}, token=buyer.token)
    row = await Order.get(id=expired)
    assert row.expires_at is not None
    await Order.filter(id=expired).update(expires_at=row.expires_at - timedelta(hours=1))
    job = await run_job(services.queue, "expire_unpaid_orders")
    assert job.result == {"expired": 1}
    # The job kicked the relay once done, and the burst worker ran that too: both events so
    # far (the cancel's, whose request kicked it as well, and the expiry's) are relayed.
    kicked = await services.queue.job(KICK_KEY)
    assert kicked is not None
    assert kicked.status == "complete"
    assert await Event.filter(relayed_at=None).count() == 0
    assert (await shop.pay(buyer.token, paid_later))["__typename"] == "PayOrderSuccess"
    await gql.data(REFUND, {"order": gid("Order", paid_later)}, token=admin.token)

    def body(order_id: int, status: str) -> dict[str, Any]:
        return order_body(order_id, status, buyer.user, [merchant], 1000)

    assert await outbox() == [
        ("order.cancelled", body(cancelled, "CANCELLED")),
        ("order.cancelled", body(expired, "CANCELLED")),  # by the worker's expiry job
        ("order.paid", body(paid_later, "PAID")),
        ("order.refunded", body(paid_later, "REFUNDED")),
    ]


async def test_stock_events_only_when_stock_crosses_zero_and_product_updates(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    product = await make_product(
        merchant=await make_merchant(owner=owner.user), variants=[(1000, 2), (2000, 0)]
    )
    first = gid("Variant", (await variant_of(product)).id)
    second = gid("Variant", (await Variant.get(product_id=product.id, position=1)).id)

    steps: list[tuple[str, dict[str, Any]]] = [
        (ADJUST, {"id": first, "delta": -1}),  # 2 -> 1: nothing to tell
        (ADJUST, {"id": first, "delta": -1}),  # 1 -> 0: out of stock
        (ADJUST, {"id": first, "delta": 3}),  # 0 -> 3: back
        (UPDATE_VARIANT, {"id": first, "stock": 0}),  # 3 -> 0 through the variant's stock
        (UPDATE_VARIANT, {"id": second, "stock": 4}),  # 0 -> 4: back
        (UPDATE_VARIANT, {"id": second, "stock": 5}),  # 4 -> 5: nothing
        (UPDATE_PRODUCT, {"id": gid("Product", product.id)}),
    ]
    for document, variables in steps:
        result = await gql.data(document, variables, token=owner.token)
        assert "Error" not in next(iter(result.values()))["__typename"], result

    assert await outbox() == [
        ("product.out_of_stock", product_body(product, 0)),
        ("product.back_in_stock", product_body(product, 3)),
        ("product.out_of_stock", product_body(product, 0)),
        ("product.back_in_stock", product_body(product, 4)),
        (
            "product.updated",
            {**product_body(product, 5), "fields": ["tags", "title"]},
        ),
    ]
