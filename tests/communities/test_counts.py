"""Counts everyone sees (a topic's postCount, a creator's postCount) count only posts everyone
may read: a private community's activity is not revealed by them, and they follow a community
turning private or public and a post moving out of one."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from tests.communities.support import UPDATE, act, create_community
from tests.content.support import publish
from tests.creators.support import update_profile
from tests.factories import SignIn
from tests.utils import GraphQLClient

POST = """
mutation($title: String!, $c: ID) {
  createPost(title: $title, body: "Hi", communityId: $c, topics: ["ridge"]) {
    ... on CreatePostSuccess { post { id } } } }
"""
MOVE_OUT = """
mutation($id: ID!) { updatePost(postId: $id, communityId: null) { __typename } }
"""
COUNTS = """
query($handle: String!) {
  topic(slug: "ridge") { postCount }
  user(handle: $handle) { creatorProfile { postCount } }
}
"""


async def _published(gql: GraphQLClient, token: str, title: str, community: str | None) -> str:
    data = await gql.data(POST, {"title": title, "c": community}, token=token)
    post_id: str = data["createPost"]["post"]["id"]
    assert (await publish(gql, token, post_id))["__typename"] == "PublishPostSuccess"
    return post_id


async def _counts(gql: GraphQLClient, handle: str) -> tuple[Any, Any]:
    data = await gql.data(COUNTS, {"handle": handle})  # an anonymous visitor
    profile = data["user"]["creatorProfile"]
    return (
        data["topic"] and data["topic"]["postCount"],
        profile and profile["postCount"],
    )


async def test_public_counts_leave_out_private_communities_and_follow_their_changes(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner = await sign_in(role=Role.CREATOR)
    await update_profile(gql, owner.token, headline="Ridge walks")
    private = await create_community(gql, owner.token, "Inner circle", visibility="PRIVATE")
    public = await create_community(gql, owner.token, "Open circle")
    await _published(gql, owner.token, "Outside", None)
    inside = await _published(gql, owner.token, "Inside", private["id"])
    await _published(gql, owner.token, "In the open", public["id"])
    handle = owner.user.handle

    assert await _counts(gql, handle) == (2, 2)

    turned = await act(gql, UPDATE, owner.token, c=private["id"], input={"visibility": "PUBLIC"})
    assert turned["__typename"] == "UpdateCommunitySuccess", turned
    assert await _counts(gql, handle) == (3, 3)

    back = await act(gql, UPDATE, owner.token, c=private["id"], input={"visibility": "PRIVATE"})
    assert back["__typename"] == "UpdateCommunitySuccess", back
    assert await _counts(gql, handle) == (2, 2)

    moved = await gql.data(MOVE_OUT, {"id": inside}, token=owner.token)
    assert moved["updatePost"]["__typename"] == "UpdatePostSuccess", moved
    assert await _counts(gql, handle) == (3, 3)


async def test_hiding_a_post_or_its_community_takes_it_out_of_public_counts(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    from tests.moderation.support import MODERATE

    async def moderate(target: str, action: str) -> str:
        data = await gql.data(MODERATE, {"id": target, "action": action}, token=staff.token)
        typename: str = data["moderate"]["__typename"]
        return typename

    owner = await sign_in(role=Role.CREATOR)
    staff = await sign_in(role=Role.MODERATOR)
    await update_profile(gql, owner.token, headline="Ridge walks")
    circle = await create_community(gql, owner.token, "Open circle")
    alone = await _published(gql, owner.token, "Outside", None)
    await _published(gql, owner.token, "In the open", circle["id"])
    handle = owner.user.handle
    assert await _counts(gql, handle) == (2, 2)

    assert await moderate(alone, "HIDE") == "ModerateSuccess"
    assert await _counts(gql, handle) == (1, 1)
    assert await moderate(circle["id"], "HIDE") == "ModerateSuccess"
    assert await _counts(gql, handle) == (None, 0)  # no public post carries the topic now

    assert await moderate(alone, "RESTORE") == "ModerateSuccess"
    assert await moderate(circle["id"], "RESTORE") == "ModerateSuccess"
    assert await _counts(gql, handle) == (2, 2)
