"""Upload races: a reused upload form, concurrent requestUpload calls, overlapping processing.

Each failed before its fix: a form posted again after completeUpload replaced the checked
image on S3; 40 concurrent requestUpload calls passed the cap of 20 together; two overlapping
process_media runs deleted the winner's variants.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from strawberry import relay

from models.media import Media, MediaKind, MediaStatus
from resolvers.media import (
    ABANDONED_AFTER,
    MAX_PENDING_UPLOADS,
    process_media,
    purge_abandoned_uploads,
)
from storage.media import LocalStorage, Storage
from tests.factories import MakeUser, SignIn
from tests.media.support import COMPLETE, NODE, drain, fetch, png, post_form, request_upload
from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke


def _pk(global_id: str) -> int:
    return int(relay.GlobalID.from_id(global_id).node_id)


async def _keys_under(storage: Storage, prefix: str) -> set[str]:
    return set(await storage.keys_before(prefix, datetime.now(UTC) + timedelta(days=1)))


async def test_a_form_posted_again_after_completion_cannot_replace_the_image(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    first, second, third = png(400, 300), png(400, 301), png(400, 302)
    # the form allows the largest, so storage takes each of them
    requested = await request_upload(gql, user.token, max(map(len, (first, second, third))))
    form = requested["upload"]
    assert (await post_form(services.storage, http, form, first)).status_code in (200, 204)

    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token))[
        "completeUpload"
    ]
    assert completed["__typename"] == "CompleteUploadSuccess", completed
    again = await post_form(services.storage, http, form, second)  # before processing
    await drain(services)
    late = await post_form(services.storage, http, form, third)  # once READY

    if isinstance(services.storage, LocalStorage):  # forms are single-use there
        assert (again.status_code, late.status_code) == (403, 403)
    else:  # S3 takes them, into the staging key nobody reads
        assert (again.status_code, late.status_code) == (204, 204), (again.text, late.text)
    seen = (await gql.data(NODE, {"id": requested["media"]["id"]}, token=user.token))["node"]
    assert seen["status"] == "READY"
    assert (seen["width"], seen["height"]) == (400, 300)
    assert (await fetch(services.storage, http, seen["url"])).content == first
    # what the reused form wrote goes with the cleanup job, once no form can write it
    staged = await _keys_under(services.storage, "uploads/")
    report = await purge_abandoned_uploads(
        services.storage, now=datetime.now(UTC) + ABANDONED_AFTER + timedelta(minutes=1)
    )
    assert report["staged"] == len(staged)
    assert await _keys_under(services.storage, "uploads/") == set()
    assert (await fetch(services.storage, http, seen["url"])).content == first


async def test_the_cleanup_keeps_staging_objects_a_form_may_still_write(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    image = png(10, 10)
    requested = await request_upload(gql, user.token, len(image))
    await post_form(services.storage, http, requested["upload"], image)

    report = await purge_abandoned_uploads(services.storage)

    assert report == {"purged": 0, "resumed": 0, "staged": 0}
    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token))[
        "completeUpload"
    ]
    assert completed["__typename"] == "CompleteUploadSuccess", completed


async def test_concurrent_requests_never_pass_the_pending_upload_cap(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    user = await sign_in()

    results = await asyncio.gather(*(request_upload(gql, user.token, 100) for _ in range(40)))

    kinds = [result["__typename"] for result in results]
    assert kinds.count("RequestUploadSuccess") == MAX_PENDING_UPLOADS, kinds
    assert kinds.count("ValidationError") == 40 - MAX_PENDING_UPLOADS, kinds
    assert await Media.filter(owner_id=user.user.id).count() == MAX_PENDING_UPLOADS


async def test_overlapping_processing_runs_leave_every_variant_and_no_orphan(
    services: Any, make_user: MakeUser
) -> None:
    owner = await make_user()
    key = "media/overlap-0001/original.png"
    await services.storage.put(key, png(900, 600), "image/png")
    media = await Media.create(
        owner_id=owner.id,
        kind=MediaKind.IMAGE,
        status=MediaStatus.PROCESSING,
        key=key,
        content_type="image/png",
        byte_size=1000,
    )

    outcomes = await asyncio.gather(
        process_media(services.storage, media.id), process_media(services.storage, media.id)
    )

    assert sorted(outcomes) == ["ready", "skipped"]
    done = await Media.get(id=media.id)
    assert done.status is MediaStatus.READY
    variant_keys = {variant["key"] for variant in done.variants.values()}
    assert len(variant_keys) == 2
    for variant_key in variant_keys:
        assert await services.storage.head(variant_key) is not None
    assert await _keys_under(services.storage, "media/overlap-0001/") == {key, *variant_keys}
