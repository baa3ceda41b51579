"""What post mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.content.types import Post
from schema.errors import NotFoundError, PermissionDeniedError, ValidationError


@strawberry.type(description="The new post, a DRAFT; publish it with `publishPost`.")
class CreatePostSuccess:
    post: Post = strawberry.field(description="The new draft, with its first revision.")


@strawberry.type(description="The post after the edit, kept as a new revision.")
class UpdatePostSuccess:
    post: Post = strawberry.field(description="The post as it is now.")


@strawberry.type(description="The post is out, or scheduled to go out at `publishAt`.")
class PublishPostSuccess:
    post: Post = strawberry.field(description="The post, PUBLISHED or SCHEDULED.")


@strawberry.type(description="The post is out of view: only you and admins see it.")
class ArchivePostSuccess:
    post: Post = strawberry.field(description="The post, ARCHIVED.")


@strawberry.type(description="The post is gone, with its revisions; its topics no longer count it.")
class DeletePostSuccess:
    deleted_post_id: strawberry.ID = strawberry.field(description="The id it had.")


@strawberry.type(description="The revision's title, body and topics are current again.")
class RestorePostRevisionSuccess:
    post: Post = strawberry.field(
        description="The post as restored; the restore is itself a new revision."
    )


_ERRORS = ValidationError | NotFoundError | PermissionDeniedError

CreatePostPayload = Annotated[
    CreatePostSuccess | _ERRORS,
    strawberry.union("CreatePostPayload", description="The new draft, or why it was refused."),
]
UpdatePostPayload = Annotated[
    UpdatePostSuccess | _ERRORS,
    strawberry.union("UpdatePostPayload", description="The edited post, or why not."),
]
PublishPostPayload = Annotated[
    PublishPostSuccess | _ERRORS,
    strawberry.union(
        "PublishPostPayload", description="The published or scheduled post, or why not."
    ),
]
ArchivePostPayload = Annotated[
    ArchivePostSuccess | _ERRORS,
    strawberry.union("ArchivePostPayload", description="The archived post, or why not."),
]
DeletePostPayload = Annotated[
    DeletePostSuccess | _ERRORS,
    strawberry.union("DeletePostPayload", description="Confirmation, or why it was refused."),
]
RestorePostRevisionPayload = Annotated[
    RestorePostRevisionSuccess | _ERRORS,
    strawberry.union("RestorePostRevisionPayload", description="The restored post, or why not."),
]
