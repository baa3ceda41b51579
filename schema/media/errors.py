"""Why an upload cannot be completed, as a typed error."""

from __future__ import annotations

import strawberry

from resolvers.media import UploadNotFound
from schema.errors import Error, maps


@strawberry.type(
    description="No file is stored for this upload: it was not posted yet, or storage refused "
    "it (larger than byteSize, another content type, or after the form expired). Post it "
    "again while the form is good, or request a new upload."
)
class UploadNotFoundError(Error):
    pass


ERROR_MAPPINGS = [
    maps(UploadNotFound, UploadNotFoundError, lambda e: UploadNotFoundError(message=e.message)),
]
