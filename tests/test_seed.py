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
