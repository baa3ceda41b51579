"""Authorization matrix of every commerce mutation (tests/authz.py runs it).

The owner is the cart's or order's buyer, or the merchant's owner (the seller). The outcome is a
payload __typename or, for who-may-call failures, an extensions.code. Whatever fails leaves the
world as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.carts import Cart, CartLine, Coupon
from models.orders import LineStatus, Order, OrderLine, OrderStatus, RefundStatus
from resolvers.principal import Scope
from schema.carts import CartMutation
from schema.orders import OrderMutation
from tests.authz import FORBIDDEN, NOT_FOUND, PERMISSION_DENIED, Actor, Matrix, World, row
from tests.carts.shop import ADDRESS, make_cart, make_coupon, make_order, new_key
from tests.utils import gid

NF, PD = NOT_FOUND, PERMISSION_DENIED


async def _scene(w: World) -> None:
    """A coupon, the buyer's cart, and one order of the buyer's in each state a row needs."""
    buyer = w.buyer.user
    coupon = await make_coupon(w.merchant, "MATRIX", amount=100)
    cart = await make_cart(buyer, [(w.variant, 1)], coupon=coupon)
    orders = {
        "unpaid": await make_order(
            buyer,
            [(w.variant, 1)],
            status=OrderStatus.PENDING_PAYMENT,
            payment_reference="declined:card_declined",
        ),
        "paid": await make_order(buyer, [(w.variant, 1)]),
        "shipped": await make_order(
            buyer, [(w.variant, 1)], status=OrderStatus.SHIPPED, line_status=LineStatus.SHIPPED
        ),
        "delivered": await make_order(
            buyer,
            [(w.variant, 1)],
            status=OrderStatus.DELIVERED,
            line_status=LineStatus.DELIVERED,
        ),
        "refund_failed": await make_order(buyer, [(w.variant, 1)], status=OrderStatus.REFUNDED),
    }
    await Order.filter(id=orders["refund_failed"].id).update(refund_status=RefundStatus.FAILED)
    w.scene.update(
        coupon=coupon,
        cart=cart,
        cart_line=await CartLine.get(cart_id=cart.id),
        orders=orders,
        lines={name: await OrderLine.get(order_id=order.id) for name, order in orders.items()},
    )


async def _snapshot(w: World) -> Any:
    """Everything of the owner's the mutations could touch."""
    orders = await Order.all().order_by("id").values_list("id", "status", "refund_status")
    lines = await OrderLine.all().order_by("id").values_list("id", "status")
    coupons = await Coupon.all().order_by("id").values_list("code", "is_active", "uses")
    cart = await Cart.get(id=w.scene["cart"].id)
    cart_lines = await CartLine.filter(cart_id=cart.id).values_list("variant_id", "quantity")
    return orders, lines, coupons, (cart.status, cart.coupon_id), sorted(cart_lines)


def _order(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"order": gid("Order", w.scene["orders"][name].id)}


def _order_lines(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {
        "order": gid("Order", w.scene["orders"][name].id),
        "lines": [gid("OrderLine", w.scene["lines"][name].id)],
    }


SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]
# The caller's own cart: others have none of this (NotFound), admins included.
OWN_CART: dict[str, Any] = {"allowed": ["owner"], "refusal": NF, "scope": Scope.WRITE_ORDERS}
# Buyers' steps on the order; to anyone else it does not exist.
BUYERS: dict[str, Any] = {"refusal": NF, "scope": Scope.WRITE_ORDERS}
# The merchant's managers and admins; to anyone else the order does not exist.
MERCHANTS: dict[str, Any] = {
    "allowed": ["owner", "admin"],
    "refusal": NF,
    "owner": "seller",
    "scope": Scope.WRITE_COMMERCE,
}
# Operators only, in person: the merchant who refunded does not settle the provider's failures.
OPERATORS: dict[str, Any] = {"allowed": ["admin"], "refusal": FORBIDDEN, "owner": "seller"}

