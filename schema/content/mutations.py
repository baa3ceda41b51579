"""The post mutations: create, edit, publish or schedule, archive, delete, restore a revision."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers import content
from schema.base import Info, decode_id
from schema.content.payloads import (
    ArchivePostPayload,
    ArchivePostSuccess,
    CreatePostPayload,
    CreatePostSuccess,
    DeletePostPayload,
    DeletePostSuccess,
    PublishPostPayload,
    PublishPostSuccess,
    RestorePostRevisionPayload,
    RestorePostRevisionSuccess,
    UpdatePostPayload,
    UpdatePostSuccess,
)
from schema.content.types import Post

PostId = Annotated[
    strawberry.ID, strawberry.argument(description="The post (a Post id); one you wrote.")
]


def _post_id(value: strawberry.ID) -> int:
    return decode_id(value, "Post", field="postId")


def _media_ids(values: list[strawberry.ID] | None) -> list[int] | None:
    if values is None:
        return None
    return [decode_id(value, "Media", field="mediaIds") for value in values]


def _community_id(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    return decode_id(value, "Community", field="communityId")


CoverMediaId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The cover: a READY image or video you uploaded (a Media id)."),
]
MediaIds = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(
        description="The gallery, in display order: up to 20 READY images or videos you "
        "uploaded (Media ids)."
    ),
]


@strawberry.type
class ContentMutation:
    @strawberry.mutation(
        description="Write a post, as a DRAFT only you (and admins) see. Any signed-in user "
        "may post; apps need write:content."
    )
    async def create_post(
        self,
        info: Info,
        title: Annotated[
            str, strawberry.argument(description="Plain text, one line, 1-150 characters.")
        ],
        body: Annotated[
            str,
            strawberry.argument(
                description="Markdown, at most 50,000 characters; raw HTML is shown as text."
            ),
        ] = "",
        topics: Annotated[
            list[str] | None,
            strawberry.argument(
                description='Up to 10 topics (hashtags, `#` optional), e.g. `["matcha"]`: '
                "letters, digits, underscores, at most 50 characters each. New ones are created."
            ),
        ] = None,
        cover_media_id: CoverMediaId = None,
        media_ids: MediaIds = None,
        community_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Post it in this community (a Community id): you must be a member, "
                "neither banned nor muted there."
            ),
        ] = None,
    ) -> CreatePostPayload | None:
        row = await content.create_post(
            info.context,
            title=title,
            body=body,
            topics=topics or [],
            cover_media_id=(
                decode_id(cover_media_id, "Media", field="coverMediaId")
                if cover_media_id is not None
                else None
            ),
            media_ids=_media_ids(media_ids) or [],
            community_id=_community_id(community_id),
        )
        return CreatePostSuccess(post=Post.from_model(row))

    @strawberry.mutation(
        description="Edit your post; omitted fields stay. Every edit is kept as a revision."
    )
    async def update_post(
        self,
        info: Info,
        post_id: PostId,
        title: Annotated[
            str | None, strawberry.argument(description="A new title, 1-150 characters.")
        ] = None,
        body: Annotated[str | None, strawberry.argument(description="A new Markdown body.")] = None,
        topics: Annotated[
            list[str] | None,
            strawberry.argument(description="The new full list of topics, replacing the old."),
        ] = None,
        cover_media_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="A new cover (a READY Media id you uploaded); null removes the "
                "cover, omitted keeps it."
            ),
        ] = strawberry.UNSET,
        media_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="The new full gallery, in order (at most 20), replacing the old; "
                "tags on media it no longer shows are removed."
            ),
        ] = None,
        community_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Move it into this community (a Community id; you must be a "
                "member, neither banned nor muted there); null takes it out of its community, "
                "omitted keeps it."
            ),
        ] = strawberry.UNSET,
    ) -> UpdatePostPayload | None:
        clear_cover = cover_media_id is None  # null, not omitted (UNSET)
        community = community_id if isinstance(community_id, str) else None
        given = cover_media_id if isinstance(cover_media_id, str) else None
        row = await content.update_post(
            info.context,
            post_id=_post_id(post_id),
            title=title,
            body=body,
            topics=topics,
            cover_media_id=(
                decode_id(given, "Media", field="coverMediaId") if given is not None else None
            ),
            clear_cover=clear_cover,
            media_ids=_media_ids(media_ids),
            community_id=_community_id(community),
            leave_community=community_id is None,
        )
        return UpdatePostSuccess(post=Post.from_model(row))

    @strawberry.mutation(
        description="Publish your post now, or schedule it: with a future `publishAt` it is "
        "SCHEDULED and the worker publishes it within a minute of that time. Also brings an "
        "archived post back."
    )
    async def publish_post(
        self,
        info: Info,
        post_id: PostId,
        publish_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="When to publish, with a time zone, at most a year ahead; null or "
                "a past time means now."
            ),
        ] = None,
    ) -> PublishPostPayload | None:
        row = await content.publish_post(
            info.context, post_id=_post_id(post_id), publish_at=publish_at
        )
        return PublishPostSuccess(post=Post.from_model(row))

    @strawberry.mutation(
        description="Take your post out of view (also cancels a schedule); publish it again "
        "with `publishPost`."
    )
    async def archive_post(self, info: Info, post_id: PostId) -> ArchivePostPayload | None:
        row = await content.archive_post(info.context, post_id=_post_id(post_id))
        return ArchivePostSuccess(post=Post.from_model(row))

    @strawberry.mutation(
        description="Delete a post for good, with its revisions: its author, or a moderator or "
        "admin in person."
    )
    async def delete_post(
        self,
        info: Info,
        post_id: Annotated[
            strawberry.ID, strawberry.argument(description="The post (a Post id) to delete.")
        ],
    ) -> DeletePostPayload | None:
        await content.delete_post(info.context, post_id=_post_id(post_id))
        return DeletePostSuccess(deleted_post_id=post_id)

    @strawberry.mutation(
        description="Make one of your post's revisions current again (title, body, topics), "
        "as a new revision; the status does not change."
    )
    async def restore_post_revision(
        self,
        info: Info,
        post_id: PostId,
        number: Annotated[
            int,
            strawberry.argument(description="The revision's `number` (see `Post.revisions`)."),
        ],
    ) -> RestorePostRevisionPayload | None:
        row = await content.restore_post_revision(
            info.context, post_id=_post_id(post_id), number=number
        )
        return RestorePostRevisionSuccess(post=Post.from_model(row))
