"""GraphQL shape of media: the Media node, upload forms, and the upload mutations.

Product.media and Review.media (schema/catalog, schema/reviews) resolve through `media_list`.
"""

from __future__ import annotations

from schema.media.mutations import MediaMutation
from schema.media.payloads import (
    CompleteUploadPayload,
    CompleteUploadSuccess,
    DeleteMediaPayload,
    DeleteMediaSuccess,
    RequestUploadPayload,
    RequestUploadSuccess,
)
from schema.media.types import (
    Media,
    MediaKind,
    MediaStatus,
    MediaVariant,
    UploadForm,
    UploadFormField,
    media_list,
)

__all__ = [
    "CompleteUploadPayload",
    "CompleteUploadSuccess",
    "DeleteMediaPayload",
    "DeleteMediaSuccess",
    "Media",
    "MediaKind",
    "MediaMutation",
    "MediaStatus",
    "MediaVariant",
    "RequestUploadPayload",
    "RequestUploadSuccess",
    "UploadForm",
    "UploadFormField",
    "media_list",
]
