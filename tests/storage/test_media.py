"""Uploads are constrained by the storage server itself: size range, type, key, expiry."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from storage.media import LocalStorage, Storage, UploadPolicy

pytestmark = pytest.mark.smoke

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


async def post_upload(
    storage: Storage,
    http: httpx.AsyncClient,
    policy: UploadPolicy,
    body: bytes,
    content_type: str | None = None,
) -> httpx.Response:
    presigned = await storage.presign_upload(policy)
    fields = dict(presigned.fields)
    if content_type is not None:
        fields["Content-Type"] = content_type
    files = {"file": ("upload.png", body, fields["Content-Type"])}
    if isinstance(storage, LocalStorage):  # served by our app
        return await http.post(presigned.url.replace("http://test", ""), data=fields, files=files)
    async with httpx.AsyncClient() as outside:  # straight to the S3 server, as a browser would
        return await outside.post(presigned.url, data=fields, files=files)


def new_policy(max_bytes: int = 1024) -> UploadPolicy:
    return UploadPolicy(
        key=f"test/{uuid.uuid4().hex}.png", content_type="image/png", max_bytes=max_bytes
    )


async def test_upload_within_policy_is_stored(services: Any, http: httpx.AsyncClient) -> None:
    policy = new_policy()

    reply = await post_upload(services.storage, http, policy, PNG)

    assert reply.status_code in (200, 204), reply.text
    info = await services.storage.head(policy.key)
    assert info is not None
    assert info.size == len(PNG)
    assert info.content_type == "image/png"


async def test_too_large_upload_is_refused_and_nothing_stored(
    services: Any, http: httpx.AsyncClient
) -> None:
    policy = new_policy(max_bytes=50)

    reply = await post_upload(services.storage, http, policy, PNG)

    assert reply.status_code == 400
    assert "EntityTooLarge" in reply.text
    assert await services.storage.head(policy.key) is None


async def test_other_content_type_is_refused(services: Any, http: httpx.AsyncClient) -> None:
    policy = new_policy()

    reply = await post_upload(services.storage, http, policy, b"<script>", "text/html")

    assert reply.status_code == 403
    assert await services.storage.head(policy.key) is None


async def test_tampered_policy_is_refused(services: Any, http: httpx.AsyncClient) -> None:
    policy = new_policy()
    presigned = await services.storage.presign_upload(policy)
    fields = dict(presigned.fields)
    fields["key"] = "somewhere/else.png"
    files = {"file": ("x.png", PNG, "image/png")}

    if isinstance(services.storage, LocalStorage):
        reply = await http.post("/media-upload", data=fields, files=files)
    else:
        async with httpx.AsyncClient() as outside:
            reply = await outside.post(presigned.url, data=fields, files=files)

    assert reply.status_code == 403
    assert await services.storage.head("somewhere/else.png") is None


async def test_put_head_delete_round_trip(services: Any) -> None:
    key = f"test/{uuid.uuid4().hex}.txt"

    await services.storage.put(key, b"hello", "text/plain")
    found = await services.storage.head(key)
    await services.storage.delete(key)

    assert found is not None
    assert found.size == 5
    assert await services.storage.head(key) is None


def test_local_keys_cannot_escape_the_directory(tmp_path: Path) -> None:
    storage = LocalStorage(root=tmp_path, secret_key="k" * 40, public_base_url="http://test")

    for key in ("../outside", "/etc/passwd", "a/../../b"):
        with pytest.raises(ValueError, match="invalid object key"):
            storage._path(key)
