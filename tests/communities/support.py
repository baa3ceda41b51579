"""Communities through the API, for the community tests and the visibility registry."""

from __future__ import annotations

from typing import Any

from tests.content.support import publish
from tests.utils import GraphQLClient

COMMUNITY = """
    id slug name theme description rules joinPolicy visibility memberCount
    viewerMembership { role status muted banned }
"""
CREATE = f"""
mutation($input: CreateCommunityInput!) {{ createCommunity(input: $input) {{
  __typename
  ... on CreateCommunitySuccess {{ community {{ {COMMUNITY} }} }}
  ... on ValidationError {{ field message }} }} }}
"""
ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { resource message }
  ... on PermissionDeniedError { message }
  ... on ConflictError { message }
"""


def community_mutation(name: str, arguments: str, success: str = "community") -> str:
    """A document for a mutation taking `$c` (and what `arguments` adds), with its errors."""
    selection = COMMUNITY if success == "community" else "id role status muted banned"
    return f"""
mutation($c: ID!{arguments and ", " + arguments.split("|")[0]}) {{
  {name}(communityId: $c{arguments and ", " + arguments.split("|")[1]}) {{
    __typename
    ... on {name[0].upper() + name[1:]}Success {{ {success} {{ {selection} }} }}
    {ERRORS} }} }}
"""


JOIN = community_mutation("joinCommunity", "")
LEAVE = community_mutation("leaveCommunity", "")
APPROVE = community_mutation("approveJoinRequest", "$u: ID!|userId: $u")
REJECT = community_mutation("rejectJoinRequest", "$u: ID!|userId: $u")
INVITE = community_mutation("inviteToCommunity", "$u: ID!|userId: $u")
SET_ROLE = community_mutation(
    "setMemberRole", "$u: ID!, $role: MemberRole!|userId: $u, role: $role", "member"
)
MUTE = community_mutation(
    "muteMember", "$u: ID!, $until: DateTime|userId: $u, until: $until", "member"
)
UNMUTE = community_mutation("unmuteMember", "$u: ID!|userId: $u", "member")
BAN = community_mutation(
    "banMember", "$u: ID!, $until: DateTime|userId: $u, until: $until", "member"
)
UNBAN = community_mutation("unbanMember", "$u: ID!|userId: $u")
PIN = community_mutation("pinPost", "$p: ID!, $a: Boolean!|postId: $p, announcement: $a")
UNPIN = community_mutation("unpinPost", "$p: ID!|postId: $p")
UPDATE = community_mutation("updateCommunity", "$input: UpdateCommunityInput!|input: $input")

CREATE_POST = """
mutation($title: String!, $c: ID) { createPost(title: $title, body: "Hi", communityId: $c) {
  __typename
  ... on CreatePostSuccess { post { id slug community { slug } } }
  ... on ValidationError { field message }
  ... on NotFoundError { resource }
  ... on PermissionDeniedError { message } } }
"""


async def create_community(
    gql: GraphQLClient, token: str, name: str = "Tea Lovers", **fields: Any
) -> dict[str, Any]:
    """The created community (asserting success)."""
    data = await gql.data(CREATE, {"input": {"name": name, **fields}}, token=token)
    result = data["createCommunity"]
    assert result["__typename"] == "CreateCommunitySuccess", result
    community: dict[str, Any] = result["community"]
    return community


async def act(
    gql: GraphQLClient, document: str, token: str | None, **variables: Any
) -> dict[str, Any]:
    """Run one community mutation; its payload (the only root field)."""
    data = await gql.data(document, variables, token=token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


async def post_in(
    gql: GraphQLClient, token: str, community_id: str | None, title: str = "In the community"
) -> dict[str, Any]:
    data = await gql.data(CREATE_POST, {"title": title, "c": community_id}, token=token)
    result: dict[str, Any] = data["createPost"]
    return result


async def published_in(
    gql: GraphQLClient, token: str, community_id: str, title: str = "Members only"
) -> dict[str, Any]:
    """A published post in the community (asserting success)."""
    created = await post_in(gql, token, community_id, title)
    assert created["__typename"] == "CreatePostSuccess", created
    post: dict[str, Any] = created["post"]
    assert (await publish(gql, token, post["id"]))["__typename"] == "PublishPostSuccess"
    return post
