"""Reactions through the API, and rows written straight to the database, for the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.content import Post, PostStatus, Tutorial, TutorialStatus
from tests.utils import GraphQLClient

TARGET = """
    ... on Post { slug likeCount saveCount viewerHasLiked viewerHasSaved }
    ... on Tutorial { slug likeCount saveCount viewerHasLiked viewerHasSaved }
"""
REACT = f"""
mutation($id: ID!, $kind: ReactionKind!) {{ react(targetId: $id, kind: $kind) {{
  __typename
  ... on ReactSuccess {{ target {{ __typename {TARGET} }} }}
  ... on ValidationError {{ field message }}
  ... on NotFoundError {{ resource }} }} }}
"""
UNREACT = f"""
mutation($id: ID!, $kind: ReactionKind!) {{ unreact(targetId: $id, kind: $kind) {{
  __typename
  ... on UnreactSuccess {{ target {{ __typename {TARGET} }} }}
  ... on ValidationError {{ field message }}
  ... on NotFoundError {{ resource }} }} }}
"""
SAVED = """
query($n: Int, $after: String) { viewer { saved(first: $n, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor savedAt node { __typename
    ... on Post { slug likeCount viewerHasLiked viewerHasSaved author { handle } }
    ... on Tutorial { slug likeCount viewerHasLiked viewerHasSaved by: author { handle } } } } } } }
"""


async def react(gql: GraphQLClient, token: str, target: str, kind: str = "LIKE") -> dict[str, Any]:
    data = await gql.data(REACT, {"id": target, "kind": kind}, token=token)
    result: dict[str, Any] = data["react"]
    return result


async def unreact(
    gql: GraphQLClient, token: str, target: str, kind: str = "LIKE"
) -> dict[str, Any]:
    data = await gql.data(UNREACT, {"id": target, "kind": kind}, token=token)
    result: dict[str, Any] = data["unreact"]
    return result


async def saved_slugs(gql: GraphQLClient, token: str, n: int = 50) -> list[str]:
    data = await gql.data(SAVED, {"n": n}, token=token)
    return [edge["node"]["slug"] for edge in data["viewer"]["saved"]["edges"]]


async def post_row(author_id: int, slug: str, status: PostStatus = PostStatus.PUBLISHED) -> Post:
    """A post written straight to the database (the API path is tested in tests/content)."""
    published = datetime.now(UTC) if status is PostStatus.PUBLISHED else None
    return await Post.create(
        author_id=author_id,
        slug=slug,
        title=slug.title(),
        body="x",
        body_html="<p>x</p>",
        status=status,
        published_at=published,
    )


async def tutorial_row(
    author_id: int, slug: str, status: TutorialStatus = TutorialStatus.PUBLISHED
) -> Tutorial:
    published = datetime.now(UTC) if status is TutorialStatus.PUBLISHED else None
    return await Tutorial.create(
        author_id=author_id,
        slug=slug,
        title=slug.title(),
        summary="x",
        summary_html="<p>x</p>",
        status=status,
        published_at=published,
    )
