"""Attribution to posts: a POST source resolves to its post, and only a visible post counts."""

from __future__ import annotations

from models.accounts import Role
from tests.content.support import create_post, published_post
from tests.factories import MakeProduct, SignIn
from tests.utils import GraphQLClient, gid

ADD = """
mutation($variant: ID!, $post: ID!) {
  addCartLine(variantId: $variant, quantity: 1,
              attribution: {sourceType: POST, sourceId: $post}) {
    __typename
    ... on AddCartLineSuccess { cart { lines { attribution { sourceId post { title } } } } }
    ... on ValidationError { field }
  }
}
"""
REPORT = """
query($id: ID!) { contentAttribution(sourceType: POST, sourceId: $id) { orders post { title } } }
"""


async def test_a_cart_line_credits_only_a_post_the_buyer_can_see(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    creator = await sign_in(role=Role.CREATOR)
    draft = await create_post(gql, creator.token, title="Not yet")
    out = await published_post(gql, creator.token, title="Kettle review")
    buyer = await sign_in()
    product = await make_product(variants=[(1000, 5)])
    variant = gid("Variant", (await product.variants.all())[0].id)

    refused = await gql.data(ADD, {"variant": variant, "post": draft["id"]}, token=buyer.token)
    missing = await gql.data(
        ADD, {"variant": variant, "post": gid("Post", 987654)}, token=buyer.token
    )
    added = await gql.data(ADD, {"variant": variant, "post": out["id"]}, token=buyer.token)

    assert refused["addCartLine"] == {
        "__typename": "ValidationError",
        "field": "attribution.sourceId",
    }
    assert missing["addCartLine"] == refused["addCartLine"]
    [line] = added["addCartLine"]["cart"]["lines"]
    assert line["attribution"] == {"sourceId": out["id"], "post": {"title": "Kettle review"}}


async def test_content_attribution_names_the_post(gql: GraphQLClient, sign_in: SignIn) -> None:
    creator = await sign_in(role=Role.CREATOR)
    out = await published_post(gql, creator.token, title="Kettle review")
    draft = await create_post(gql, creator.token, title="Not yet")
    other = await sign_in(role=Role.CREATOR)

    mine = await gql.data(REPORT, {"id": out["id"]}, token=creator.token)
    theirs = await gql.data(REPORT, {"id": draft["id"]}, token=other.token)

    assert mine == {"contentAttribution": {"orders": 0, "post": {"title": "Kettle review"}}}
    assert theirs == {"contentAttribution": {"orders": 0, "post": None}}  # a draft stays hidden
