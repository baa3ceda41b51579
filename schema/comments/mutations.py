"""The comment mutations: addComment, editComment, deleteComment."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import comments
from schema.base import Info, decode_id
from schema.comments.payloads import (
    AddCommentPayload,
    AddCommentSuccess,
    DeleteCommentPayload,
    DeleteCommentSuccess,
    EditCommentPayload,
    EditCommentSuccess,
)
from schema.comments.types import Comment, comment_target_id

Body = Annotated[
    str,
    strawberry.argument(
        description=f"Markdown, 1-{comments.BODY_MAX:,} characters after trimming; "
        "`@handle` mentions a user."
    ),
]
CommentId = Annotated[strawberry.ID, strawberry.argument(description="The comment (a Comment id).")]


@strawberry.type
class CommentMutation:
    @strawberry.mutation(
        description="Comment on a post, tutorial, review or product you can see, or reply to "
        f"one of its comments (replies go {comments.MAX_DEPTH} levels deep). Any signed-in "
        "user; apps need write:content. Each user may add COMMENTS_PER_MINUTE a minute "
        "(RATE_LIMITED past that)."
    )
    async def add_comment(
        self,
        info: Info,
        target_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="What to comment on: a Post, Tutorial, Review or Product id."
            ),
        ],
        body: Body,
        parent_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The comment to reply to, on the same target; null for a "
                "top-level comment."
            ),
        ] = None,
    ) -> AddCommentPayload | None:
        kind, pk = comment_target_id(target_id)
        parent = None if parent_id is None else decode_id(parent_id, "Comment", field="parentId")
        row = await comments.add_comment(info.context, kind, pk, body, parent)
        return AddCommentSuccess(comment=Comment.from_model(row))

    @strawberry.mutation(
        description="Replace the body of your comment (mentions follow the new body); sets "
        "`editedAt`. Only its author; apps need write:content."
    )
    async def edit_comment(
        self, info: Info, id: CommentId, body: Body
    ) -> EditCommentPayload | None:
        row = await comments.edit_comment(info.context, decode_id(id, "Comment", field="id"), body)
        return EditCommentSuccess(comment=Comment.from_model(row))

    @strawberry.mutation(
        description="Delete a comment, softly: its body, author and mentions go, its replies "
        "stay. Its author, moderators and admins, and the author of the post or tutorial it is "
        "on; apps need write:content. Deleting it again is no error."
    )
    async def delete_comment(self, info: Info, id: CommentId) -> DeleteCommentPayload | None:
        row = await comments.delete_comment(info.context, decode_id(id, "Comment", field="id"))
        return DeleteCommentSuccess(comment=Comment.from_model(row))