MATRIX = Matrix(
    domain=[CartMutation, OrderMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        # Everyone has a cart of their own: others add to theirs, never the owner's.
        row(
            "createCart",
            "mutation { createCart { __typename } }",
            allowed=["anonymous", *SIGNED_IN],  # anonymous carts come with a cart token
            success="CreateCartSuccess",
            scope=Scope.WRITE_ORDERS,
            own_only=True,
        ),
        row(
            "addCartLine",
            "mutation($v: ID!) { addCartLine(variantId: $v, quantity: 1) { __typename } }",
            lambda w: {"v": gid("Variant", w.variant.id)},
            allowed=SIGNED_IN,
            success="AddCartLineSuccess",
            scope=Scope.WRITE_ORDERS,
            own_only=True,
        ),
        row(
            "updateCartLine",
            "mutation($l: ID!) { updateCartLine(lineId: $l, quantity: 2) { __typename } }",
            lambda w: {"l": gid("CartLine", w.scene["cart_line"].id)},
            success="UpdateCartLineSuccess",
            **OWN_CART,
        ),
        row(
            "removeCartLine",
            "mutation($l: ID!) { removeCartLine(lineId: $l) { __typename } }",
            lambda w: {"l": gid("CartLine", w.scene["cart_line"].id)},
            success="RemoveCartLineSuccess",
            **OWN_CART,
        ),
        row(
            "applyCoupon",
            'mutation { applyCoupon(code: "MATRIX") { __typename } }',
            success="ApplyCouponSuccess",
            **OWN_CART,
        ),
        row(
            "removeCoupon",
            "mutation { removeCoupon { __typename } }",
            success="RemoveCouponSuccess",
            **OWN_CART,
        ),
        row(
            "createCoupon",
            'mutation($m: ID!) { createCoupon(merchantId: $m, code: "NEWONE", kind: FIXED, '
            "amount: 100) { __typename } }",
            lambda w: {"m": gid("Merchant", w.merchant.id)},
            allowed=["owner", "admin"],
            success="CreateCouponSuccess",
            refusal=PD,
            owner="seller",
            scope=Scope.WRITE_COMMERCE,
        ),
        row(
            "setCouponActive",
            "mutation($c: ID!) { setCouponActive(couponId: $c, isActive: false) { __typename } }",
            lambda w: {"c": gid("Coupon", w.scene["coupon"].id)},
            allowed=["owner", "admin"],
            success="SetCouponActiveSuccess",
            refusal=PD,
            owner="seller",
            scope=Scope.WRITE_COMMERCE,
        ),
        row(
            "checkout",
            "mutation($c: ID!, $k: String!, $a: ShippingAddressInput!) { checkout(cartId: $c, "
            'idempotencyKey: $k, shippingAddress: $a, paymentToken: "tok_ok") { __typename } }',
            lambda w: {"c": gid("Cart", w.scene["cart"].id), "k": new_key(), "a": ADDRESS},
            allowed=["owner"],
            success="CheckoutSuccess",
            **BUYERS,
        ),
        row(
            "payOrder",
            'mutation($order: ID!) { payOrder(orderId: $order, paymentToken: "tok_ok") '
            "{ __typename } }",
            _order("unpaid"),
            allowed=["owner"],
            success="PayOrderSuccess",
            refusals={"admin": PD},
            **BUYERS,
        ),
        row(
            "cancelOrder",
            "mutation($order: ID!) { cancelOrder(orderId: $order) { __typename } }",
            _order("paid"),
            allowed=["owner", "admin"],
            success="CancelOrderSuccess",
            **BUYERS,
        ),
        row(
            "shipOrderLines",
            "mutation($order: ID!, $lines: [ID!]!) { shipOrderLines(orderId: $order, "
            'lineIds: $lines, carrier: "UPS", trackingNumber: "1Z") { __typename } }',
            _order_lines("paid"),
            success="ShipOrderLinesSuccess",
            **MERCHANTS,
        ),
        row(
            "markLinesDelivered",
            "mutation($order: ID!, $lines: [ID!]!) { markLinesDelivered(orderId: $order, "
            "lineIds: $lines) { __typename } }",
            _order_lines("shipped"),
            success="MarkLinesDeliveredSuccess",
            **MERCHANTS,
        ),
        row(
            "completeOrder",
            "mutation($order: ID!) { completeOrder(orderId: $order) { __typename } }",
            _order("delivered"),
            allowed=["owner"],
            success="CompleteOrderSuccess",
            refusals={"admin": PD},
            **BUYERS,
        ),
        row(
            "refundOrder",
            "mutation($order: ID!) { refundOrder(orderId: $order) { __typename } }",
            _order("paid"),
            success="RefundOrderSuccess",
            **MERCHANTS,
        ),
        row(
            "retryRefund",
            "mutation($order: ID!) { retryRefund(orderId: $order) { __typename } }",
            _order("refund_failed"),
            success="RetryRefundSuccess",
            **OPERATORS,
        ),
        row(
            "settleRefund",
            'mutation($order: ID!) { settleRefund(orderId: $order, reference: "re_1") '
            "{ __typename } }",
            _order("refund_failed"),
            success="SettleRefundSuccess",
            **OPERATORS,
        ),
    ],
)
test_every_commerce_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
