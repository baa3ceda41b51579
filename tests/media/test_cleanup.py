"""The scheduled cleanup: abandoned uploads go (object and row), stuck processing resumes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.media import Media, MediaKind, MediaStatus
from resolvers.media import ABANDONED_AFTER, STUCK_AFTER
from tests.factories import MakeUser
from tests.media.support import png
from tests.utils import run_job

pytestmark = pytest.mark.smoke


async def _media(owner_id: int, status: MediaStatus, age: timedelta, name: str) -> Media:
    media = await Media.create(
        owner_id=owner_id,
        kind=MediaKind.IMAGE,
        status=status,
        key=f"media/cleanup-{name}/original.png",
        content_type="image/png",
        byte_size=10_000,
    )
    then = datetime.now(UTC) - age
    await Media.filter(id=media.id).update(created_at=then, updated_at=then)
    return media


async def test_abandoned_and_failed_uploads_are_removed_with_their_objects(
    services: Any, make_user: MakeUser
) -> None:
    owner = await make_user()
    old = ABANDONED_AFTER + timedelta(minutes=1)
    uploaded_late = await _media(owner.id, MediaStatus.PENDING, old, "late")
    await services.storage.put(uploaded_late.key, png(10, 10), "image/png")  # never completed
    never_uploaded = await _media(owner.id, MediaStatus.PENDING, old, "never")
    failed = await _media(owner.id, MediaStatus.FAILED, old, "failed")
    await services.storage.put(failed.key, b"not an image", "image/png")
    fresh = await _media(owner.id, MediaStatus.PENDING, timedelta(minutes=5), "fresh")
    ready = await _media(owner.id, MediaStatus.READY, old * 10, "ready")

    job = await run_job(services.queue, "purge_abandoned_uploads", storage=services.storage)

    assert job.status == "complete", job.error
    assert job.result == {"purged": 3, "resumed": 0, "staged": 0}
    remaining = set(await Media.all().values_list("id", flat=True))
    assert remaining == {fresh.id, ready.id}
    for gone in (uploaded_late, never_uploaded, failed):
        assert await services.storage.head(gone.key) is None


async def test_media_whose_processing_job_was_lost_is_processed_by_the_sweep(
    services: Any, make_user: MakeUser
) -> None:
    owner = await make_user()
    stuck = await _media(
        owner.id, MediaStatus.PROCESSING, STUCK_AFTER + timedelta(minutes=1), "stuck"
    )
    await services.storage.put(stuck.key, png(640, 480), "image/png")

    job = await run_job(services.queue, "purge_abandoned_uploads", storage=services.storage)

    assert job.result == {"purged": 0, "resumed": 1, "staged": 0}
    done = await Media.get(id=stuck.id)
    assert done.status is MediaStatus.READY
    assert (done.width, done.height) == (640, 480)
    assert done.variants["thumbnail"]["width"] == 320
