"""addTutorialToCart: available parts go in credited to the tutorial and its author, the rest
are skipped with a reason; stock holds under concurrent calls; orders and contentAttribution
carry the TUTORIAL source."""

from __future__ import annotations

import asyncio
from typing import Any

from models.accounts import Role
from models.carts import CartLine
from models.catalog import Product, ProductStatus, Variant
from models.orders import OrderLine
from tests.carts.shop import CHECKOUT, CREATE_CART, new_key
from tests.content.tutorial_support import create_tutorial, part, published_tutorial
from tests.factories import MakeProduct, SignIn
from tests.utils import GraphQLClient, gid

ADD = """
mutation($id: ID!, $token: String, $quantity: Int! = 1) {
  addTutorialToCart(tutorialId: $id, cartToken: $token, quantity: $quantity) {
    __typename
    ... on AddTutorialToCartSuccess {
      cart { id itemCount lines { quantity } }
      added { quantity variant { sku }
              attribution { sourceType sourceId creator { handle } tutorial { title } } }
      skipped { reason part { position quantity available product { title } } }
    }
    ... on ValidationError { field }
    ... on NotFoundError { message }
  }
}
"""
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical St",
    "city": "London",
    "postalCode": "N1 9GU",
    "country": "GB",
}
REPORT = """
query($id: ID!) { contentAttribution(sourceType: TUTORIAL, sourceId: $id) {
  orders units gmv { amount } tutorial { title } } }
"""


async def _variant(product: Product, position: int = 0) -> Variant:
    return await Variant.get(product_id=product.id, position=position)


