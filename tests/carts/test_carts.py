"""Carts: anonymous and signed-in, lines, re-checks of price, stock and status, merge on login."""

from __future__ import annotations

import hashlib

import pytest

from models.accounts import Role
from models.attribution import SourceType
from models.carts import Cart, CartLine, CartStatus
from models.catalog import ProductStatus, Variant
from models.content import Tutorial
from resolvers.carts import Attribution
from tests.carts.shop import (
    ADD_LINE,
    CREATE_CART,
    REMOVE_LINE,
    UPDATE_LINE,
    Shop,
    make_cart,
    make_coupon,
    pk,
    variant_of,
)
from tests.content.tutorial_support import published_tutorial
from tests.factories import PASSWORD, MakeMerchant, MakeProduct, MakeUser, SignIn
from tests.social.support import make_link
from tests.utils import GraphQLClient, gid

LOGIN = """
mutation($email: String!, $password: String!, $cartToken: String) {
  login(email: $email, password: $password, cartToken: $cartToken) {
    __typename ... on AuthSuccess { token }
  }
}
"""


@pytest.mark.smoke
async def test_anonymous_cart_by_token(
    gql: GraphQLClient, shop: Shop, make_product: MakeProduct
) -> None:
    variant = await variant_of(await make_product(variants=[(1250, 5)]))

    created = (await gql.data(CREATE_CART))["createCart"]
    token = created["cartToken"]
    added = await shop.add(None, variant, 2, cart_token=token)

    assert token.startswith("agc_")
    cart_row = await Cart.get(id=pk(created["cart"]["id"]))
    assert cart_row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert cart_row.user_id is None
    cart = added["cart"]
    assert cart["total"] == {"amount": 2500, "currency": "USD"}
    assert cart["itemCount"] == 2
    assert cart["lines"][0]["variant"] == {"id": gid("Variant", variant.id), "sku": variant.sku}
    assert (await shop.cart(cart_token=token))["id"] == created["cart"]["id"]
    assert await shop.cart() is None  # anonymous, no token: no cart


async def test_anonymous_without_token_or_with_a_wrong_one(
    gql: GraphQLClient, shop: Shop, make_product: MakeProduct
) -> None:
    variant = await variant_of(await make_product())
    response = await gql.post(ADD_LINE, {"variant": gid("Variant", variant.id), "quantity": 1})
    wrong = await shop.add(None, variant, cart_token="agc_not-a-real-token")

    assert response.codes == ["UNAUTHENTICATED"]
    assert wrong["__typename"] == "NotFoundError"
    assert await CartLine.all().count() == 0


