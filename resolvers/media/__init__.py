"""Media uploaded straight to storage: upload forms, completion, variants, visibility, cleanup.

A media is PENDING while its presigned form is out, PROCESSING once completeUpload has seen
the object (images; the worker then writes their variants), READY when public, or FAILED.
"""

from __future__ import annotations

from resolvers.media.access import attached_media, check_media_ids, object_url, visible_media
from resolvers.media.errors import UploadNotFound
from resolvers.media.processing import (
    ABANDONED_AFTER,
    STUCK_AFTER,
    delete_objects,
    process_media,
    purge_abandoned_uploads,
    store_image,
)
from resolvers.media.uploads import (
    MAX_PENDING_UPLOADS,
    complete_upload,
    delete_media,
    request_upload,
)

__all__ = [
    "ABANDONED_AFTER",
    "MAX_PENDING_UPLOADS",
    "STUCK_AFTER",
    "UploadNotFound",
    "attached_media",
    "check_media_ids",
    "complete_upload",
    "delete_media",
    "delete_objects",
    "object_url",
    "process_media",
    "purge_abandoned_uploads",
    "request_upload",
    "store_image",
    "visible_media",
]
