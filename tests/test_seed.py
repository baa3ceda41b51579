"""The demo profile loads once, and what it loads is browsable through the API."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from models.accounts import User
from models.catalog import Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus, RefundStatus
from models.reviews import Review
from models.social import ShareLink
from resolvers.accounts import verify_password
from resolvers.seed import DEMO_PASSWORD, DEMO_PRODUCTS, DEMO_USERS, seed_demo
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


async def test_demo_has_what_the_readme_shows(running: Backend) -> None:
    await seed_demo()

    shopper = await User.get(handle="shopper_1")
    delivered = await OrderLine.filter(
        status=LineStatus.DELIVERED, order__buyer_id=shopper.id
    ).values_list("product_id", flat=True)
    reviewed = await Review.filter(author_id=shopper.id).values_list("product_id", flat=True)
    # shopper_1 received products and has reviewed none of them yet.
    assert delivered
    assert not reviewed
    assert await Review.filter(has_media=True).exists()
    assert any(variant.options for variant in await Variant.all())
    assert await Order.filter(refund_status=RefundStatus.FAILED).exists()
    assert await Order.filter(status=OrderStatus.PENDING_PAYMENT).exists()


async def test_each_demo_account_has_a_password_hash_of_its_own(running: Backend) -> None:
    await seed_demo()

    hashes = await User.all().values_list("password_hash", flat=True)

    # A shared hash means a shared salt: whoever sees the hashes knows the accounts share a
    # password, and one cracking run covers them all.
    assert len(set(hashes)) == len(DEMO_USERS)
    for password_hash in set(hashes):
        assert await verify_password(str(password_hash), DEMO_PASSWORD)


DEMO_HOME = """
{ viewer { unreadNotificationCount
    notifications(first: 20) { edges { node { kind message target { __typename } } } } }
  homeFeed(first: 10) { pageInfo { hasNextPage } edges { node { title author { handle } } } }
  post(slug: "dragon-well-three-ways") { comments(first: 5, sort: OLDEST) { edges { node {
    author { handle } likeCount } } } } }
"""


async def test_shopper_1_has_a_full_home_feed_and_notifications_on_first_start(
    running: Backend, gql: GraphQLClient
) -> None:
    """The issue's demo promise: follows, communities (one private), comments, likes and
    share links with clicks, so shopper_1's home feed is full on first start."""
    assert await seed_demo() is True
    login = await gql.data(
        'mutation { login(email: "shopper_1@agora.test", password: "agora-demo-pass") '
        "{ ... on AuthSuccess { token } } }"
    )
    token = login["login"]["token"]

    data = await gql.data(DEMO_HOME, token=token)

    feed = data["homeFeed"]
    assert len(feed["edges"]) == 10
    assert feed["pageInfo"]["hasNextPage"] is True
    authors = {edge["node"]["author"]["handle"] for edge in feed["edges"]}
    assert {"teahouse", "trail_tom", "outdoor_gear"} <= authors  # whom shopper_1 follows
    titles = {edge["node"]["title"] for edge in feed["edges"]}
    assert "Crew hike this Saturday" in titles  # the private community's, a member's feed
    viewer = data["viewer"]
    assert viewer["unreadNotificationCount"] > 0
    kinds = {edge["node"]["kind"] for edge in viewer["notifications"]["edges"]}
    assert {"LIKE", "REPLY"} <= kinds
    liked = next(
        edge["node"] for edge in viewer["notifications"]["edges"] if edge["node"]["kind"] == "LIKE"
    )
    assert liked["target"] == {"__typename": "Comment"}
    assert liked["message"] == "Lin's Tea House and 3 others liked your comment."
    first_comment = data["post"]["comments"]["edges"][0]["node"]
    assert first_comment == {"author": {"handle": "shopper_1"}, "likeCount": 4}
    assert await ShareLink.filter(clicks__gt=0).count() >= 3
    # trail_tom's invite of shopper_3 into the private trail-crew is a notification.
    invited = await gql.data(
        'mutation { login(email: "shopper_3@agora.test", password: "agora-demo-pass") '
        "{ ... on AuthSuccess { token } } }"
    )
    inbox = await gql.data(
        "{ viewer { notifications(first: 20) { edges { node { kind message "
        "target { ... on Community { slug } } } } } } }",
        token=invited["login"]["token"],
    )
    assert {
        "kind": "COMMUNITY_INVITE",
        "message": "Tom on the Trail invited you to join Trail Crew.",
        "target": {"slug": "trail-crew"},
    } in [edge["node"] for edge in inbox["viewer"]["notifications"]["edges"]]


ROOT = Path(__file__).resolve().parent.parent
DEMO_MODULES = [
    "resolvers/seed.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "resolvers").glob("*/demo.py")),
]


@pytest.mark.parametrize("module", DEMO_MODULES)
def test_demo_seeding_uses_only_public_names_of_each_domain(module: str) -> None:
    """Other domains only through what their package exports; its own domain, no _private."""
    own = ".".join(Path(module).with_suffix("").parts[:2])
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        source = node.module or "" if isinstance(node, ast.ImportFrom) else ""
        if not source.startswith("resolvers."):
            continue
        assert isinstance(node, ast.ImportFrom)
        domain = ".".join(source.split(".")[:2])
        exported = getattr(importlib.import_module(domain), "__all__", None)
        for alias in node.names:
            assert not alias.name.startswith("_"), f"{module}: {source}.{alias.name}"
            if exported is not None and domain != own:  # its __init__ says what is public
                assert alias.name in exported, f"{module}: {alias.name} not in {domain}"