async def test_signed_in_lines_grow_change_and_go(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    me = await sign_in()
    product = await make_product(variants=[(1000, 10), (300, 10)])
    a, b = await variant_of(product, 0), await variant_of(product, 1)

    await shop.add(me.token, a, 1)
    await shop.add(me.token, a, 2)
    cart = (await shop.add(me.token, b, 1))["cart"]
    assert [(ln["quantity"], ln["total"]["amount"]) for ln in cart["lines"]] == [
        (3, 3000),
        (1, 300),
    ]
    assert cart["subtotal"]["amount"] == 3300
    line_a, line_b = cart["lines"][0]["id"], cart["lines"][1]["id"]

    updated = await gql.data(UPDATE_LINE, {"line": line_a, "quantity": 5}, token=me.token)
    assert updated["updateCartLine"]["cart"]["total"]["amount"] == 5300
    removed = await gql.data(REMOVE_LINE, {"line": line_b}, token=me.token)
    assert [ln["id"] for ln in removed["removeCartLine"]["cart"]["lines"]] == [line_a]
    zero = await gql.data(UPDATE_LINE, {"line": line_a, "quantity": 0}, token=me.token)
    assert zero["updateCartLine"]["cart"]["lines"] == []
    assert await Cart.filter(user_id=me.user.id).count() == 1


async def test_stock_and_status_are_rechecked_on_every_change(
    gql: GraphQLClient, shop: Shop, sign_in: SignIn, make_product: MakeProduct
) -> None:
    me = await sign_in()
    product = await make_product(variants=[(1000, 3)])
    variant = await variant_of(product)

    too_many = await shop.add(me.token, variant, 4)
    assert too_many == {
        "__typename": "InsufficientStockError",
        "variantId": gid("Variant", variant.id),
        "available": 3,
        "message": "Only 3 left of this item.",
    }
    cart = (await shop.add(me.token, variant, 2))["cart"]
    grow = await shop.add(me.token, variant, 2)  # 2 + 2 > 3
    assert grow["__typename"] == "InsufficientStockError"

    await Variant.filter(id=variant.id).update(stock=1)
    listed = await shop.cart(me.token)
    assert listed["lines"][0]["available"] is False
    assert listed["lines"][0]["quantityAvailable"] == 1
    update = await gql.data(
        UPDATE_LINE, {"line": cart["lines"][0]["id"], "quantity": 2}, token=me.token
    )
    assert update["updateCartLine"]["available"] == 1

    await type(product).filter(id=product.id).update(status=ProductStatus.ARCHIVED)
    archived = await shop.add(me.token, variant, 1)
    assert archived["__typename"] == "ProductUnavailableError"
    assert (await CartLine.get(variant_id=variant.id)).quantity == 2


async def test_prices_are_current(shop: Shop, sign_in: SignIn, make_product: MakeProduct) -> None:
    me = await sign_in()
    variant = await variant_of(await make_product(variants=[(1000, 10)]))
    await shop.add(me.token, variant, 2)

    await Variant.filter(id=variant.id).update(price=1200)

    cart = await shop.cart(me.token)
    assert cart["lines"][0]["unitPrice"]["amount"] == 1200
    assert cart["total"]["amount"] == 2400


async def test_one_currency_per_cart(
    shop: Shop, sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    me = await sign_in()
    usd = await variant_of(await make_product())
    eur = await variant_of(await make_product(merchant=await make_merchant(currency="EUR")))
    await shop.add(me.token, usd, 1)

    mixed = await shop.add(me.token, eur, 1)

    assert mixed["__typename"] == "ValidationError"
    assert mixed["field"] == "variantId"
    assert "This cart is in USD" in mixed["message"]


async def test_attribution_on_lines(
    shop: Shop,
    gql: GraphQLClient,
    sign_in: SignIn,
    make_user: MakeUser,
    make_product: MakeProduct,
) -> None:
    me = await sign_in()
    creator = await make_user(role=Role.CREATOR, handle="trail_x")
    product = await make_product()
    variant = await variant_of(product)
    await make_link(creator.id, product.id, code="tt-9")  # a share code must exist
    # A TUTORIAL source must be a tutorial the buyer can see; a named creator wins over its author.
    author = await sign_in(role=Role.CREATOR)
    tutorial = await published_tutorial(gql, author.token)
    number = (await Tutorial.get(slug=tutorial["slug"])).id

    bad = await shop.add(
        me.token, variant, 1, attribution={"sourceType": "POST", "shareCode": "x y"}
    )
    unknown = await shop.add(me.token, variant, 1, attribution={"shareCode": "tt-10"})
    added = await shop.add(
        me.token,
        variant,
        1,
        attribution={
            "sourceType": "TUTORIAL",
            "sourceId": tutorial["id"],
            "creatorId": gid("User", creator.id),
            "shareCode": "tt-9",
        },
    )

    assert bad["__typename"] == "ValidationError"
    assert (unknown["__typename"], unknown["field"]) == ("ValidationError", "attribution.shareCode")
    assert added["cart"]["lines"][0]["attribution"] == {
        "sourceType": "TUTORIAL",
        "sourceId": tutorial["id"],
        "shareCode": "tt-9",
        "creator": {"handle": "trail_x"},
    }
    line = await CartLine.get(variant_id=variant.id)
    assert (line.source_type, line.source_id, line.creator_id) == (
        SourceType.TUTORIAL,
        number,
        creator.id,
    )


@pytest.mark.smoke
async def test_login_merges_the_anonymous_cart(
    gql: GraphQLClient,
    shop: Shop,
    make_user: MakeUser,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    user = await make_user(handle="merger")
    creator = await make_user(role=Role.CREATOR)
    merchant = await make_merchant()
    product = await make_product(merchant=merchant, variants=[(1000, 4), (500, 10), (700, 0)])
    capped, fresh, gone = [await variant_of(product, i) for i in range(3)]
    mine = await make_cart(user, [(capped, 3)])
    await make_coupon(merchant, "WELCOME", amount=100)
    token = (await gql.data(CREATE_CART))["createCart"]["cartToken"]
    attribution = {"sourceType": "CREATOR", "creatorId": gid("User", creator.id)}
    await shop.add(None, capped, 2, cart_token=token, attribution=attribution)
    await shop.add(None, fresh, 1, cart_token=token, attribution=attribution)
    anonymous = await Cart.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    await CartLine.create(cart_id=anonymous.id, variant_id=gone.id, quantity=1)  # sold out since
    assert (await shop.apply(None, "welcome", cart_token=token))["__typename"] == (
        "ApplyCouponSuccess"
    )

    signed = await gql.data(LOGIN, {"email": user.email, "password": PASSWORD, "cartToken": token})

    session = signed["login"]["token"]
    cart = await shop.cart(session)
    assert cart["id"] == gid("Cart", mine.id)
    quantities = {pk(ln["variant"]["id"]): ln["quantity"] for ln in cart["lines"]}
    assert quantities == {capped.id: 4, fresh.id: 1}  # 3 + 2 capped at the 4 in stock
    assert all(ln["attribution"]["creator"] is not None for ln in cart["lines"])
    assert cart["couponCode"] == "WELCOME"
    assert (await Cart.get(id=anonymous.id)).status is CartStatus.MERGED
    again = await shop.add(None, fresh, 1, cart_token=token)
    assert again["__typename"] == "ValidationError"


async def test_merge_keeps_the_users_own_attribution(
    gql: GraphQLClient, shop: Shop, make_user: MakeUser, make_product: MakeProduct
) -> None:
    user = await make_user()
    first, second = await make_user(role=Role.CREATOR), await make_user(role=Role.CREATOR)
    variant = await variant_of(await make_product())
    await make_cart(
        user, [(variant, 1)], attribution=Attribution(SourceType.CREATOR, first.id, first.id)
    )
    token = (await gql.data(CREATE_CART))["createCart"]["cartToken"]
    await shop.add(
        None,
        variant,
        1,
        cart_token=token,
        attribution={"sourceType": "CREATOR", "creatorId": gid("User", second.id)},
    )

    await gql.data(LOGIN, {"email": user.email, "password": PASSWORD, "cartToken": token})

    line = await CartLine.get(cart__user_id=user.id)
    assert (line.quantity, line.creator_id) == (2, first.id)


async def test_login_with_a_bad_cart_token_still_signs_in(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    user = await make_user()

    signed = await gql.data(
        LOGIN, {"email": user.email, "password": PASSWORD, "cartToken": "agc_nonsense"}
    )

    assert signed["login"]["__typename"] == "AuthSuccess"
    assert await Cart.all().count() == 0
