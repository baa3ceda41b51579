"""The local media backend: what it serves, and what it refuses to store."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from starlette.applications import Starlette

from storage.media import LocalStorage, PresignedUpload, UploadPolicy


def local_storage(root: Path) -> LocalStorage:
    return LocalStorage(root=root, secret_key="k" * 40, public_base_url="http://test")


async def client_for(storage: LocalStorage) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=storage.routes()))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def post(http: httpx.AsyncClient, presigned: PresignedUpload, body: bytes) -> httpx.Response:
    files = {"file": ("upload.png", body, presigned.fields["Content-Type"])}
    return await http.post(
        presigned.url.replace("http://test", ""), data=presigned.fields, files=files
    )


async def test_local_media_are_served_with_nosniff_and_the_checked_content_type(
    tmp_path: Path,
) -> None:
    storage = local_storage(tmp_path / "media")
    # Checked as a PNG, though the bytes are HTML and the key says .html: a browser that
    # sniffed, or a server that guessed from the name, would run the script on our origin.
    policy = UploadPolicy(
        key=f"test/{uuid.uuid4().hex}.html", content_type="image/png", max_bytes=1024
    )
    presigned = await storage.presign_upload(policy)
    async with await client_for(storage) as http:
        stored = await post(http, presigned, b"<html><script>alert(1)</script></html>")
        served = await http.get(f"/media/{policy.key}")
        # Without its recorded type an object is bytes, not whatever its name suggests.
        sidecar = storage.root / (policy.key + ".content-type")
        sidecar.unlink()
        untyped = await http.get(f"/media/{policy.key}")

    assert stored.status_code == 204, stored.text
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert untyped.headers["content-type"] == "application/octet-stream"
    assert untyped.headers["x-content-type-options"] == "nosniff"
