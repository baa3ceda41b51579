"""The creators listing: filters, active users only, and SQL that does not grow with the page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.accounts import Role, User
from models.catalog import Category
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.creators import CreatorCategory, CreatorProfile, CreatorTier
from tests.factories import MakeUser
from tests.utils import GraphQLClient, gid

LIST = """
query($filter: CreatorFilter) { creators(filter: $filter, first: 50) {
  totalCount edges { node { handle } } } }
"""
PAGE = """
query($n: Int!) { creators(first: $n) { edges { node { handle
  creatorProfile { headline tier verified verifiedAt categories { slug name } postCount
                   tutorialCount followerCount } } } } }
"""


async def _creator(
    make_user: MakeUser,
    handle: str,
    tier: CreatorTier = CreatorTier.KOC,
    categories: list[Category] | None = None,
    **user: Any,
) -> User:
    row = await make_user(handle=handle, **user)
    await CreatorProfile.create(
        user_id=row.id,
        headline=f"{handle}'s page",
        tier=tier,
        verified=tier is not CreatorTier.KOC,
        verified_at=datetime.now(UTC) if tier is not CreatorTier.KOC else None,
    )
    for n, category in enumerate(categories or []):
        await CreatorCategory.create(user_id=row.id, category_id=category.id, position=n)
    return row


async def _handles(gql: GraphQLClient, where: dict[str, Any] | None = None) -> list[str]:
    data = await gql.data(LIST, {"filter": where})
    return [edge["node"]["handle"] for edge in data["creators"]["edges"]]


async def test_filters_and_only_active_users_with_a_profile(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    tea = await Category.create(name="Tea", slug="tea")
    hiking = await Category.create(name="Hiking", slug="hiking")
    await make_user(handle="no_profile")
    await _creator(make_user, "koc_tea", categories=[tea])
    await _creator(make_user, "kol_hiker", CreatorTier.KOL, [hiking, tea])
    await _creator(make_user, "brand_shop", CreatorTier.BRAND)
    await _creator(make_user, "gone_kol", CreatorTier.KOL, [tea], is_active=False)

    assert await _handles(gql) == ["brand_shop", "kol_hiker", "koc_tea"]  # newest first
    assert await _handles(gql, {"tier": "KOL"}) == ["kol_hiker"]
    assert await _handles(gql, {"verified": True}) == ["brand_shop", "kol_hiker"]
    assert await _handles(gql, {"verified": False}) == ["koc_tea"]
    assert await _handles(gql, {"categoryId": gid("Category", tea.id)}) == ["kol_hiker", "koc_tea"]
    both = {"categoryId": gid("Category", hiking.id), "tier": "KOC"}
    assert await _handles(gql, both) == []
    response = await gql.post(LIST, {"filter": {"categoryId": gid("User", 1)}})
    assert response.codes == ["BAD_USER_INPUT"]


async def test_a_page_costs_the_same_sql_for_5_and_50_creators(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    categories = [await Category.create(name=f"C{n}", slug=f"c{n}") for n in range(5)]
    now = datetime.now(UTC)
    for n in range(55):
        tier = (CreatorTier.KOC, CreatorTier.KOL, CreatorTier.BRAND)[n % 3]
        user = await _creator(
            make_user, f"creator_{n}", tier, [categories[n % 5], categories[(n + 1) % 5]]
        )
        for m in range(n % 4):
            await Post.create(
                author_id=user.id,
                slug=f"p-{n}-{m}",
                title="t",
                status=PostStatus.PUBLISHED,
                published_at=now,
            )
        await Post.create(author_id=user.id, slug=f"draft-{n}", title="d")  # never counted
        for m in range(n % 3):
            await Tutorial.create(
                author_id=user.id,
                slug=f"t-{n}-{m}",
                title="t",
                status=TutorialStatus.PUBLISHED if m else TutorialStatus.DRAFT,
                published_at=now,
            )

    small = await gql.post(PAGE, {"n": 5})
    large = await gql.post(PAGE, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(small.data["creators"]["edges"]) == 5
    assert len(large.data["creators"]["edges"]) == 50
    newest = large.data["creators"]["edges"][0]["node"]  # creator_54
    assert newest["handle"] == "creator_54"
    assert newest["creatorProfile"]["postCount"] == 54 % 4
    assert newest["creatorProfile"]["tier"] == "KOC"
    assert [c["slug"] for c in newest["creatorProfile"]["categories"]] == ["c4", "c0"]
    counts = {
        edge["node"]["handle"]: edge["node"]["creatorProfile"]["postCount"]
        for edge in large.data["creators"]["edges"]
    }
    assert counts == {f"creator_{n}": n % 4 for n in range(5, 55)}
    tutorials = {
        edge["node"]["handle"]: edge["node"]["creatorProfile"]["tutorialCount"]
        for edge in large.data["creators"]["edges"]
    }
    assert tutorials == {f"creator_{n}": max(0, n % 3 - 1) for n in range(5, 55)}  # not drafts
    # the page, the profiles, their categories (joined), the grouped post, tutorial and
    # follower counts
    assert small.sql == large.sql == 6
    assert await User.filter(role=Role.SHOPPER).count() == 55
