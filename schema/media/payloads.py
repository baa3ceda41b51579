"""What media mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.media.errors import UploadNotFoundError
from schema.media.types import Media, UploadForm


@strawberry.type(description="A PENDING media and the form to upload its file with.")
class RequestUploadSuccess:
    media: Media = strawberry.field(description="The new media, PENDING until completeUpload.")
    upload: UploadForm = strawberry.field(description="Where and how to POST the file.")


@strawberry.type(description="The file is there and checked.")
class CompleteUploadSuccess:
    media: Media = strawberry.field(
        description="PROCESSING (an image: its variants are on the way) or READY (a video)."
    )


@strawberry.type(description="The media is gone; its files are deleted shortly after.")
class DeleteMediaSuccess:
    deleted_media_id: strawberry.ID = strawberry.field(description="The id it had.")


RequestUploadPayload = Annotated[
    RequestUploadSuccess | ValidationError,
    strawberry.union(
        "RequestUploadPayload",
        description="An upload form and its PENDING media, or why the upload is refused.",
    ),
]
CompleteUploadPayload = Annotated[
    CompleteUploadSuccess
    | UploadNotFoundError
    | ValidationError
    | NotFoundError
    | PermissionDeniedError,
    strawberry.union(
        "CompleteUploadPayload",
        description="The checked media, or why not: UploadNotFoundError when no file is "
        "stored, ValidationError when the stored file does not match the form (the media "
        "is then FAILED).",
    ),
]
DeleteMediaPayload = Annotated[
    DeleteMediaSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "DeleteMediaPayload", description="The deleted media's id, or why it was not deleted."
    ),
]
