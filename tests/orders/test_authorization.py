"""Authorization matrix of every commerce mutation.

Actors: anonymous, another user (a shopper), another merchant, an app of the owner without the
needed scope, the owner (the cart's or order's buyer, or the merchant), and an admin. The
outcome is a payload __typename or, for who-may-call failures, an extensions.code. Whatever
fails leaves the world as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.accounts import Role
from models.carts import Cart, CartLine, Coupon
from models.orders import LineStatus, Order, OrderLine, OrderStatus, RefundStatus
from tests.carts.shop import ADDRESS, make_cart, make_coupon, make_order, new_key, variant_of
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.utils import GraphQLClient, gid

ACTORS = ["anonymous", "other_user", "other_merchant", "app_without_scope", "owner", "admin"]


async def _world(
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> dict[str, Any]:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant, variants=[(1000, 20)]))
    coupon = await make_coupon(merchant, "MATRIX", amount=100)
    cart = await make_cart(buyer.user, [(variant, 1)], coupon=coupon)
    rival = await sign_in(role=Role.MERCHANT)
    await make_merchant(owner=rival.user)
    orders = {
        "unpaid": await make_order(
            buyer.user,
            [(variant, 1)],
            status=OrderStatus.PENDING_PAYMENT,
            payment_reference="declined:card_declined",
        ),
        "paid": await make_order(buyer.user, [(variant, 1)]),
        "shipped": await make_order(
            buyer.user, [(variant, 1)], status=OrderStatus.SHIPPED, line_status=LineStatus.SHIPPED
        ),
        "delivered": await make_order(
            buyer.user,
            [(variant, 1)],
            status=OrderStatus.DELIVERED,
            line_status=LineStatus.DELIVERED,
        ),
        "refund_failed": await make_order(buyer.user, [(variant, 1)], status=OrderStatus.REFUNDED),
    }
    await Order.filter(id=orders["refund_failed"].id).update(refund_status=RefundStatus.FAILED)
    lines = {name: await OrderLine.get(order_id=order.id) for name, order in orders.items()}
    apps = {
        "buyer": await make_app_token(await make_app(buyer.user, scopes=["read:content"])),
        "seller": await make_app_token(await make_app(seller.user, scopes=["read:content"])),
    }
    return {
        "buyer": buyer,
        "seller": seller,
        "merchant": merchant,
        "variant": variant,
        "coupon": coupon,
        "cart": cart,
        "cart_line": await CartLine.get(cart_id=cart.id),
        "orders": orders,
        "lines": lines,
        "apps": apps,
        "tokens": {
            "anonymous": None,
            "other_user": (await sign_in()).token,
            "other_merchant": rival.token,
            "admin": (await sign_in(role=Role.ADMIN)).token,
        },
    }


def _order(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda w: {"order": gid("Order", w["orders"][name].id)}


def _order_lines(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda w: {
        "order": gid("Order", w["orders"][name].id),
        "lines": [gid("OrderLine", w["lines"][name].id)],
    }


# mutation -> (whose it is, document, variables)
MUTATIONS: dict[str, tuple[str, str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "createCart": ("buyer", "mutation { createCart { __typename } }", lambda w: {}),
    "addCartLine": (
        "buyer",
        "mutation($v: ID!) { addCartLine(variantId: $v, quantity: 1) { __typename } }",
        lambda w: {"v": gid("Variant", w["variant"].id)},
    ),
    "updateCartLine": (
        "buyer",
        "mutation($l: ID!) { updateCartLine(lineId: $l, quantity: 2) { __typename } }",
        lambda w: {"l": gid("CartLine", w["cart_line"].id)},
    ),
    "removeCartLine": (
        "buyer",
        "mutation($l: ID!) { removeCartLine(lineId: $l) { __typename } }",
        lambda w: {"l": gid("CartLine", w["cart_line"].id)},
    ),
    "applyCoupon": (
        "buyer",
        'mutation { applyCoupon(code: "MATRIX") { __typename } }',
        lambda w: {},
    ),
    "removeCoupon": ("buyer", "mutation { removeCoupon { __typename } }", lambda w: {}),
    "createCoupon": (
        "seller",
        'mutation($m: ID!) { createCoupon(merchantId: $m, code: "NEWONE", kind: FIXED, '
        "amount: 100) { __typename } }",
        lambda w: {"m": gid("Merchant", w["merchant"].id)},
    ),
    "setCouponActive": (
        "seller",
        "mutation($c: ID!) { setCouponActive(couponId: $c, isActive: false) { __typename } }",
        lambda w: {"c": gid("Coupon", w["coupon"].id)},
    ),
    "checkout": (
        "buyer",
        "mutation($c: ID!, $k: String!, $a: ShippingAddressInput!) { checkout(cartId: $c, "
        'idempotencyKey: $k, shippingAddress: $a, paymentToken: "tok_ok") { __typename } }',
        lambda w: {"c": gid("Cart", w["cart"].id), "k": new_key(), "a": ADDRESS},
    ),
    "payOrder": (
        "buyer",
        'mutation($order: ID!) { payOrder(orderId: $order, paymentToken: "tok_ok") '
        "{ __typename } }",
        _order("unpaid"),
    ),
    "cancelOrder": (
        "buyer",
        "mutation($order: ID!) { cancelOrder(orderId: $order) { __typename } }",
        _order("paid"),
    ),
    "shipOrderLines": (
        "seller",
        "mutation($order: ID!, $lines: [ID!]!) { shipOrderLines(orderId: $order, "
        'lineIds: $lines, carrier: "UPS", trackingNumber: "1Z") { __typename } }',
        _order_lines("paid"),
    ),
    "markLinesDelivered": (
        "seller",
        "mutation($order: ID!, $lines: [ID!]!) { markLinesDelivered(orderId: $order, "
        "lineIds: $lines) { __typename } }",
        _order_lines("shipped"),
    ),
    "completeOrder": (
        "buyer",
        "mutation($order: ID!) { completeOrder(orderId: $order) { __typename } }",
        _order("delivered"),
    ),
    "refundOrder": (
        "seller",
        "mutation($order: ID!) { refundOrder(orderId: $order) { __typename } }",
        _order("paid"),
    ),
    "retryRefund": (
        "seller",
        "mutation($order: ID!) { retryRefund(orderId: $order) { __typename } }",
        _order("refund_failed"),
    ),
    "settleRefund": (
        "seller",
        'mutation($order: ID!) { settleRefund(orderId: $order, reference: "re_1") { __typename } }',
        _order("refund_failed"),
    ),
}

UNAUTH, FORBIDDEN = "UNAUTHENTICATED", "FORBIDDEN"
NF, PD = "NotFoundError", "PermissionDeniedError"


def _row(
    anonymous: str, other_user: str, other_merchant: str, owner: str, admin: str
) -> dict[str, str]:
    return {
        "anonymous": anonymous,
        "other_user": other_user,
        "other_merchant": other_merchant,
        "app_without_scope": FORBIDDEN,
        "owner": owner,
        "admin": admin,
    }


def _own_cart(success: str) -> dict[str, str]:
    """Calls on the caller's own cart: others have none of this (NotFound)."""
    return _row(UNAUTH, NF, NF, success, NF)


