"""The demo's home feeds: every demo shopper follows demo creators, so theirs is full on the
first start (the README's examples read `shopper_1`'s)."""

from __future__ import annotations

from typing import Any

from resolvers.seed import DEMO_PASSWORD, seed_demo
from tests.feeds.support import home
from tests.utils import GraphQLClient

LOGIN = """
mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
  ... on AuthSuccess { token } } }
"""


async def test_every_demo_shopper_has_a_home_feed_on_first_start(
    running: Any, gql: GraphQLClient
) -> None:
    await seed_demo()
    feeds: dict[str, list[str]] = {}
    for n in range(1, 7):
        email = f"shopper_{n}@agora.test"
        token = (await gql.data(LOGIN, {"email": email, "password": DEMO_PASSWORD}))["login"]
        page = await home(gql, token["token"], first=50)
        feeds[f"shopper_{n}"] = [edge["node"]["author"]["handle"] for edge in page["edges"]]

    assert all(feeds.values()), feeds
    assert "trail_tom" in feeds["shopper_1"]  # whom shopper_1 follows in the demo
    assert set(feeds["shopper_5"]) == {"chef_ana"}  # follows her alone, and no topic
