"""Writing posts through the API, for the content tests and the visibility registry."""

from __future__ import annotations

from typing import Any

from tests.utils import GraphQLClient

CREATE = """
mutation($title: String!, $body: String!, $topics: [String!]) {
  createPost(title: $title, body: $body, topics: $topics) {
    __typename
    ... on CreatePostSuccess { post { id slug status bodyHtml topics { slug name } } }
    ... on ValidationError { field message }
  }
}
"""
PUBLISH = """
mutation($id: ID!, $at: DateTime) {
  publishPost(postId: $id, publishAt: $at) {
    __typename
    ... on PublishPostSuccess { post { id status publishAt publishedAt } }
    ... on ValidationError { field message }
  }
}
"""


async def create_post(
    gql: GraphQLClient,
    token: str,
    title: str = "Green tea notes",
    body: str = "Brew at **80 °C**.",
    topics: list[str] | None = None,
) -> dict[str, Any]:
    """The created post (asserting success): id, slug, status, bodyHtml, topics."""
    data = await gql.data(
        CREATE, {"title": title, "body": body, "topics": topics or []}, token=token
    )
    result = data["createPost"]
    assert result["__typename"] == "CreatePostSuccess", result
    post: dict[str, Any] = result["post"]
    return post


async def publish(
    gql: GraphQLClient, token: str, post_id: str, at: str | None = None
) -> dict[str, Any]:
    data = await gql.data(PUBLISH, {"id": post_id, "at": at}, token=token)
    result: dict[str, Any] = data["publishPost"]
    return result


async def published_post(
    gql: GraphQLClient, token: str, title: str = "Out now", topics: list[str] | None = None
) -> dict[str, Any]:
    post = await create_post(gql, token, title=title, topics=topics)
    assert (await publish(gql, token, post["id"]))["__typename"] == "PublishPostSuccess"
    return post
