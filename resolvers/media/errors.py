"""Why an upload cannot be completed."""

from __future__ import annotations

from resolvers.errors import DomainError


class UploadNotFound(DomainError):
    """completeUpload found no object under the media's key: nothing was uploaded (yet), or
    the storage server refused the upload (too large, another content type, expired form)."""

    code = "UPLOAD_NOT_FOUND"
