"""Creator profiles: created on first update, public, checked input, exact post counts."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.catalog import Category
from models.creators import CreatorCategory, CreatorProfile
from tests.content.support import create_post, published_post
from tests.creators.support import profile_of, update_profile
from tests.factories import SignIn
from tests.utils import GraphQLClient, gid


async def _categories(n: int) -> list[Category]:
    return [await Category.create(name=f"Cat {i}", slug=f"cat-{i}") for i in range(n)]


async def test_first_update_creates_an_unverified_koc_profile_that_everyone_sees(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await sign_in(role=Role.SHOPPER)
    tea, kitchen = await _categories(2)
    assert await profile_of(gql, ana.user.handle) is None

    result = await update_profile(
        gql,
        ana.token,
        headline="  Weeknight recipes  ",
        categories=[
            gid("Category", kitchen.id),
            gid("Category", tea.id),
            gid("Category", kitchen.id),
        ],
    )

    assert result["__typename"] == "UpdateCreatorProfileSuccess", result
    expected = {
        "headline": "Weeknight recipes",
        "tier": "KOC",
        "verified": False,
        "verifiedAt": None,
        "categories": [{"slug": "cat-1"}, {"slug": "cat-0"}],  # the order given, once each
        "postCount": 0,
        "followerCount": 0,
    }
    assert result["profile"] == expected
    assert await profile_of(gql, ana.user.handle) == expected  # anonymous readers too
    # omitted fields stay; a new list replaces the old
    again = await update_profile(gql, ana.token, categories=[gid("Category", tea.id)])
    assert again["profile"]["headline"] == "Weeknight recipes"
    assert again["profile"]["categories"] == [{"slug": "cat-0"}]
    assert await CreatorProfile.filter(user_id=ana.user.id).count() == 1


async def test_bad_profile_input_is_a_validation_error_and_changes_nothing(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await sign_in()
    six = await _categories(6)
    await update_profile(gql, ana.token, headline="Before", categories=[gid("Category", six[0].id)])
    cases: list[tuple[dict[str, Any], str]] = [
        ({"headline": "x" * 121}, "headline"),
        ({"headline": "two\nlines"}, "headline"),
        ({"categories": [gid("Category", c.id) for c in six]}, "categoryIds"),
        ({"categories": [gid("Category", 999_999)]}, "categoryIds"),
        ({"categories": [gid("Product", six[1].id)]}, "categoryIds"),
    ]
    for arguments, field in cases:
        response = await gql.post(
            """mutation($headline: String, $categories: [ID!]) {
                 updateCreatorProfile(headline: $headline, categoryIds: $categories) {
                   __typename ... on ValidationError { field } } }""",
            {"headline": None, "categories": None, **arguments},
            token=ana.token,
        )
        assert not response.errors, response.errors
        assert response.data["updateCreatorProfile"] == {
            "__typename": "ValidationError",
            "field": field,
        }, arguments
    profile = await profile_of(gql, ana.user.handle)
    assert profile["headline"] == "Before"
    assert profile["categories"] == [{"slug": "cat-0"}]
    assert await CreatorCategory.filter(user_id=ana.user.id).count() == 1


async def test_post_count_counts_published_posts_exactly(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    await update_profile(gql, ana.token, headline="Tea")
    await published_post(gql, ana.token, title="One")
    await published_post(gql, ana.token, title="Two")
    await create_post(gql, ana.token, title="Draft")  # not counted
    other = await sign_in()
    await published_post(gql, other.token, title="Someone else's")

    assert (await profile_of(gql, ana.user.handle))["postCount"] == 2


async def test_anonymous_callers_cannot_write_a_profile(gql: GraphQLClient) -> None:
    response = await gql.post('mutation { updateCreatorProfile(headline: "x") { __typename } }')
    assert response.codes == ["UNAUTHENTICATED"]
    assert await CreatorProfile.all().count() == 0
