"""The media mutations: request an upload form, complete the upload, delete media."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.media import MediaKind as MediaKindModel
from models.media import MediaVisibility as MediaVisibilityModel
from resolvers import media
from schema.base import Info, decode_id
from schema.media.payloads import (
    CompleteUploadPayload,
    CompleteUploadSuccess,
    DeleteMediaPayload,
    DeleteMediaSuccess,
    RequestUploadPayload,
    RequestUploadSuccess,
)
from schema.media.types import Media, MediaKind, MediaVisibility, UploadForm, UploadFormField


def _media_id(value: strawberry.ID) -> int:
    return decode_id(value, "Media", field="mediaId")


@strawberry.type
class MediaMutation:
    @strawberry.mutation(
        description="Start an upload: a PENDING media and a presigned form (15 minutes) to "
        "POST the file to storage directly. Signed-in users; apps need write:content."
    )
    async def request_upload(
        self,
        info: Info,
        kind: Annotated[
            MediaKind,  # type: ignore[valid-type]
            strawberry.argument(description="IMAGE or VIDEO."),
        ],
        content_type: Annotated[
            str,
            strawberry.argument(
                description="The file's media type, one the kind allows (MEDIA_IMAGE_TYPES, "
                "MEDIA_VIDEO_TYPES), e.g. `image/png`; the form allows only it."
            ),
        ],
        byte_size: Annotated[
            int,
            strawberry.argument(
                description="The file's size in bytes, up to the kind's cap "
                "(MEDIA_IMAGE_MAX_BYTES, MEDIA_VIDEO_MAX_BYTES); the form refuses anything larger."
            ),
        ],
        filename: Annotated[
            str,
            strawberry.argument(description="The file's name, 1-200 characters (a label only)."),
        ],
        visibility: Annotated[
            MediaVisibility | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="PUBLIC or PRIVATE: its uploader and admins only, with signed URLs "
                "that expire (e.g. verification documents, a draft's images); null means PUBLIC."
            ),
        ] = MediaVisibilityModel.PUBLIC,
    ) -> RequestUploadPayload | None:
        requested = await media.request_upload(
            info.context,
            kind=MediaKindModel(kind),
            content_type=content_type,
            byte_size=byte_size,
            filename=filename,
            visibility=MediaVisibilityModel(visibility or MediaVisibilityModel.PUBLIC),
        )
        return RequestUploadSuccess(
            media=Media.from_model(requested.media),
            upload=UploadForm(
                url=requested.url,
                fields=[
                    UploadFormField(name=name, value=value)
                    for name, value in requested.fields.items()
                ],
                expires_at=requested.expires_at,
            ),
        )

    @strawberry.mutation(
        description="Say the file is uploaded: it is checked in storage (present, within "
        "byteSize, of the content type) and an image goes to the worker for its size and "
        "variants. The uploader only; apps need write:content. Again later: the media as is."
    )
    async def complete_upload(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The media requestUpload returned (a Media id)."),
        ],
    ) -> CompleteUploadPayload | None:
        row = await media.complete_upload(info.context, media_id=_media_id(media_id))
        return CompleteUploadSuccess(media=Media.from_model(row))

    @strawberry.mutation(
        description="Delete media and, shortly after, its files; products and reviews stop "
        "showing it. The uploader or an admin; apps need write:content."
    )
    async def delete_media(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The media to delete (a Media id)."),
        ],
    ) -> DeleteMediaPayload | None:
        await media.delete_media(info.context, media_id=_media_id(media_id))
        return DeleteMediaSuccess(deleted_media_id=media_id)
