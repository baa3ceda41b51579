"""The local media backend refuses what its policy does not allow before reading the body.

These drive the upload route at the ASGI level, with a receive() that hands the body over in
chunks and counts them, so a test can say how much of the body the app took before answering;
and it watches the media directory while it does, since that is where uploads are spooled.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from storage.media import LocalStorage, PresignedUpload, UploadPolicy

BOUNDARY = "agora-test-boundary"
CHUNK = 64 * 1024
# Far more than any policy here allows: what a client that never stops would send.
HUGE = 8 * 1024 * 1024


def local_storage(root: Path) -> LocalStorage:
    return LocalStorage(root=root, secret_key="k" * 40, public_base_url="http://test")


def new_policy(max_bytes: int = 1024, expires_in: int = 900) -> UploadPolicy:
    return UploadPolicy(
        key=f"test/{uuid.uuid4().hex}.png",
        content_type="image/png",
        max_bytes=max_bytes,
        expires_in=expires_in,
    )


def form_head(fields: dict[str, str]) -> bytes:
    """The multipart body up to the file's first byte: the fields, then the file part's headers."""
    text = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    text += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="upload.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    return text.encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


@dataclass
class Exchange:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    consumed: int = 0  # body bytes receive() handed to the app
    most_on_disk: int = 0  # the most bytes the media directory held while the app read


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def bytes_under(root: Path) -> int:
    return sum(path.stat().st_size for path in files_under(root))


async def exchange(
    storage: LocalStorage,
    path: str,
    head: bytes,
    file_size: int,
    *,
    content_length: int | None = None,
    tail: bytes = TAIL,
) -> Exchange:
    """POST a multipart body of `head`, `file_size` file bytes and `tail`."""

    def chunks() -> Iterator[bytes]:
        yield head
        remaining = file_size
        while remaining:
            size = min(CHUNK, remaining)
            yield b"\x00" * size
            remaining -= size
        if tail:
            yield tail

    result = Exchange()
    body = chunks()
    finished = False

    async def receive() -> dict[str, Any]:
        nonlocal finished
        result.most_on_disk = max(result.most_on_disk, bytes_under(storage.root))
        if finished:
            return {"type": "http.disconnect"}
        chunk = next(body, None)
        if chunk is None:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        result.consumed += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            result.status = message["status"]
            result.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            result.body += message.get("body", b"")

    parts = urlsplit(path)
    framing = (
        [(b"transfer-encoding", b"chunked")]
        if content_length is None
        else [(b"content-length", str(content_length).encode())]
    )
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"test"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            *framing,
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
    }
    await Starlette(routes=storage.routes())(scope, receive, send)
    return result


def upload_path(presigned: PresignedUpload, **query: str) -> str:
    """The route's path and query string; `query` replaces the URL's own parameters."""
    parts = urlsplit(presigned.url)
    params = dict(parse_qsl(parts.query))
    params.update(query)
    return parts.path + ("?" + urlencode(params) if params else "")


async def client_for(storage: LocalStorage) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=storage.routes()))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def post(http: httpx.AsyncClient, presigned: PresignedUpload, body: bytes) -> httpx.Response:
    files = {"file": ("upload.png", body, presigned.fields["Content-Type"])}
    return await http.post(
        presigned.url.replace("http://test", ""), data=presigned.fields, files=files
    )


@pytest.mark.parametrize("where", ["query", "form"])
@pytest.mark.parametrize("problem", ["bad signature", "expired"])
async def test_local_chunked_upload_with_a_bad_policy_is_refused_before_the_body_is_read(
    tmp_path: Path, where: str, problem: str
) -> None:
    storage = local_storage(tmp_path / "media")
    presigned = await storage.presign_upload(
        new_policy(expires_in=-5 if problem == "expired" else 900)
    )
    fields = dict(presigned.fields)
    if problem == "bad signature":
        fields["signature"] = "0" * 64
    if where == "query":
        path = upload_path(presigned, policy=fields["policy"], signature=fields["signature"])
    else:  # only the form fields carry the policy: the route must not need the query string
        path = urlsplit(presigned.url).path
    head = form_head(fields)

    reply = await exchange(storage, path, head, HUGE)

    assert reply.status == 403, reply.body
    # From the query string nothing of the body is needed; from the form, only its fields.
    assert reply.consumed <= (0 if where == "query" else len(head)), reply.consumed
    assert reply.most_on_disk == 0
    assert files_under(storage.root) == []


async def test_local_chunked_upload_over_the_cap_stops_at_the_cap_and_stores_nothing(
    tmp_path: Path,
) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy(max_bytes=CHUNK)
    presigned = await storage.presign_upload(policy)
    head = form_head(presigned.fields)

    reply = await exchange(storage, upload_path(presigned), head, HUGE)

    assert reply.status == 400, reply.body
    assert b"EntityTooLarge" in reply.body
    # The cap, the form's fields, and at most the one chunk that crossed the cap.
    assert reply.consumed <= policy.max_bytes + len(head) + CHUNK, reply.consumed
    assert reply.most_on_disk <= policy.max_bytes + CHUNK
    assert files_under(storage.root) == []
    assert await storage.head(policy.key) is None


async def test_local_content_length_over_the_cap_is_refused_at_once(tmp_path: Path) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy(max_bytes=1024)
    presigned = await storage.presign_upload(policy)
    head = form_head(presigned.fields)

    reply = await exchange(
        storage, upload_path(presigned), head, HUGE, content_length=len(head) + HUGE + len(TAIL)
    )

    assert reply.status == 400, reply.body
    assert b"EntityTooLarge" in reply.body
    assert reply.consumed == 0
    assert files_under(storage.root) == []


async def test_local_upload_within_the_policy_is_stored_from_a_chunked_body(
    tmp_path: Path,
) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy(max_bytes=3 * CHUNK)
    presigned = await storage.presign_upload(policy)

    reply = await exchange(
        storage, upload_path(presigned), form_head(presigned.fields), 2 * CHUNK + 7
    )

    assert reply.status == 204, reply.body
    info = await storage.head(policy.key)
    assert info is not None
    assert (info.size, info.content_type) == (2 * CHUNK + 7, "image/png")
    # The object and its content type; no temporary file or marker left over.
    assert sorted(path.name for path in files_under(storage.root) if "test" in path.parts) == [
        policy.key.split("/")[1],
        policy.key.split("/")[1] + ".content-type",
    ]


async def test_local_truncated_upload_stores_nothing(tmp_path: Path) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy(max_bytes=3 * CHUNK)
    presigned = await storage.presign_upload(policy)
    head = form_head(presigned.fields)
    # The HTTP body is complete, but the form stops mid-file: no closing boundary.
    cut = head + b"\x00" * 100

    reply = await exchange(
        storage, upload_path(presigned), cut, 0, content_length=len(cut), tail=b""
    )

    assert reply.status == 400, reply.body
    assert await storage.head(policy.key) is None
    assert files_under(storage.root) == []


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


async def test_local_policy_can_be_used_once(tmp_path: Path) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy()
    presigned = await storage.presign_upload(policy)
    async with await client_for(storage) as http:
        first = await post(http, presigned, b"first")
        again = await post(http, presigned, b"second")
        served = await http.get(f"/media/{policy.key}")

    assert first.status_code == 204, first.text
    assert again.status_code == 403
    assert again.json()["code"] == "AccessDenied"
    assert served.content == b"first"


async def test_local_refused_upload_leaves_the_policy_usable(tmp_path: Path) -> None:
    storage = local_storage(tmp_path / "media")
    policy = new_policy(max_bytes=10)
    presigned = await storage.presign_upload(policy)
    async with await client_for(storage) as http:
        too_large = await post(http, presigned, b"x" * 11)
        within = await post(http, presigned, b"x" * 10)

    assert too_large.status_code == 400
    assert within.status_code == 204, within.text


async def test_private_keys_are_served_only_by_an_unexpired_signed_url(tmp_path: Path) -> None:
    storage = local_storage(tmp_path)
    await storage.put("private/abc/original.png", b"secret", "image/png")
    await storage.put("uploads/abc/original.png", b"staged", "image/png")
    await storage.put("media/abc/original.png", b"public", "image/png")
    signed = storage.signed_url("private/abc/original.png", 60).replace("http://test", "")
    expired = storage.signed_url("private/abc/original.png", -1).replace("http://test", "")
    elsewhere = storage.signed_url("private/other/original.png", 60)
    forged = "/media/private/abc/original.png?" + urlsplit(elsewhere).query

    async with await client_for(storage) as http:
        ok = await http.get(signed)
        unsigned = await http.get("/media/private/abc/original.png")
        staged = await http.get("/media/uploads/abc/original.png")
        late = await http.get(expired)
        other = await http.get(forged)
        public = await http.get("/media/media/abc/original.png")

    assert (ok.status_code, ok.content) == (200, b"secret")
    assert ok.headers["content-type"] == "image/png"
    assert [r.status_code for r in (unsigned, staged, late, other)] == [403, 403, 403, 403]
    assert (public.status_code, public.content) == (200, b"public")
