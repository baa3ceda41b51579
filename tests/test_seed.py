"""The demo profile loads once, and what it loads is browsable through the API."""

from __future__ import annotations

import pytest

from models.accounts import User
from resolvers.seed import DEMO_PRODUCTS, DEMO_USERS, seed_demo
from tests.conftest import Backend
from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke


async def test_demo_profile_loads_once_and_is_browsable(
    running: Backend, gql: GraphQLClient
) -> None:
    assert await seed_demo() is True
    assert await seed_demo() is False  # idempotent

    listing = await gql.data(
        "{ products(first: 100) { totalCount edges { node { slug "
        "merchant { slug } category { slug parent { slug } } } } } }"
    )
    login = await gql.data(
        'mutation { login(email: "chef_ana@agora.test", '
        'password: "agora-demo-pass") { __typename } }'
    )

    assert await User.all().count() == len(DEMO_USERS)
    assert listing["products"]["totalCount"] == len(DEMO_PRODUCTS)
    merchants = {edge["node"]["merchant"]["slug"] for edge in listing["products"]["edges"]}
    assert merchants == {"lins-tea-house", "summit-outfitters"}
    assert login == {"login": {"__typename": "AuthSuccess"}}
