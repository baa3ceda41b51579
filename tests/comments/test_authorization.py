"""The authorization matrix: every comment mutation x every kind of caller (tests/authz.py).

The owner is the world's buyer, a shopper who commented on the seller's published post. Anyone
signed in comments, as themself (apps: write:content), so other actors add comments of their
own, never the owner's. Only the author edits. The author, moderators and admins delete (and
the post's author, the seller, who is no actor of the matrix: tested in test_permissions.py).
"""

from __future__ import annotations

from typing import Any

from models.comments import Comment
from resolvers.principal import Scope
from schema.comments import CommentMutation
from tests.authz import Actor, Matrix, World, row
from tests.comments.support import make_comment, make_post
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]


async def _scene(w: World) -> None:
    post = await make_post(w.seller.user.id)
    comment = await make_comment(w.buyer.user.id, post, "the owner's comment")
    w.scene.update(post=post, comment=comment)


async def _snapshot(w: World) -> Any:
    """The owner's comments: bodies, edits, deletions."""
    return (
        await Comment.filter(author_id=w.buyer.user.id)
        .order_by("id")
        .values_list("id", "body", "edited_at", "deleted_at")
    )


def _comment(w: World) -> dict[str, Any]:
    return {"id": gid("Comment", w.scene["comment"].id)}


WRITE = {"scope": Scope.WRITE_CONTENT}

MATRIX = Matrix(
    domain=[CommentMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "addComment",
            'mutation($id: ID!) { addComment(targetId: $id, body: "Me too") { __typename } }',
            lambda w: {"id": gid("Post", w.scene["post"].id)},
            allowed=SIGNED_IN,
            success="AddCommentSuccess",
            own_only=True,
            **WRITE,
        ),
        row(
            "editComment",
            'mutation($id: ID!) { editComment(id: $id, body: "Edited") { __typename } }',
            _comment,
            allowed=["owner"],
            success="EditCommentSuccess",
            **WRITE,
        ),
        row(
            "deleteComment",
            "mutation($id: ID!) { deleteComment(id: $id) { __typename } }",
            _comment,
            allowed=["owner", "moderator", "admin"],
            success="DeleteCommentSuccess",
            **WRITE,
        ),
    ],
)
test_every_comment_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
