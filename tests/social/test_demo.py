"""The demo's follows and share links, which the README's examples rely on."""

from __future__ import annotations

from typing import Any

from models.orders import OrderLine
from models.social import ShareLink
from resolvers.seed import DEMO_PASSWORD, seed_demo
from tests.utils import GraphQLClient

LOGIN = """
mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
  ... on AuthSuccess { token } } }
"""


async def test_demo_has_a_follow_graph_and_share_links_with_sales(
    running: Any, gql: GraphQLClient
) -> None:
    await seed_demo()
    signed_in = await gql.data(LOGIN, {"email": "chef_ana@agora.test", "password": DEMO_PASSWORD})
    token = signed_in["login"]["token"]

    ana = await gql.data(
        '{ user(handle: "chef_ana") { followerCount followingCount '
        "followedTopics { edges { node { slug } } } } }"
    )
    mine = await gql.data(
        "{ viewer { shareLinks(first: 50) { edges { node { code clicks orders } } } } }",
        token=token,
    )

    assert ana["user"]["followerCount"] == 7
    assert ana["user"]["followingCount"] == 2
    assert ana["user"]["followedTopics"]["edges"] == [{"node": {"slug": "matcha"}}]
    links = {e["node"]["code"]: e["node"] for e in mine["viewer"]["shareLinks"]["edges"]}
    assert links["ana-spring"]["clicks"] == 42
    codes = set(
        await OrderLine.filter(share_code__not_isnull=True).values_list("share_code", flat=True)
    )
    assert codes  # the demo orders credit share codes, and each is a link's
    assert codes <= set(await ShareLink.all().values_list("code", flat=True))
    assert sum(link["orders"] for link in links.values()) > 0
