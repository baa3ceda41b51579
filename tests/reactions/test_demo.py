"""The demo's likes and saves, which the README's examples rely on."""

from __future__ import annotations

from typing import Any

from resolvers.seed import DEMO_PASSWORD, seed_demo
from tests.utils import GraphQLClient

LOGIN = """
mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
  ... on AuthSuccess { token } } }
"""


async def test_demo_users_like_and_save_the_demo_posts_and_tutorial(
    running: Any, gql: GraphQLClient
) -> None:
    await seed_demo()
    await seed_demo()  # a second run adds nothing
    signed_in = await gql.data(LOGIN, {"email": "shopper_1@agora.test", "password": DEMO_PASSWORD})
    token = signed_in["login"]["token"]

    post = await gql.data(
        '{ post(slug: "dragon-well-three-ways") { likeCount saveCount viewerHasLiked '
        "viewerHasSaved } }",
        token=token,
    )
    saved = await gql.data(
        "{ viewer { saved(first: 10) { edges { node { __typename "
        "... on Post { title } ... on Tutorial { title } } } } } }",
        token=token,
    )

    assert post["post"] == {
        "likeCount": 6,
        "saveCount": 1,
        "viewerHasLiked": True,
        "viewerHasSaved": False,
    }
    assert [e["node"] for e in saved["viewer"]["saved"]["edges"]] == [
        {"__typename": "Tutorial", "title": "Gongfu tea at home"},
        {"__typename": "Post", "title": "Matcha latte at home"},
    ]
