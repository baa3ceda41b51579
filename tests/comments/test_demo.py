"""The demo's comment threads, which the README's examples rely on."""

from __future__ import annotations

from typing import Any

from resolvers.seed import seed_demo
from tests.utils import GraphQLClient

THREAD = """
{ post(slug: "dragon-well-three-ways") { commentCount
    comments(sort: OLDEST, first: 5) { edges { node { author { handle } mentions { handle }
      replyCount
      replies(first: 5) { edges { node { depth author { handle }
        replies(first: 5) { edges { node { depth body } } } } } } } } } }
  product(slug: "dragon-well-green-tea") { commentCount } }
"""


async def test_demo_posts_have_threads_with_replies_and_mentions(
    running: Any, gql: GraphQLClient
) -> None:
    await seed_demo()

    data = await gql.data(THREAD)

    post = data["post"]
    assert post["commentCount"] == 6
    first, second = (edge["node"] for edge in post["comments"]["edges"])
    assert first["author"] == {"handle": "shopper_1"}
    assert first["mentions"] == [{"handle": "teahouse"}]
    assert first["replyCount"] == 2
    reply = first["replies"]["edges"][0]["node"]
    assert reply["author"] == {"handle": "teahouse"}
    assert reply["depth"] == 1
    assert reply["replies"]["edges"][0]["node"] == {
        "depth": 2,
        "body": "Ordering another 100 g then.",
    }
    assert second["mentions"] == [{"handle": "chef_ana"}]
    assert data["product"]["commentCount"] == 2
