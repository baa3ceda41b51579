"""The Media node, its variants, and the upload form requestUpload returns."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from models.media import Media as MediaModel
from models.media import MediaKind as MediaKindModel
from models.media import MediaStatus as MediaStatusModel
from models.media import MediaVisibility as MediaVisibilityModel
from resolvers import media
from schema.base import Info, describe_values
from schema.nodes import VisibleNode, build_each

MediaKind = strawberry.enum(
    MediaKindModel, name="MediaKind", description="What a media object is: an image or a video."
)
describe_values(
    MediaKind,
    {
        "IMAGE": "A still image; the worker reads its size and writes resized variants.",
        "VIDEO": "A video, served as uploaded (no variants).",
    },
)
MediaVisibility = strawberry.enum(
    MediaVisibilityModel,
    name="MediaVisibility",
    description="Who sees a media object, chosen at requestUpload.",
)
describe_values(
    MediaVisibility,
    {
        "PUBLIC": "Anyone who sees what shows it (a product, a review) once READY; its URLs "
        "are the CDN's (S3_PUBLIC_URL) when there is one.",
        "PRIVATE": "Its uploader and admins only, everywhere (attached to a product or review "
        "too); its URLs are signed and expire after MEDIA_PRIVATE_URL_SECONDS.",
    },
)
MediaStatus = strawberry.enum(
    MediaStatusModel,
    name="MediaStatus",
    description="Where an upload is: PENDING, PROCESSING, READY or FAILED.",
)
describe_values(
    MediaStatus,
    {
        "PENDING": "The upload form is out; completeUpload has not found the file yet.",
        "PROCESSING": "Uploaded and checked; the worker is making its variants.",
        "READY": "Processed: attach it to products and reviews.",
        "FAILED": "Not a usable file (see failureReason); removed by the cleanup job.",
    },
)


@strawberry.type(description="A resized copy of an image, e.g. `thumbnail` (320 px).")
class MediaVariant:
    name: str = strawberry.field(
        description="`thumbnail` (longest edge at most 320 px) or `display` (1280 px)."
    )
    url: str = strawberry.field(description="Where to fetch it (WebP).")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")


@strawberry.type(description="One form field of an upload: send it as a multipart field.")
class UploadFormField:
    name: str = strawberry.field(description="The form field's name, e.g. `policy`.")
    value: str = strawberry.field(description="Its value, sent unchanged.")


@strawberry.type(
    description="A presigned POST: send `fields` in order, then the file as the field `file`, "
    "as multipart/form-data to `url`. Storage itself refuses another content type, a file "
    "larger than the declared byteSize, or a post after expiresAt."
)
class UploadForm:
    url: str = strawberry.field(description="Where to POST the form (the storage server).")
    fields: list[UploadFormField] = strawberry.field(
        description="The fields to send before the file, in this order."
    )
    expires_at: datetime = strawberry.field(
        description="When the form stops working (15 minutes after it was issued)."
    )


@strawberry.type(
    description="An uploaded image or video. By id only its uploader (and admins) see it; "
    "READY PUBLIC media show to everyone who sees the product or review they are attached "
    "to, PRIVATE media to their uploader and admins only."
)
class Media(VisibleNode):
    id: relay.NodeID[int]
    kind: MediaKind = strawberry.field(description="IMAGE or VIDEO.")  # type: ignore[valid-type]
    visibility: MediaVisibility = strawberry.field(  # type: ignore[valid-type]
        description="PUBLIC, or PRIVATE (its uploader and admins only, signed expiring URLs)."
    )
    status: MediaStatus = strawberry.field(  # type: ignore[valid-type]
        description="PENDING, PROCESSING, READY or FAILED."
    )
    content_type: str = strawberry.field(description="The file's media type, e.g. `image/png`.")
    byte_size: int = strawberry.field(
        description="The file's size in bytes: as declared until completeUpload, then as stored."
    )
    filename: str = strawberry.field(description="The name the uploader gave (a label only).")
    width: int | None = strawberry.field(description="Pixels across (images, once READY).")
    height: int | None = strawberry.field(description="Pixels down (images, once READY).")
    created_at: datetime = strawberry.field(description="When the upload was requested (UTC).")
    row: strawberry.Private[MediaModel]

    @classmethod
    def from_model(cls, row: MediaModel) -> Self:
        return cls(
            id=row.id,
            kind=row.kind,
            visibility=row.visibility,
            status=row.status,
            content_type=row.content_type,
            byte_size=row.byte_size,
            filename=row.filename,
            width=row.width,
            height=row.height,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await media.visible_media(info.context, ids), cls.from_model)

    @strawberry.field(
        description="The original file's URL; null until READY. Signed and short-lived for "
        "PRIVATE media: fetch it again rather than storing it."
    )
    def url(self, info: Info) -> str | None:
        if not _is_ready(self.row):
            return None
        return media.object_url(info.context, self.row, self.row.key)

    @strawberry.field(description="The `thumbnail` variant's URL; null for videos and until READY.")
    def thumbnail(self, info: Info) -> str | None:
        found = self.row.variants.get("thumbnail") if _is_ready(self.row) else None
        return media.object_url(info.context, self.row, found["key"]) if found else None

    @strawberry.field(description="Resized copies of an image (none for videos), once READY.")
    def variants(self, info: Info) -> list[MediaVariant]:
        if not _is_ready(self.row):
            return []
        return [
            MediaVariant(
                name=name,
                url=media.object_url(info.context, self.row, value["key"]),
                width=value["width"],
                height=value["height"],
            )
            for name, value in self.row.variants.items()
        ]

    @strawberry.field(description="Why it FAILED; null otherwise.")
    def failure_reason(self) -> str | None:
        failed = self.row.status is MediaStatusModel.FAILED
        return (self.row.failure or "The file could not be used.") if failed else None


def _is_ready(row: MediaModel) -> bool:
    return row.status is MediaStatusModel.READY


async def media_list(info: Info, ids: list[int]) -> list[Media]:
    """The READY media of a product or review (already checked as visible), in order."""
    return [Media.from_model(row) for row in await media.attached_media(info.context, ids)]
