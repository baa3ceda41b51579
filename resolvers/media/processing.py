"""The worker's side of media: variants of uploaded images, and cleaning up after uploads.

Every job here is idempotent (saq may run one twice) and re-reads the row: a media deleted
or completed meanwhile is left alone, and objects written for a row that is gone are removed.
A processing run first claims the row (a token, with updated_at as its lease): a run that
finds it claimed stops without writing, and each run writes variants under keys of its own,
so a run that lost its lease removes only what it wrote.
"""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
from PIL import Image, ImageOps, UnidentifiedImageError
from tortoise.expressions import Q

from models.media import Media, MediaKind, MediaStatus
from resolvers.media.uploads import PUBLIC_PREFIX, UPLOAD_EXPIRES_SECONDS, new_key, object_keys
from storage.media import STAGING_PREFIX, Storage

log = logging.getLogger(__name__)

# (name, longest edge in pixels): variants are never larger than the original.
VARIANTS = (("thumbnail", 320), ("display", 1280))
VARIANT_TYPE, VARIANT_FORMAT, VARIANT_EXTENSION = "image/webp", "WEBP", "webp"
# Decoded images above this many pixels are refused: a small file can unpack to gigabytes.
MAX_PIXELS = 50_000_000
# Only the decoder the content type names may read the bytes (never Pillow's guess).
DECODERS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
# Uploads whose form expired this long ago can no longer land: their rows and objects go.
ABANDONED_AFTER = timedelta(seconds=UPLOAD_EXPIRES_SECONDS) + timedelta(hours=1)
# A media processing this long lost its job (the queue was down, or a worker died).
STUCK_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 100


class UnusableImage(Exception):
    """The bytes are not an image of the declared type that we are willing to decode."""


@dataclass(frozen=True, slots=True)
class Rendered:
    name: str
    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Rendering:
    width: int
    height: int
    variants: list[Rendered]


def render(data: bytes, content_type: str) -> Rendering:
    """Decode the original and encode each variant (blocking: runs in a worker thread)."""
    decoder = DECODERS.get(content_type)
    if decoder is None:
        raise UnusableImage(f"{content_type} images are not processed.")
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, on huge images; both mean no.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[decoder]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise UnusableImage(f"Images have at most {MAX_PIXELS} pixels.")
                opened.load()
                # Phones store rotation in EXIF; browsers apply it, so our sizes must too.
                image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnusableImage(f"The file is not a readable {content_type} image.") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise UnusableImage(f"The image cannot be decoded: {exc}"[:200]) from None
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    variants = []
    for name, edge in VARIANTS:
        copy = image.copy()
        copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)  # keeps the aspect, never grows
        out = io.BytesIO()
        copy.save(out, VARIANT_FORMAT, quality=82, method=4)
        variants.append(Rendered(name, out.getvalue(), copy.width, copy.height))
    return Rendering(width=image.width, height=image.height, variants=variants)


def variant_key(original_key: str, name: str, run: str) -> str:
    # The run's token in the name: two runs never write (or delete) the same object.
    return f"{original_key.rsplit('/', 1)[0]}/{name}-{run[:12]}.{VARIANT_EXTENSION}"


async def process_media(storage: Storage, media_id: int) -> str:
    """Read an uploaded image's size, write its variants, and mark it READY (or FAILED)."""
    run = secrets.token_hex(16)
    if not await _claim(media_id, run):
        return "skipped"  # not PROCESSING, gone, or another run holds it
    try:
        return await _process_claimed(storage, media_id, run)
    except Exception:
        # Let saq's retry claim it at once rather than after the lease.
        await Media.filter(id=media_id, processing_token=run).update(processing_token="")
        raise


async def _process_claimed(storage: Storage, media_id: int, run: str) -> str:
    media = await Media.get_or_none(id=media_id)
    if media is None:
        return "skipped"
    data = await storage.get(media.key)
    if data is None:
        return await _fail(media, "The uploaded file is gone.")
    try:
        rendering = await anyio.to_thread.run_sync(render, data, media.content_type)
    except UnusableImage as exc:
        return await _fail(media, str(exc))
    variants: dict[str, Any] = {}
    for rendered in rendering.variants:
        key = variant_key(media.key, rendered.name, run)
        await storage.put(key, rendered.data, VARIANT_TYPE)
        variants[rendered.name] = {"key": key, "width": rendered.width, "height": rendered.height}
    ready = await Media.filter(
        id=media.id, status=MediaStatus.PROCESSING, processing_token=run
    ).update(
        status=MediaStatus.READY,
        width=rendering.width,
        height=rendering.height,
        variants=variants,
        processing_token="",
    )
    if not ready:  # deleted, or our lease taken over, while we worked: ours are nobody's
        for value in variants.values():
            await storage.delete(value["key"])
        return "skipped"
    return "ready"


