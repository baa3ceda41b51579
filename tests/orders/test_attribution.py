"""Attribution: cart lines carry it into order lines; totals per creator and per content."""

from __future__ import annotations

from typing import Any

import pytest

from models.accounts import Role
from models.attribution import SourceType
from models.orders import OrderStatus
from tests.authz import BuildWorld, World
from tests.carts.shop import Shop, make_order, pk, variant_of
from tests.factories import MakeApp, MakeAppToken, MakeProduct, SignIn
from tests.social.support import make_link
from tests.utils import GraphQLClient, gid

CREATOR = """
query($creator: ID!) {
  creatorAttribution(creatorId: $creator) { orders units gmv { amount currency } }
}
"""
CONTENT = """
query($type: AttributionSource!, $id: ID, $code: String) {
  contentAttribution(sourceType: $type, sourceId: $id, shareCode: $code) {
    orders units gmv { amount currency }
  }
}
"""


async def _attributed(w: World) -> dict[str, Any]:
    """Two creators, and the world's buyer's orders crediting them, counted and not."""
    ana = await w.sign_in(role=Role.CREATOR)
    tom = await w.sign_in(role=Role.CREATOR)
    buyer = w.buyer.user
    usd = w.variant  # 1000 USD
    eur = await variant_of(
        await w.make_product(merchant=await w.make_merchant(currency="EUR"), variants=[(700, 50)])
    )
    post = (SourceType.POST, 11)
    for status in (OrderStatus.PAID, OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        await make_order(buyer, [(usd, 2)], status=status, creator=ana.user, source=post)
    await make_order(buyer, [(eur, 3)], currency="EUR", creator=ana.user, share_code="ana-1")
    # Not counted: unpaid, cancelled, refunded, or someone else's.
    for status in (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        await make_order(buyer, [(usd, 1)], status=status, creator=ana.user, source=post)
    await make_order(buyer, [(usd, 5)], creator=tom.user, source=post)
    return {"ana": ana, "tom": tom, "buyer": w.buyer, "admin": w.admin}


@pytest.mark.smoke
async def test_creator_totals(gql: GraphQLClient, build_world: BuildWorld) -> None:
    w = await _attributed(await build_world())
    admin = w["admin"]
    variables = {"creator": gid("User", w["ana"].user.id)}

    mine = await gql.post(CREATOR, variables, token=w["ana"].token)
    as_admin = await gql.data(CREATOR, variables, token=admin.token)
    as_tom = await gql.post(CREATOR, variables, token=w["tom"].token)
    as_buyer = await gql.post(CREATOR, variables, token=w["buyer"].token)

    expected = {
        "orders": 4,
        "units": 9,
        "gmv": [{"amount": 2100, "currency": "EUR"}, {"amount": 6000, "currency": "USD"}],
    }
    assert mine.data == {"creatorAttribution": expected}
    assert mine.sql <= 3  # session lookup + one aggregate query (+ last-used write)
    assert as_admin == {"creatorAttribution": expected}
    assert as_tom.codes == ["FORBIDDEN"]
    assert as_buyer.codes == ["FORBIDDEN"]  # shoppers hold no read:analytics


async def test_content_totals(gql: GraphQLClient, build_world: BuildWorld) -> None:
    w = await _attributed(await build_world())
    admin = w["admin"]
    post = {"type": "POST", "id": gid("Post", 11)}

    everyone = await gql.data(CONTENT, post, token=admin.token)
    anas = await gql.data(CONTENT, post, token=w["ana"].token)
    plain_id = await gql.data(CONTENT, {"type": "POST", "id": "11"}, token=w["tom"].token)
    share = await gql.data(CONTENT, {"type": "SHARE_LINK", "code": "ana-1"}, token=admin.token)
    missing = await gql.post(CONTENT, {"type": "POST"}, token=admin.token)

    assert everyone["contentAttribution"] == {
        "orders": 4,
        "units": 11,
        "gmv": [{"amount": 11000, "currency": "USD"}],
    }
    assert anas["contentAttribution"]["units"] == 6
    assert plain_id["contentAttribution"] == {
        "orders": 1,
        "units": 5,
        "gmv": [{"amount": 5000, "currency": "USD"}],
    }
    assert share["contentAttribution"]["gmv"] == [{"amount": 2100, "currency": "EUR"}]
    assert missing.codes == ["BAD_USER_INPUT"]


async def test_apps_need_read_analytics(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    without = await make_app_token(await make_app(ana.user, scopes=["read:content"]))
    with_scope = await make_app_token(await make_app(ana.user, scopes=["read:analytics"]))
    variables = {"creator": gid("User", ana.user.id)}

    refused = await gql.post(CREATOR, variables, token=without)
    allowed = await gql.data(CREATOR, variables, token=with_scope)

    assert refused.codes == ["FORBIDDEN"]
    assert allowed == {"creatorAttribution": {"orders": 0, "units": 0, "gmv": []}}


async def test_attribution_flows_from_cart_to_order_to_totals(
    shop: Shop, gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    creator = await sign_in(role=Role.CREATOR)
    buyer = await sign_in()
    product = await make_product(variants=[(1500, 9)])
    variant = await variant_of(product)
    await make_link(creator.user.id, product.id, code="spring")
    await shop.add(
        buyer.token,
        variant,
        3,
        attribution={
            "sourceType": "SHARE_LINK",
            "shareCode": "spring",
            "creatorId": gid("User", creator.user.id),
        },
    )
    mine = await shop.cart(buyer.token)

    placed = await shop.checkout(buyer.token, pk(mine["id"]))

    assert placed["order"]["lines"][0]["attribution"]["shareCode"] == "spring"
    totals = await gql.data(CREATOR, {"creator": gid("User", creator.user.id)}, token=creator.token)
    assert totals["creatorAttribution"] == {
        "orders": 1,
        "units": 3,
        "gmv": [{"amount": 4500, "currency": "USD"}],
    }


async def test_a_share_code_longer_than_its_column_is_bad_input(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    # Found by tests/core/test_fuzz.py: the query failed on the value's length (masked).
    creator = await sign_in(role=Role.CREATOR)

    reply = await gql.post(CONTENT, {"type": "SHARE_LINK", "code": "a" * 41}, token=creator.token)

    assert reply.codes == ["BAD_USER_INPUT"]
    assert reply.errors[0]["extensions"]["argument"] == "shareCode"
