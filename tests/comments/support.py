"""Comments through the API, and the rows they are on, for the comment tests, the
authorization matrix and the visibility registry."""

from __future__ import annotations

import itertools
from typing import Any

from models.catalog import Product
from models.comments import Comment, CommentTargetKind
from models.content import Post, PostStatus, Tutorial, TutorialStatus
from models.reviews import Review, ReviewStatus
from tests.utils import GraphQLClient, gid

_sequence = itertools.count(1)

COMMENT = """
  id body bodyHtml depth isDeleted createdAt editedAt replyCount
  author { handle } parent { id } mentions { handle }
  target { __typename ... on Post { id commentCount } ... on Tutorial { id commentCount }
           ... on Review { id commentCount } ... on Product { id commentCount } }
"""
ADD_ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { resource message }
"""
ERRORS = ADD_ERRORS + "... on PermissionDeniedError { message }"
ADD = f"""
mutation($target: ID!, $body: String!, $parent: ID) {{
  addComment(targetId: $target, body: $body, parentId: $parent) {{
    __typename ... on AddCommentSuccess {{ comment {{ {COMMENT} }} }} {ADD_ERRORS} }} }}
"""
EDIT = f"""
mutation($id: ID!, $body: String!) {{ editComment(id: $id, body: $body) {{
  __typename ... on EditCommentSuccess {{ comment {{ {COMMENT} }} }} {ERRORS} }} }}
"""
DELETE = f"""
mutation($id: ID!) {{ deleteComment(id: $id) {{
  __typename ... on DeleteCommentSuccess {{ comment {{ {COMMENT} }} }} {ERRORS} }} }}
"""


async def add(
    gql: GraphQLClient, token: str | None, target: str, body: str, parent: str | None = None
) -> dict[str, Any]:
    """The addComment payload (no top-level errors allowed)."""
    data = await gql.data(ADD, {"target": target, "body": body, "parent": parent}, token=token)
    result: dict[str, Any] = data["addComment"]
    return result


async def added(
    gql: GraphQLClient, token: str, target: str, body: str, parent: str | None = None
) -> dict[str, Any]:
    """The new comment, asserting success."""
    result = await add(gql, token, target, body, parent)
    assert result["__typename"] == "AddCommentSuccess", result
    comment: dict[str, Any] = result["comment"]
    return comment


async def edit(gql: GraphQLClient, token: str, comment: str, body: str) -> dict[str, Any]:
    data = await gql.data(EDIT, {"id": comment, "body": body}, token=token)
    result: dict[str, Any] = data["editComment"]
    return result


async def delete(gql: GraphQLClient, token: str, comment: str) -> dict[str, Any]:
    data = await gql.data(DELETE, {"id": comment}, token=token)
    result: dict[str, Any] = data["deleteComment"]
    return result


async def make_post(author_id: int, status: PostStatus = PostStatus.PUBLISHED) -> Post:
    n = next(_sequence)
    return await Post.create(
        author_id=author_id, slug=f"comment-post-{n}", title=f"Post {n}", status=status
    )


async def make_tutorial(
    author_id: int, status: TutorialStatus = TutorialStatus.PUBLISHED
) -> Tutorial:
    n = next(_sequence)
    return await Tutorial.create(
        author_id=author_id, slug=f"comment-tutorial-{n}", title=f"Tutorial {n}", status=status
    )


async def make_review(
    author_id: int, product: Product, status: ReviewStatus = ReviewStatus.PUBLISHED
) -> Review:
    return await Review.create(
        author_id=author_id, product_id=product.id, rating=4, title="Good", status=status
    )


async def make_comment(
    author_id: int,
    target: Post | Tutorial | Review | Product,
    body: str = "A comment.",
    parent: Comment | None = None,
) -> Comment:
    """A comment row (the API path is tested in tests/comments)."""
    kind = {
        Post: CommentTargetKind.POST,
        Tutorial: CommentTargetKind.TUTORIAL,
        Review: CommentTargetKind.REVIEW,
        Product: CommentTargetKind.PRODUCT,
    }[type(target)]
    return await Comment.create(
        target_kind=kind,
        target_id=target.id,
        author_id=author_id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=f"<p>{body}</p>",
    )


def post_id(post: Post) -> str:
    return gid("Post", post.id)
