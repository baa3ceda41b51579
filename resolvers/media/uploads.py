"""Uploads: a presigned form for a new media object, completing it, deleting media.

The bytes never pass through us: requestUpload hands out a presigned POST whose policy fixes
the key (ours), the content type and the size range, so the storage server refuses anything
else; completeUpload then checks what arrived with a HEAD. Storage calls run in threads
(storage/media.py) and never inside a transaction; deleting objects is a side effect of a
committed change, so it goes on the job queue.

A form writes a staging key (uploads/...), never the media's own: S3 cannot make a presigned
POST single-use, so a form stays good for its 15 minutes after completeUpload. Completion
copies the checked object to a new permanent key (media/... or private/...) and the row
moves to it, so whatever a reused form posts later lands where nobody reads, and the cleanup
job removes it.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.media import Media, MediaKind, MediaStatus, MediaVisibility
from resolvers.auth import require_scope
from resolvers.errors import InvalidInput, NotFound, PermissionDenied
from resolvers.loading import forget
from resolvers.media.access import target_media
from resolvers.media.errors import UploadNotFound
from resolvers.media.loaders import media_by_id
from resolvers.principal import Scope
from storage.media import PRIVATE_PREFIX, STAGING_PREFIX, ObjectInfo, UploadPolicy

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

# How long an upload form is good for; the cleanup job waits this plus a margin.
UPLOAD_EXPIRES_SECONDS = 15 * 60
FILENAME_MAX = 200
# Forms out at once per user: each is a row until completed or cleaned up, so unbounded
# requests would let one account fill the table.
MAX_PENDING_UPLOADS = 20
# Jobs the API enqueues may run twice (saq's sweep, a worker lost mid-job): all idempotent.
MEDIA_JOB_RETRIES = 3
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class RequestedUpload:
    media: Media
    url: str
    fields: dict[str, str]
    expires_at: datetime


def _allowed(ctx: Context, kind: MediaKind) -> tuple[tuple[str, ...], int]:
    settings = ctx.settings
    if kind is MediaKind.IMAGE:
        return settings.media_image_types, settings.media_image_max_bytes
    return settings.media_video_types, settings.media_video_max_bytes


def check_filename(filename: str) -> str:
    # Only a label: the key is ours, so a path in the name must not look like one.
    cleaned = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not cleaned or len(cleaned) > FILENAME_MAX or _CONTROL.search(cleaned):
        raise InvalidInput(
            "filename", f"A file name is 1-{FILENAME_MAX} characters, without control characters."
        )
    return cleaned


def new_key(content_type: str, prefix: str) -> str:
    """Unguessable, ours, and the same directory for the original and its variants."""
    extension = re.sub(r"[^a-z0-9]", "", content_type.split("/", 1)[1]) or "bin"
    return f"{prefix}{secrets.token_hex(16)}/original.{extension}"


def permanent_prefix(visibility: MediaVisibility) -> str:
    # Private objects have their own prefix, which the CDN does not serve (storage/media.py).
    return PRIVATE_PREFIX if visibility is MediaVisibility.PRIVATE else PUBLIC_PREFIX


PUBLIC_PREFIX = "media/"


async def request_upload(
    ctx: Context,
    *,
    kind: MediaKind,
    content_type: str,
    byte_size: int,
    filename: str,
    visibility: MediaVisibility = MediaVisibility.PUBLIC,
) -> RequestedUpload:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    types, cap = _allowed(ctx, kind)
    content_type = content_type.strip().lower()
    if content_type not in types:
        raise InvalidInput("contentType", f"A {kind.value} upload is one of: {', '.join(types)}.")
    if not 1 <= byte_size <= cap:
        raise InvalidInput("byteSize", f"A {kind.value} is 1 to {cap} bytes.")
    filename = check_filename(filename)
    key = new_key(content_type, STAGING_PREFIX)
    # The policy's maximum is the declared size, so storage refuses anything larger.
    presigned = await ctx.services.storage.presign_upload(
        UploadPolicy(
            key=key,
            content_type=content_type,
            max_bytes=byte_size,
            expires_in=UPLOAD_EXPIRES_SECONDS,
        )
    )
    # After presigning, so a storage failure leaves no row behind; a row whose form is never
    # used is removed by the cleanup job (jobs.purge_abandoned_uploads). A form refused by
    # the cap below is never handed out, and its key never written.
    async with in_transaction():
        # The user's row locked: concurrent requests count and insert one at a time, so the
        # cap holds (SQLite serialises transactions anyway).
        await User.select_for_update().filter(id=user.id).first()
        pending = await Media.filter(owner_id=user.id, status=MediaStatus.PENDING).count()
        if pending >= MAX_PENDING_UPLOADS:
            raise InvalidInput(
                None,
                f"You have {pending} uploads not completed yet: complete them (completeUpload) "
                "or wait until their forms expire.",
            )
        media = await Media.create(
            owner_id=user.id,
            kind=kind,
            visibility=visibility,
            key=key,
            content_type=content_type,
            byte_size=byte_size,
            filename=filename,
        )
    return RequestedUpload(
        media=media,
        url=presigned.url,
        fields=presigned.fields,
        expires_at=datetime.fromtimestamp(presigned.expires_at, UTC),
    )


async def complete_upload(ctx: Context, *, media_id: int) -> Media:
    """Check the uploaded object and hand an image to the worker; a video is ready at once.

    Completing again is harmless: a media past PENDING is returned as it is.
    """
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    media = await target_media(ctx, media_id)
    if media.owner_id != user.id:
        raise PermissionDenied("Only the uploader can complete an upload.")
    if media.status is not MediaStatus.PENDING:
        return media
    storage = ctx.services.storage
    if await storage.head(media.key) is None:
        raise UploadNotFound(
            "Nothing was stored for this upload: post the file with the upload form first "
            "(storage refuses a file over byteSize, of another content type, or after the "
            "form expired)."
        )
    # The checks below read the copy, so what is checked is what is kept, whatever a reused
    # form writes to the staging key meanwhile.
    permanent = await _copy_to_permanent_key(ctx, media)
    if permanent is None:  # staging gone: a concurrent completion moved the row first
        return await _pending_no_more(media.id)
    found = await storage.head(permanent)
    problem = _mismatch(media, found)
    if found is None or problem is not None:
        # Storage should have refused it; never trust a file that does not match its policy.
        await storage.delete(permanent)
        problem = problem or "The uploaded file is gone."
        await Media.filter(id=media.id, status=MediaStatus.PENDING).update(
            status=MediaStatus.FAILED, failure=problem[:200]
        )
        raise InvalidInput("mediaId", problem)
    ready = media.kind is MediaKind.VIDEO  # nothing to process: videos are served as uploaded
    status = MediaStatus.READY if ready else MediaStatus.PROCESSING
    moved = await Media.filter(id=media.id, status=MediaStatus.PENDING, key=media.key).update(
        # updated_at by hand: update() leaves it, and the stuck-media sweep reads it.
        key=permanent,
        status=status,
        byte_size=found.size,
        updated_at=datetime.now(UTC),
    )
    # Committed (no transaction here): the object nobody refers to now goes. Of two
    # concurrent completions one moves the row; the other removes its own copy.
    await storage.delete(media.key if moved else permanent)
    forget(ctx.loaders[media_by_id], media.id)
    if moved and not ready:
        # Past saq's 10 s default: a large image can take seconds on a small host.
        await _enqueue(ctx, "process_media", media_id=media.id, timeout=PROCESS_TIMEOUT_SECONDS)
    completed = await Media.get_or_none(id=media.id)
    if completed is None:  # deleted meanwhile (deleteMedia, the abandoned-upload sweep)
        raise NotFound("Media")
    return completed


PROCESS_TIMEOUT_SECONDS = 120


async def _copy_to_permanent_key(ctx: Context, media: Media) -> str | None:
    """A server-side copy of the staging object under a fresh key of its own (media/ or
    private/), or None if there is no staging object. Fresh per completion, so concurrent
    completions never share one."""
    permanent = new_key(media.content_type, permanent_prefix(media.visibility))
    copied = await ctx.services.storage.copy(media.key, permanent)
    return permanent if copied else None


def _mismatch(media: Media, found: ObjectInfo | None) -> str | None:
    if found is None:
        return "The uploaded file is gone."
    if not 1 <= found.size <= media.byte_size:
        return f"The file is {found.size} bytes; the upload allowed 1 to {media.byte_size}."
    if found.content_type.lower() != media.content_type:
        return f"The file is stored as {found.content_type!r}, not {media.content_type!r}."
    return None


async def _pending_no_more(media_id: int) -> Media:
    now = await Media.get_or_none(id=media_id)
    if now is None:
        raise NotFound("Media")
    if now.status is MediaStatus.PENDING:
        raise UploadNotFound("The uploaded file is gone: post it again with the form.")
    return now


async def delete_media(ctx: Context, *, media_id: int) -> Media:
    user = require_scope(ctx, Scope.WRITE_CONTENT)
    media = await target_media(ctx, media_id)
    if media.owner_id != user.id and user.role is not Role.ADMIN:
        raise PermissionDenied("Only the uploader or an admin can delete media.")
    async with in_transaction():
        # The row as it is now, locked: variants written since `media` was read are deleted
        # too, and a processing job finishing meanwhile waits, then finds the row gone.
        fresh = await Media.select_for_update().filter(id=media.id).first()
        if fresh is not None:
            await fresh.delete()
    forget(ctx.loaders[media_by_id], media.id)
    if fresh is not None:
        # Committed: only now do its objects go. Products and reviews listing the id skip it.
        keys = object_keys(fresh)
        if not await _enqueue(ctx, "delete_media_objects", keys=keys):
            for key in keys:  # no queue: still after the commit, just on this request's time
                await ctx.services.storage.delete(key)
    return media


def object_keys(media: Media) -> list[str]:
    return [media.key, *(variant["key"] for variant in media.variants.values())]


async def _enqueue(ctx: Context, function: str, **kwargs: object) -> bool:
    try:
        await ctx.services.queue.enqueue(function, retries=MEDIA_JOB_RETRIES, **kwargs)
    except Exception:
        # The change is committed and the client must hear so. A lost processing job is
        # picked up by the cleanup job's sweep of stuck media (processing.py).
        log.exception("could not enqueue %s", function)
        return False
    return True
