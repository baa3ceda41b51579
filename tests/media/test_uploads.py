"""The upload flow end to end: a presigned form, a real POST to storage, completion, the worker.

Smoke tests: on SeaweedFS over real HTTP, and on the local media directory served by the app.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from PIL import Image

from models.media import Media, MediaStatus
from tests.factories import SignIn
from tests.media.support import (
    COMPLETE,
    DELETE,
    NODE,
    drain,
    fetch,
    png,
    post_form,
    request_upload,
)
from tests.utils import GraphQLClient

pytestmark = pytest.mark.smoke


async def test_an_uploaded_png_becomes_a_ready_image_with_variants(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    image = png(800, 600)

    requested = await request_upload(gql, user.token, len(image))
    assert requested["__typename"] == "RequestUploadSuccess", requested
    media = requested["media"]
    assert media["status"] == "PENDING"
    assert media["url"] is None
    posted = await post_form(services.storage, http, requested["upload"], image)
    assert posted.status_code in (200, 204), posted.text
    completed = (await gql.data(COMPLETE, {"id": media["id"]}, token=user.token))["completeUpload"]
    assert completed["__typename"] == "CompleteUploadSuccess", completed
    assert completed["media"]["status"] == "PROCESSING"
    assert completed["media"]["byteSize"] == len(image)
    await drain(services)

    # by id, only its uploader (and admins) reach it; others see it on what shows it
    assert (await gql.data(NODE, {"id": media["id"]}))["node"] is None
    seen = (await gql.data(NODE, {"id": media["id"]}, token=user.token))["node"]
    assert seen["status"] == "READY"
    assert (seen["width"], seen["height"]) == (800, 600)
    assert {v["name"]: (v["width"], v["height"]) for v in seen["variants"]} == {
        "thumbnail": (320, 240),
        "display": (800, 600),  # never enlarged
    }
    thumbnail = await fetch(services.storage, http, seen["thumbnail"])
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/webp"
    assert Image.open(__import__("io").BytesIO(thumbnail.content)).size == (320, 240)
    original = await fetch(services.storage, http, seen["url"])
    assert original.status_code == 200
    assert original.content == image


async def test_storage_refuses_an_oversize_file_and_completion_says_so(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    image = png()
    requested = await request_upload(gql, user.token, len(image) - 1)  # declared one byte short

    posted = await post_form(services.storage, http, requested["upload"], image)

    assert posted.status_code == 400, posted.text
    assert "EntityTooLarge" in posted.text
    media = await Media.get(id=int(_pk(requested["media"]["id"])))
    assert await services.storage.head(media.key) is None
    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token))[
        "completeUpload"
    ]
    assert completed["__typename"] == "UploadNotFoundError", completed
    assert (await Media.get(id=media.id)).status is MediaStatus.PENDING  # may still be posted


async def test_storage_refuses_another_content_type_and_completion_says_so(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    requested = await request_upload(gql, user.token, 1000)

    posted = await post_form(
        services.storage, http, requested["upload"], b"<script>alert(1)</script>", "text/html"
    )

    assert posted.status_code == 403, posted.text
    media = await Media.get(id=int(_pk(requested["media"]["id"])))
    assert await services.storage.head(media.key) is None
    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token))[
        "completeUpload"
    ]
    assert completed["__typename"] == "UploadNotFoundError", completed


async def test_a_file_that_is_not_the_declared_image_fails_in_the_worker(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    body = b"GIF89a but not really a png at all" * 3
    requested = await request_upload(gql, user.token, len(body))
    await post_form(services.storage, http, requested["upload"], body)
    await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token)

    await drain(services)

    seen = (await gql.data(NODE, {"id": requested["media"]["id"]}, token=user.token))["node"]
    assert seen["status"] == "FAILED"
    assert "image/png" in seen["failureReason"]
    assert seen["url"] is None
    assert (await gql.data(NODE, {"id": requested["media"]["id"]}))["node"] is None


async def test_a_video_is_ready_on_completion_without_variants(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    body = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
    requested = await request_upload(gql, user.token, len(body), "video/mp4", "VIDEO", "a.mp4")
    await post_form(services.storage, http, requested["upload"], body)

    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token))[
        "completeUpload"
    ]

    assert completed["media"]["status"] == "READY"
    assert completed["media"]["variants"] == []
    assert completed["media"]["thumbnail"] is None
    fetched = await fetch(services.storage, http, completed["media"]["url"])
    assert fetched.content == body


async def test_deleting_media_removes_the_row_and_then_its_objects(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    image = png(400, 400)
    requested = await request_upload(gql, user.token, len(image))
    await post_form(services.storage, http, requested["upload"], image)
    await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=user.token)
    await drain(services)
    media = await Media.get(id=int(_pk(requested["media"]["id"])))
    keys = [media.key, *(v["key"] for v in media.variants.values())]
    assert len(keys) == 3

    deleted = (await gql.data(DELETE, {"id": requested["media"]["id"]}, token=user.token))[
        "deleteMedia"
    ]
    assert deleted["__typename"] == "DeleteMediaSuccess"
    assert not await Media.filter(id=media.id).exists()
    await drain(services)

    for key in keys:
        assert await services.storage.head(key) is None


def _pk(global_id: str) -> str:
    from strawberry import relay

    return relay.GlobalID.from_id(global_id).node_id