def _merchant(success: str) -> dict[str, str]:
    """The merchant's managers and admins; to anyone else the order does not exist."""
    return _row(UNAUTH, NF, NF, success, success)


EXPECTED: dict[str, dict[str, str]] = {
    # Everyone has a cart of their own: others add to theirs, never the owner's.
    "createCart": _row(*["CreateCartSuccess"] * 5),
    "addCartLine": _row(UNAUTH, *["AddCartLineSuccess"] * 4),
    "updateCartLine": _own_cart("UpdateCartLineSuccess"),
    "removeCartLine": _own_cart("RemoveCartLineSuccess"),
    "applyCoupon": _own_cart("ApplyCouponSuccess"),
    "removeCoupon": _own_cart("RemoveCouponSuccess"),
    "createCoupon": _row(UNAUTH, PD, PD, "CreateCouponSuccess", "CreateCouponSuccess"),
    "setCouponActive": _row(UNAUTH, PD, PD, "SetCouponActiveSuccess", "SetCouponActiveSuccess"),
    "checkout": _row(UNAUTH, NF, NF, "CheckoutSuccess", NF),
    "payOrder": _row(UNAUTH, NF, NF, "PayOrderSuccess", PD),
    "cancelOrder": _row(UNAUTH, NF, NF, "CancelOrderSuccess", "CancelOrderSuccess"),
    "shipOrderLines": _merchant("ShipOrderLinesSuccess"),
    "markLinesDelivered": _merchant("MarkLinesDeliveredSuccess"),
    "completeOrder": _row(UNAUTH, NF, NF, "CompleteOrderSuccess", PD),
    "refundOrder": _merchant("RefundOrderSuccess"),
    # Operators only: the merchant who refunded does not settle the provider's failures.
    "retryRefund": _row(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, "RetryRefundSuccess"),
    "settleRefund": _row(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, "SettleRefundSuccess"),
}


async def _snapshot(w: dict[str, Any]) -> Any:
    """Everything of the owner's the mutations could touch."""
    orders = await Order.all().order_by("id").values_list("id", "status", "refund_status")
    lines = await OrderLine.all().order_by("id").values_list("id", "status")
    coupons = await Coupon.all().order_by("id").values_list("code", "is_active", "uses")
    cart = await Cart.get(id=w["cart"].id)
    cart_lines = await CartLine.filter(cart_id=cart.id).values_list("variant_id", "quantity")
    return orders, lines, coupons, (cart.status, cart.coupon_id), sorted(cart_lines)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_authorization_matrix(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
    mutation: str,
    actor: str,
) -> None:
    w = await _world(sign_in, make_merchant, make_product, make_app, make_app_token)
    whose, document, variables = MUTATIONS[mutation]
    tokens = w["tokens"] | {"owner": w[whose].token, "app_without_scope": w["apps"][whose]}
    before = await _snapshot(w)

    response = await gql.post(document, variables(w), token=tokens[actor])

    expected = EXPECTED[mutation][actor]
    if expected.isupper():
        assert response.codes == [expected], response.body
        assert response.data == {mutation: None}
    else:
        assert not response.errors, response.errors
        assert response.data[mutation]["__typename"] == expected
    touches_own_cart_only = mutation in ("createCart", "addCartLine") and actor != "owner"
    if not expected.endswith("Success") or touches_own_cart_only:
        assert await _snapshot(w) == before
