"""The demo's creators: what the README's Creator pages and verification examples rely on."""

from __future__ import annotations

from typing import Any

from resolvers.seed import seed_demo
from tests.utils import GraphQLClient

BROWSE = """
{ creators(first: 10) { edges { node { handle creatorProfile {
    tier verified categories { slug } postCount tutorialCount } } } } }
"""


async def test_demo_has_a_verified_kol_a_brand_and_a_pending_application(
    running: Any, gql: GraphQLClient
) -> None:
    await seed_demo()

    data = await gql.data(BROWSE)

    profiles = {e["node"]["handle"]: e["node"]["creatorProfile"] for e in data["creators"]["edges"]}
    assert profiles["chef_ana"] == {
        "tier": "KOL",
        "verified": True,
        "categories": [{"slug": "kitchen"}, {"slug": "tea"}],
        "postCount": 2,
        "tutorialCount": 1,
    }
    assert (profiles["teahouse"]["tier"], profiles["teahouse"]["verified"]) == ("BRAND", True)
    assert (profiles["trail_tom"]["tier"], profiles["trail_tom"]["verified"]) == ("KOC", False)
    assert profiles["trail_tom"]["postCount"] == 1  # the scheduled one is not out yet
    assert set(profiles) == {"chef_ana", "teahouse", "trail_tom", "shopper_2"}