async def test_available_parts_go_in_and_the_others_are_skipped_with_a_reason(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in(role=Role.CREATOR)
    single = await make_product(title="Kettle", variants=[(3000, 10)])
    chosen = await make_product(title="Tea", variants=[(1000, 10), (1800, 10)])
    archived = await make_product(title="Old whisk", variants=[(500, 10)])
    sold_out = await make_product(title="Bowl", variants=[(900, 10)])
    several = await make_product(title="Cups", variants=[(400, 10), (600, 10)])
    scarce = await make_product(title="Scoop", variants=[(200, 2)])
    tutorial = await published_tutorial(
        gql,
        author.token,
        title="Matcha set",
        parts=[
            part(single, quantity=2),
            part(chosen, (await _variant(chosen, 1)).id),
            part(archived),
            part(sold_out),
            part(several),
            part(scarce, quantity=3),
        ],
    )
    await Product.filter(id=archived.id).update(status=ProductStatus.ARCHIVED)
    await Variant.filter(product_id=sold_out.id).update(stock=0)
    buyer = await sign_in()

    data = await gql.data(ADD, {"id": tutorial["id"]}, token=buyer.token)

    result = data["addTutorialToCart"]
    assert result["__typename"] == "AddTutorialToCartSuccess", result
    credit = {
        "sourceType": "TUTORIAL",
        "sourceId": tutorial["id"],
        "creator": {"handle": author.user.handle},
        "tutorial": {"title": "Matcha set"},
    }
    assert result["added"] == [
        {"quantity": 2, "variant": {"sku": (await _variant(single)).sku}, "attribution": credit},
        {"quantity": 1, "variant": {"sku": (await _variant(chosen, 1)).sku}, "attribution": credit},
    ]
    assert [(s["part"]["position"], s["reason"]) for s in result["skipped"]] == [
        (2, "PRODUCT_UNAVAILABLE"),
        (3, "OUT_OF_STOCK"),
        (4, "VARIANT_REQUIRED"),
        (5, "INSUFFICIENT_STOCK"),
    ]
    assert result["skipped"][0]["part"]["product"] is None  # archived: not visible to buyers
    assert result["skipped"][2]["part"] == {
        "position": 4,
        "quantity": 1,
        "available": False,
        "product": {"title": "Cups"},
    }
    assert result["cart"]["itemCount"] == 3


async def test_anonymous_carts_by_token_and_the_multiplier(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    kettle = await make_product(variants=[(3000, 10)])
    tutorial = await published_tutorial(gql, author.token, parts=[part(kettle, quantity=2)])
    created = await gql.data(CREATE_CART)
    token = created["createCart"]["cartToken"]

    without = await gql.post(ADD, {"id": tutorial["id"]})
    twice = await gql.data(ADD, {"id": tutorial["id"], "token": token, "quantity": 3})
    again = await gql.data(ADD, {"id": tutorial["id"], "token": token, "quantity": 3})
    too_many = await gql.data(ADD, {"id": tutorial["id"], "token": token, "quantity": 11})

    assert without.codes == ["UNAUTHENTICATED"]
    assert twice["addTutorialToCart"]["cart"]["lines"] == [{"quantity": 6}]
    # 6 more would make 12 of a stock of 10: skipped, the line stays as it was.
    assert again["addTutorialToCart"]["added"] == []
    assert again["addTutorialToCart"]["skipped"][0]["reason"] == "INSUFFICIENT_STOCK"
    assert again["addTutorialToCart"]["cart"]["lines"] == [{"quantity": 6}]
    assert too_many["addTutorialToCart"] == {"__typename": "ValidationError", "field": "quantity"}


async def test_a_draft_of_someone_else_is_not_found_and_adds_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    kettle = await make_product()
    draft = await create_tutorial(gql, author.token, parts=[part(kettle)])
    buyer = await sign_in()

    theirs = await gql.data(ADD, {"id": draft["id"]}, token=buyer.token)
    mine = await gql.data(ADD, {"id": draft["id"]}, token=author.token)

    assert theirs["addTutorialToCart"]["__typename"] == "NotFoundError"
    assert mine["addTutorialToCart"]["__typename"] == "AddTutorialToCartSuccess"
    assert await CartLine.filter(cart__user_id=buyer.user.id).count() == 0


async def test_concurrent_calls_on_one_cart_never_pass_the_stock(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in()
    scarce = await make_product(variants=[(500, 5)])
    tutorial = await published_tutorial(gql, author.token, parts=[part(scarce, quantity=2)])
    buyer = await sign_in()
    await gql.data(CREATE_CART, token=buyer.token)  # the cart exists: every call finds it

    results = await asyncio.gather(
        *(gql.data(ADD, {"id": tutorial["id"]}, token=buyer.token) for _ in range(4))
    )

    added = [r["addTutorialToCart"]["added"] for r in results]
    assert sorted(len(lines) for lines in added) == [0, 0, 1, 1]  # 2 + 2 of 5, then no more
    [line] = await CartLine.filter(cart__user_id=buyer.user.id)
    assert line.quantity == 4


async def test_the_order_line_carries_the_tutorial_and_content_attribution_reports_it(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author = await sign_in(role=Role.CREATOR)
    kettle = await make_product(variants=[(3000, 10)])
    tutorial = await published_tutorial(
        gql, author.token, title="Tea for two", parts=[part(kettle, quantity=2)]
    )
    buyer = await sign_in()
    added = await gql.data(ADD, {"id": tutorial["id"]}, token=buyer.token)
    cart = added["addTutorialToCart"]["cart"]["id"]

    checkout = await gql.data(
        CHECKOUT,
        {"cart": cart, "key": new_key(), "address": ADDRESS, "payment": "tok_ok"},
        token=buyer.token,
    )
    report = await gql.data(REPORT, {"id": tutorial["id"]}, token=author.token)

    assert checkout["checkout"]["__typename"] == "CheckoutSuccess", checkout
    [line] = await OrderLine.all()
    assert (line.source_type.value if line.source_type else None, line.creator_id) == (
        "tutorial",
        author.user.id,
    )
    assert report["contentAttribution"] == {
        "orders": 1,
        "units": 2,
        "gmv": [{"amount": 6000}],
        "tutorial": {"title": "Tea for two"},
    }
    other: dict[str, Any] = await gql.data(
        REPORT, {"id": gid("Tutorial", 987_654)}, token=author.token
    )
    assert other["contentAttribution"]["tutorial"] is None