async def _claim(media_id: int, run: str) -> bool:
    """Compare-and-set: the row becomes this run's if it is PROCESSING and unclaimed, or its
    claim is older than STUCK_AFTER (that run is dead). One UPDATE, so of two runs at once
    exactly one matches (PostgreSQL re-checks the condition on the row the winner wrote)."""
    now = datetime.now(UTC)
    claimed = await Media.filter(
        Q(processing_token="") | Q(updated_at__lt=now - STUCK_AFTER),
        id=media_id,
        status=MediaStatus.PROCESSING,
    ).update(processing_token=run, updated_at=now)
    return bool(claimed)


async def _fail(media: Media, reason: str) -> str:
    log.info("media %s failed: %s", media.id, reason)
    await Media.filter(
        id=media.id, status=MediaStatus.PROCESSING, processing_token=media.processing_token
    ).update(status=MediaStatus.FAILED, failure=reason[:200], processing_token="")
    return "failed"


async def delete_objects(storage: Storage, keys: list[str]) -> int:
    for key in keys:
        await storage.delete(key)  # deleting what is not there is no error, on S3 or locally
    return len(keys)


async def purge_abandoned_uploads(
    storage: Storage, *, now: datetime | None = None
) -> dict[str, int]:
    """Remove uploads never completed (or failed) once their form has long expired, and
    staging objects no form can write any more, and resume media whose processing job was
    lost. `now` lets a test stand later than S3's own timestamps, which it cannot backdate."""
    now = now or datetime.now(UTC)
    cutoff = now - ABANDONED_AFTER
    stale = await Media.filter(
        status__in=(MediaStatus.PENDING, MediaStatus.FAILED), created_at__lt=cutoff
    ).limit(SWEEP_BATCH)
    purged = 0
    for media in stale:
        # Claimed by status, so a completeUpload racing this sweep wins or loses cleanly.
        claimed = await Media.filter(id=media.id, status=media.status).update(
            status=MediaStatus.FAILED
        )
        if not claimed:
            continue
        for key in object_keys(media):  # the object too, if one was uploaded after all
            await storage.delete(key)
        purged += await Media.filter(id=media.id, status=MediaStatus.FAILED).delete()
    stuck = await Media.filter(
        status=MediaStatus.PROCESSING, updated_at__lt=now - STUCK_AFTER
    ).limit(SWEEP_BATCH)
    resumed = 0
    for media in stuck:
        resumed += (await process_media(storage, media.id)) != "skipped"
    return {"purged": purged, "resumed": resumed, "staged": await _purge_staging(storage, now)}


async def _purge_staging(storage: Storage, now: datetime) -> int:
    """Staging objects no form can write any more: what reused forms posted after
    completeUpload, and the leftovers of completions interrupted before their cleanup.

    A staging object last written before the cutoff came from a form issued before it, so
    its media (if still PENDING) was created before it too, and the sweep above removes it.
    """
    keys = await storage.keys_before(STAGING_PREFIX, now - ABANDONED_AFTER)
    for key in keys[:SWEEP_BATCH]:
        await storage.delete(key)
    return min(len(keys), SWEEP_BATCH)


async def store_image(
    storage: Storage, owner_id: int, data: bytes, content_type: str, filename: str
) -> Media:
    """A public image made on the server (demo data, imports), stored as a completed upload
    is and made READY with its variants by the same processing as uploads."""
    key = new_key(content_type, PUBLIC_PREFIX)
    await storage.put(key, data, content_type)
    media = await Media.create(
        owner_id=owner_id,
        kind=MediaKind.IMAGE,
        status=MediaStatus.PROCESSING,
        key=key,
        content_type=content_type,
        byte_size=len(data),
        filename=filename,
    )
    await process_media(storage, media.id)
    await media.refresh_from_db()
    return media
