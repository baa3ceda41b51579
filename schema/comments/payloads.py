"""What the comment mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.comments.types import Comment
from schema.errors import NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="Your comment, posted.")
class AddCommentSuccess:
    comment: Comment = strawberry.field(
        description="The new comment, with its rendered body and mentions."
    )


@strawberry.type(description="Your comment, with its new body.")
class EditCommentSuccess:
    comment: Comment = strawberry.field(description="The comment as it is now.")


@strawberry.type(description="The comment is deleted (now, or already was).")
class DeleteCommentSuccess:
    comment: Comment = strawberry.field(
        description="The comment as its thread shows it now: `isDeleted`, no body or author."
    )


AddCommentPayload = Annotated[
    AddCommentSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "AddCommentPayload",
        description="The new comment, or why not (PermissionDeniedError: you are banned or "
        "muted in the post's community).",
    ),
]
EditCommentPayload = Annotated[
    EditCommentSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("EditCommentPayload", description="The edited comment, or why not."),
]
DeleteCommentPayload = Annotated[
    DeleteCommentSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("DeleteCommentPayload", description="The deleted comment, or why not."),
]
