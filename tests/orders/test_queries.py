"""Reading orders and carts: node visibility, and SQL that does not grow with page size."""

from __future__ import annotations

import base64

import pytest

from models.accounts import Role
from models.attribution import SourceType
from models.catalog import ProductStatus
from tests.carts.shop import CART, Shop, make_cart, make_coupon, make_order, variant_of
from tests.factories import MakeMerchant, MakeProduct, MakeUser, SignIn
from tests.utils import GraphQLClient, gid

ORDERS = """
query($first: Int!) {
  orders(first: $first) {
    edges { node {
      id status couponCode total { amount } buyer { handle }
      lines { sku variant { sku product { title } } merchant { name }
              attribution { creator { handle } } }
    } }
  }
}
"""
NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename
    ... on Order { status shippingAddress { city } lines { sku } }
    ... on OrderLine { sku }
    ... on Cart { itemCount }
    ... on Coupon { code }
  }
}
"""


async def test_order_listing_sql_does_not_grow_with_page_size(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_user: MakeUser,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    creator = await make_user(role=Role.CREATOR)
    merchants = [await make_merchant() for _ in range(3)]
    variants = [await variant_of(await make_product(merchant=m)) for m in merchants]
    for n in range(9):
        await make_order(
            buyer.user,
            [(variants[n % 3], 1), (variants[(n + 1) % 3], 2)],
            creator=creator,
            source=(SourceType.POST, n),
        )

    await gql.post("{ viewer { id } }", token=buyer.token)  # the session's last-use write
    small = await gql.post(ORDERS, {"first": 2}, token=buyer.token)
    large = await gql.post(ORDERS, {"first": 9}, token=buyer.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["orders"]["edges"]) == 9
    assert large.sql == small.sql


async def test_cart_sql_does_not_grow_with_lines(
    gql: GraphQLClient, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    merchant = await make_merchant()
    coupon = await make_coupon(merchant, "SQL10", amount=100)
    few, many = await sign_in(), await sign_in()
    variants = [await variant_of(await make_product(merchant=merchant)) for _ in range(8)]
    await make_cart(few.user, [(v, 1) for v in variants[:1]], coupon=coupon)
    await make_cart(many.user, [(v, 1) for v in variants], coupon=coupon)

    one = await gql.post(CART, {}, token=few.token)
    eight = await gql.post(CART, {}, token=many.token)

    assert len(eight.data["cart"]["lines"]) == 8
    assert eight.sql == one.sql


async def test_node_shows_orders_carts_and_coupons_only_to_those_involved(
    gql: GraphQLClient,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer, stranger, admin = await sign_in(), await sign_in(), await sign_in(role=Role.ADMIN)
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant))
    coupon = await make_coupon(merchant, "NODES", amount=100)
    cart = await make_cart(buyer.user, [(variant, 1)])
    order = await make_order(buyer.user, [(variant, 1)])
    line = (await gql.data(NODE, {"id": gid("Order", order.id)}, token=buyer.token))["node"]

    async def seen(global_id: str, token: str | None) -> object:
        return (await gql.data(NODE, {"id": global_id}, token=token))["node"]

    assert line["shippingAddress"] == {"city": "London"}
    as_seller = await seen(gid("Order", order.id), seller.token)
    assert as_seller == {
        "__typename": "Order",
        "status": "PAID",
        "shippingAddress": {"city": "London"},  # the seller ships it
        "lines": [{"sku": variant.sku}],
    }
    assert await seen(gid("Order", order.id), stranger.token) is None
    assert await seen(gid("Order", order.id), None) is None
    assert (await seen(gid("Order", order.id), admin.token)) is not None
    assert await seen(gid("Cart", cart.id), buyer.token) == {"__typename": "Cart", "itemCount": 1}
    assert await seen(gid("Cart", cart.id), stranger.token) is None
    assert await seen(gid("Coupon", coupon.id), seller.token) == {
        "__typename": "Coupon",
        "code": "NODES",
    }
    assert await seen(gid("Coupon", coupon.id), buyer.token) is None


ORDER_LINE_PRODUCTS = """
query($id: ID!) { order(id: $id) { lines { productTitle product { id title status } } } }
"""


async def test_order_line_product_follows_product_visibility_in_constant_sql(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    """The snapshot stays; `product` is the product now, null where the caller may not see it."""
    buyer, seller = await sign_in(), await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    archived = await make_product(merchant=merchant, status=ProductStatus.ARCHIVED)
    active = [await make_product(merchant=merchant) for _ in range(3)]
    one = await make_order(buyer.user, [(await variant_of(archived), 1)])
    four = await make_order(buyer.user, [(await variant_of(p), 1) for p in [archived, *active]])

    await gql.post("{ viewer { id } }", token=buyer.token)  # the session's last-use write
    small = await gql.post(ORDER_LINE_PRODUCTS, {"id": gid("Order", one.id)}, token=buyer.token)
    large = await gql.post(ORDER_LINE_PRODUCTS, {"id": gid("Order", four.id)}, token=buyer.token)
    as_seller = await gql.data(
        ORDER_LINE_PRODUCTS, {"id": gid("Order", one.id)}, token=seller.token
    )

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert large.data["order"]["lines"] == [
        {"productTitle": archived.title, "product": None},
        *(
            {
                "productTitle": p.title,
                "product": {"id": gid("Product", p.id), "title": p.title, "status": "ACTIVE"},
            }
            for p in active
        ),
    ]
    assert as_seller["order"]["lines"] == [
        {
            "productTitle": archived.title,
            "product": {
                "id": gid("Product", archived.id),
                "title": archived.title,
                "status": "ARCHIVED",
            },
        }
    ]
    assert large.sql == small.sql


@pytest.mark.parametrize("row_id", ["99999999999999999999", str(2**63), "0", "-5"])
async def test_order_cursors_beyond_the_id_column_are_bad_input(
    gql: GraphQLClient, sign_in: SignIn, row_id: str
) -> None:
    # Found by tests/core/test_fuzz.py: the driver could not send the id (a masked error).
    buyer = await sign_in()
    cursor = base64.urlsafe_b64encode(f"c:{row_id}".encode()).decode().rstrip("=")

    reply = await gql.post(
        "query($before: String) { orders(last: 5, before: $before) { edges { cursor } } }",
        {"before": cursor},
        token=buyer.token,
    )

    assert reply.codes == ["BAD_USER_INPUT"]
    assert reply.errors[0]["extensions"]["argument"] == "before"
