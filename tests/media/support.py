"""Uploading through the API as a client would: request a form, post the file, complete."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import httpx
from PIL import Image

from main import make_worker
from models.media import Media, MediaKind, MediaStatus
from storage.media import LocalStorage, Storage
from tests.utils import GraphQLClient

MEDIA_FIELDS = """id kind visibility status url width height contentType byteSize filename thumbnail
    failureReason variants { name url width height } createdAt"""
REQUEST = f"""mutation($kind: MediaKind!, $type: String!, $size: Int!, $name: String!) {{
  requestUpload(kind: $kind, contentType: $type, byteSize: $size, filename: $name) {{
    __typename
    ... on RequestUploadSuccess {{ media {{ {MEDIA_FIELDS} }}
        upload {{ url expiresAt fields {{ name value }} }} }}
    ... on ValidationError {{ field message }} }} }}"""
COMPLETE = f"""mutation($id: ID!) {{ completeUpload(mediaId: $id) {{
    __typename ... on CompleteUploadSuccess {{ media {{ {MEDIA_FIELDS} }} }}
    ... on Error {{ message }} ... on ValidationError {{ field }} }} }}"""
DELETE = """mutation($id: ID!) { deleteMedia(mediaId: $id) {
    __typename ... on DeleteMediaSuccess { deletedMediaId } ... on Error { message } } }"""
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on Media {{ {MEDIA_FIELDS} }} }} }}"""


def png(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


async def request_upload(
    gql: GraphQLClient,
    token: str,
    size: int,
    content_type: str = "image/png",
    kind: str = "IMAGE",
    name: str = "photo.png",
) -> dict[str, Any]:
    variables = {"kind": kind, "type": content_type, "size": size, "name": name}
    data = await gql.data(REQUEST, variables, token=token)
    result: dict[str, Any] = data["requestUpload"]
    return result


async def post_form(
    storage: Storage,
    http: httpx.AsyncClient,
    upload: dict[str, Any],
    body: bytes,
    content_type: str | None = None,
) -> httpx.Response:
    """POST the presigned form and the file: to our app (local media) or to S3 over HTTP."""
    fields = {field["name"]: field["value"] for field in upload["fields"]}
    if content_type is not None:  # a client lying about the type: the policy must refuse it
        fields["Content-Type"] = content_type
    files = {"file": ("upload", body, fields["Content-Type"])}
    if isinstance(storage, LocalStorage):
        return await http.post(upload["url"].replace("http://test", ""), data=fields, files=files)
    async with httpx.AsyncClient() as outside:  # straight to SeaweedFS, as a browser would
        return await outside.post(upload["url"], data=fields, files=files)


async def fetch(storage: Storage, http: httpx.AsyncClient, url: str) -> httpx.Response:
    if isinstance(storage, LocalStorage):
        return await http.get(url.replace("http://test", ""))
    async with httpx.AsyncClient() as outside:
        return await outside.get(url)


async def drain(services: Any) -> None:
    """Run every queued job (process_media, delete_media_objects) with a burst worker."""
    await services.queue.connect()
    worker = make_worker(services.queue, in_process=True, burst=True, storage=services.storage)
    await asyncio.wait_for(worker.start(), 60)


async def ready_media(
    services: Any, owner_id: int, *, kind: MediaKind = MediaKind.IMAGE, key: str | None = None
) -> Media:
    """A READY media row (for tests about attaching and seeing it), without any upload."""
    return await Media.create(
        owner_id=owner_id,
        kind=kind,
        status=MediaStatus.READY,
        key=key or f"media/test-{owner_id}-{id(object())}/original.png",
        content_type="image/png",
        byte_size=100,
        filename="ready.png",
        width=10,
        height=10,
    )
