"""Creator profiles and verification through the API, for the creators tests and the
visibility registry."""

from __future__ import annotations

from typing import Any

from tests.utils import GraphQLClient

UPDATE = """
mutation($headline: String, $categories: [ID!]) {
  updateCreatorProfile(headline: $headline, categoryIds: $categories) {
    __typename
    ... on UpdateCreatorProfileSuccess {
      profile { headline tier verified verifiedAt categories { slug } postCount followerCount }
    }
    ... on ValidationError { field message }
  }
}
"""
APPLY = """
mutation($tier: CreatorTier!, $message: String!, $links: [String!]!) {
  applyForVerification(input: {requestedTier: $tier, message: $message, links: $links}) {
    __typename
    ... on ApplyForVerificationSuccess { application { id status requestedTier links } }
    ... on ValidationError { field message }
    ... on ConflictError { message }
  }
}
"""
APPROVE = """
mutation($id: ID!, $tier: CreatorTier) {
  approveVerification(applicationId: $id, tier: $tier) {
    __typename
    ... on ApproveVerificationSuccess { application { id status grantedTier decidedAt } }
    ... on ValidationError { field message }
    ... on ConflictError { message }
  }
}
"""
PROFILE = """
query($handle: String!) {
  user(handle: $handle) {
    creatorProfile { headline tier verified verifiedAt categories { slug } postCount
                     followerCount }
  }
}
"""


async def update_profile(
    gql: GraphQLClient, token: str, headline: str | None = None, categories: list[str] | None = None
) -> dict[str, Any]:
    data = await gql.data(UPDATE, {"headline": headline, "categories": categories}, token=token)
    result: dict[str, Any] = data["updateCreatorProfile"]
    return result


async def apply(
    gql: GraphQLClient,
    token: str,
    tier: str = "KOL",
    message: str = "Three years of reviews.",
    links: list[str] | None = None,
) -> dict[str, Any]:
    variables = {"tier": tier, "message": message, "links": links or ["https://example.com/me"]}
    data = await gql.data(APPLY, variables, token=token)
    result: dict[str, Any] = data["applyForVerification"]
    return result


async def applied(gql: GraphQLClient, token: str, tier: str = "KOL") -> str:
    """The id of a new pending application (asserting success)."""
    result = await apply(gql, token, tier)
    assert result["__typename"] == "ApplyForVerificationSuccess", result
    application_id: str = result["application"]["id"]
    return application_id


async def approve(
    gql: GraphQLClient, token: str, application_id: str, tier: str | None = None
) -> dict[str, Any]:
    data = await gql.data(APPROVE, {"id": application_id, "tier": tier}, token=token)
    result: dict[str, Any] = data["approveVerification"]
    return result


async def profile_of(gql: GraphQLClient, handle: str, token: str | None = None) -> Any:
    return (await gql.data(PROFILE, {"handle": handle}, token=token))["user"]["creatorProfile"]
