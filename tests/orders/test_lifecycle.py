"""The order lifecycle: fulfilment per merchant, completion, cancellation, refunds, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from models.accounts import Role
from models.carts import Coupon
from models.catalog import MerchantStaff, Product, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus
from tests.carts.shop import (
    CANCEL,
    ORDER_FIELDS,
    Shop,
    make_cart,
    make_coupon,
    make_order,
    order_mutation,
    pk,
    variant_of,
)
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid, run_job

SHIP = order_mutation(
    "shipOrderLines",
    "orderId: $order, lineIds: $lines, carrier: $carrier, trackingNumber: $tracking",
    '$order: ID!, $lines: [ID!]!, $carrier: String = "DHL", $tracking: String = "JD0001"',
)
DELIVER = order_mutation(
    "markLinesDelivered", "orderId: $order, lineIds: $lines", "$order: ID!, $lines: [ID!]!"
)
COMPLETE = order_mutation("completeOrder", "orderId: $order", "$order: ID!")
REFUND = order_mutation("refundOrder", "orderId: $order", "$order: ID!")
ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
MERCHANT_ORDERS = f"""
query($merchant: ID!) {{
  merchantOrders(merchantId: $merchant) {{ totalCount edges {{ node {{ {ORDER_FIELDS} }} }} }}
}}
"""


async def _two_merchant_order(
    shop: Shop, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> dict[str, Any]:
    """A paid order with one line from each of two merchants, placed through checkout."""
    buyer = await sign_in()
    sellers = [await sign_in(role=Role.MERCHANT) for _ in range(2)]
    merchants = [await make_merchant(owner=seller.user) for seller in sellers]
    variants = [
        await variant_of(await make_product(merchant=m, variants=[(1000 * (i + 1), 5)]))
        for i, m in enumerate(merchants)
    ]
    cart = await make_cart(buyer.user, [(variants[0], 1), (variants[1], 2)])
    order = (await shop.checkout(buyer.token, cart))["order"]
    lines = {
        line.merchant_id: gid("OrderLine", line.id)
        for line in await OrderLine.filter(order_id=pk(order["id"]))
    }
    return {
        "buyer": buyer,
        "sellers": sellers,
        "merchants": merchants,
        "variants": variants,
        "order": order["id"],
        "lines": [lines[m.id] for m in merchants],
    }


@pytest.mark.smoke
async def test_fulfilment_per_merchant_then_completion(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    w = await _two_merchant_order(shop, sign_in, make_merchant, make_product)
    first, second = w["sellers"]
    line_a, line_b = w["lines"]

    shipped_a = (await gql.data(SHIP, {"order": w["order"], "lines": [line_a]}, token=first.token))[
        "shipOrderLines"
    ]["order"]
    assert shipped_a["status"] == "PAID"  # one of two lines shipped
    assert [(ln["id"], ln["status"], ln["carrier"]) for ln in shipped_a["lines"]] == [
        (line_a, "SHIPPED", "DHL")
    ]  # a merchant sees only its own lines
    assert shipped_a["shippingAddress"] is not None  # a merchant needs it to ship
    assert shipped_a["total"]["amount"] == 1000

    foreign = await gql.data(SHIP, {"order": w["order"], "lines": [line_b]}, token=first.token)
    assert foreign["shipOrderLines"]["__typename"] == "PermissionDeniedError"

    shipped = await gql.data(SHIP, {"order": w["order"], "lines": [line_b]}, token=second.token)
    assert shipped["shipOrderLines"]["order"]["status"] == "SHIPPED"
    await gql.data(DELIVER, {"order": w["order"], "lines": [line_a]}, token=first.token)
    delivered = await gql.data(
        DELIVER, {"order": w["order"], "lines": [line_b]}, token=second.token
    )
    assert delivered["markLinesDelivered"]["order"]["status"] == "DELIVERED"

    as_buyer = await gql.data(ORDER, {"id": w["order"]}, token=w["buyer"].token)
    assert [ln["status"] for ln in as_buyer["order"]["lines"]] == ["DELIVERED", "DELIVERED"]
    assert as_buyer["order"]["total"]["amount"] == 5000
    done = await gql.data(COMPLETE, {"order": w["order"]}, token=w["buyer"].token)
    assert done["completeOrder"]["order"]["status"] == "COMPLETED"
    row = await OrderLine.get(id=pk(line_a))
    assert row.shipped_at is not None
    assert row.delivered_at is not None
    assert row.tracking_number == "JD0001"


async def test_merchants_see_their_orders_and_lines_only(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    w = await _two_merchant_order(shop, sign_in, make_merchant, make_product)
    first, _ = w["sellers"]
    stranger = await sign_in(role=Role.MERCHANT)
    await make_merchant(owner=stranger.user)

    listing = await gql.data(
        MERCHANT_ORDERS, {"merchant": gid("Merchant", w["merchants"][0].id)}, token=first.token
    )
    node = listing["merchantOrders"]["edges"][0]["node"]
    assert listing["merchantOrders"]["totalCount"] == 1
    assert [ln["id"] for ln in node["lines"]] == [w["lines"][0]]
    assert node["buyer"] == {"handle": w["buyer"].user.handle}
    hidden = await gql.data(ORDER, {"id": w["order"]}, token=stranger.token)
    assert hidden == {"order": None}
    refused = await gql.post(
        MERCHANT_ORDERS, {"merchant": gid("Merchant", w["merchants"][0].id)}, token=stranger.token
    )
    assert refused.codes == ["FORBIDDEN"]
    mine = await gql.data(
        "{ orders(status: PAID) { totalCount edges { node { id } } } }", token=w["buyer"].token
    )
    assert mine["orders"]["totalCount"] == 1
    assert (await gql.data("{ orders { totalCount } }", token=first.token))["orders"] == {
        "totalCount": 0
    }


async def test_illegal_transitions_are_typed_errors(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant))
    unpaid = await make_order(buyer.user, [(variant, 1)], status=OrderStatus.PENDING_PAYMENT)
    paid = await make_order(buyer.user, [(variant, 1)])
    shipped = await make_order(
        buyer.user, [(variant, 1)], status=OrderStatus.SHIPPED, line_status=LineStatus.SHIPPED
    )

    async def attempt(document: str, order: Order, token: str, lines: bool = False) -> Any:
        variables: dict[str, Any] = {"order": gid("Order", order.id)}
        if lines:
            line = await OrderLine.get(order_id=order.id)
            variables["lines"] = [gid("OrderLine", line.id)]
        data = await gql.data(document, variables, token=token)
        return next(iter(data.values()))

    cases = [
        (await attempt(SHIP, unpaid, seller.token, lines=True), "PENDING_PAYMENT"),
        (await attempt(DELIVER, paid, seller.token, lines=True), "PAID"),
        (await attempt(SHIP, shipped, seller.token, lines=True), "SHIPPED"),
        (await attempt(COMPLETE, paid, buyer.token), "PAID"),
        (await attempt(CANCEL, shipped, buyer.token), "SHIPPED"),
        (await attempt(REFUND, unpaid, seller.token), "PENDING_PAYMENT"),
    ]
    for result, status in cases:
        assert result["__typename"] == "OrderStateError", result
        assert result["status"] == status
    assert (await Order.get(id=shipped.id)).status is OrderStatus.SHIPPED
    assert (await OrderLine.get(order_id=paid.id)).status is LineStatus.UNFULFILLED


async def test_cancel_releases_stock_coupon_and_refunds(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    product = await make_product(merchant=merchant, variants=[(2000, 5)])
    variant = await variant_of(product)
    coupon = await make_coupon(merchant, "BACKAGAIN", amount=100)
    unpaid = await shop.checkout(
        buyer.token,
        await make_cart(buyer.user, [(variant, 2)], coupon=coupon),
        payment="tok_declined",
    )
    paid = await shop.checkout(buyer.token, await make_cart(buyer.user, [(variant, 1)]))
    assert (await Variant.get(id=variant.id)).stock == 2
    assert (await Coupon.get(id=coupon.id)).uses == 1

    cancelled = await gql.data(CANCEL, {"order": unpaid["order"]["id"]}, token=buyer.token)
    refunded = await gql.data(CANCEL, {"order": paid["order"]["id"]}, token=buyer.token)

    assert cancelled["cancelOrder"]["order"]["status"] == "CANCELLED"
    assert refunded["cancelOrder"]["order"]["status"] == "REFUNDED"
    assert (await Variant.get(id=variant.id)).stock == 5
    after = await Product.get(id=product.id)
    assert (after.total_stock, after.units_sold) == (5, 0)
    assert (await Coupon.get(id=coupon.id)).uses == 0
    again = await gql.data(CANCEL, {"order": paid["order"]["id"]}, token=buyer.token)
    assert again["cancelOrder"]["__typename"] == "OrderStateError"
    assert (await Variant.get(id=variant.id)).stock == 5  # released exactly once


async def test_refund_after_delivery_keeps_stock_out(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    product = await make_product(merchant=merchant, variants=[(2000, 5)])
    variant = await variant_of(product)
    order = await make_order(
        buyer.user, [(variant, 2)], status=OrderStatus.DELIVERED, line_status=LineStatus.DELIVERED
    )
    await Product.filter(id=product.id).update(units_sold=2)

    by_buyer = await gql.data(REFUND, {"order": gid("Order", order.id)}, token=buyer.token)
    refunded = await gql.data(REFUND, {"order": gid("Order", order.id)}, token=seller.token)

    assert by_buyer["refundOrder"]["__typename"] == "PermissionDeniedError"
    assert refunded["refundOrder"]["order"]["status"] == "REFUNDED"
    assert (await Variant.get(id=variant.id)).stock == 5  # goods are with the buyer
    assert (await Product.get(id=product.id)).units_sold == 0


async def test_the_lines_merchant_cannot_cancel_for_the_buyer(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    order = await make_order(
        buyer.user, [(await variant_of(await make_product(merchant=merchant)), 1)]
    )

    result = await gql.data(CANCEL, {"order": gid("Order", order.id)}, token=seller.token)

    assert result["cancelOrder"]["__typename"] == "PermissionDeniedError"


@pytest.mark.smoke
async def test_expiry_job_releases_unpaid_stock_once(
    services: Any,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    merchant = await make_merchant()
    product = await make_product(merchant=merchant, variants=[(1000, 6)])
    variant = await variant_of(product)
    coupon = await make_coupon(merchant, "EXPIRES", amount=100)
    stale = await shop.checkout(
        buyer.token,
        await make_cart(buyer.user, [(variant, 2)], coupon=coupon),
        payment="tok_declined",
    )
    fresh = await shop.checkout(
        buyer.token, await make_cart(buyer.user, [(variant, 1)]), payment="tok_declined"
    )
    stale_id = pk(stale["order"]["id"])
    row = await Order.get(id=stale_id)
    assert row.expires_at is not None
    await Order.filter(id=stale_id).update(expires_at=row.expires_at - timedelta(hours=1))
    assert (await Variant.get(id=variant.id)).stock == 3

    results = []
    for _ in range(2):  # a second run finds nothing left to release
        job = await run_job(services.queue, "expire_unpaid_orders")
        assert job.status == "complete", job.error
        results.append(job.result)
    assert results == [{"expired": 1}, {"expired": 0}]
    assert (await Order.get(id=stale_id)).status is OrderStatus.CANCELLED
    assert (await Order.get(id=pk(fresh["order"]["id"]))).status is OrderStatus.PENDING_PAYMENT
    assert (await Variant.get(id=variant.id)).stock == 5
    assert (await Product.get(id=product.id)).total_stock == 5
    assert (await Coupon.get(id=coupon.id)).uses == 0
    late = await shop.pay(buyer.token, stale_id)
    assert late["__typename"] == "OrderStateError"
    assert late["status"] == "CANCELLED"


async def test_staff_and_scoped_apps_fulfil_for_their_merchant(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    staff = await sign_in()  # a shopper account working for the merchant
    merchant = await make_merchant(owner=seller.user)
    await MerchantStaff.create(merchant_id=merchant.id, user_id=staff.user.id)
    variant = await variant_of(await make_product(merchant=merchant))
    order = await make_order(buyer.user, [(variant, 1)])
    line = await OrderLine.get(order_id=order.id)
    variables = {"order": gid("Order", order.id), "lines": [gid("OrderLine", line.id)]}
    app_token = await make_app_token(await make_app(seller.user, scopes=["write:commerce"]))

    shipped = await gql.data(SHIP, variables, token=staff.token)
    delivered = await gql.data(DELIVER, variables, token=app_token)

    assert shipped["shipOrderLines"]["order"]["status"] == "SHIPPED"
    assert delivered["markLinesDelivered"]["order"]["status"] == "DELIVERED"
