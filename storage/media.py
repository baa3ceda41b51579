"""Media objects: any S3 API (s3://bucket) or a local directory (file://dir), one protocol.

Uploads go straight from the client to storage with a presigned POST whose policy fixes the
key, the content-type prefix and the size range, so the storage server itself refuses
anything else (a presigned PUT cannot limit size).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import urlsplit

import anyio
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class StorageUnavailable(Exception):
    """The media store could not be reached or refused a request it should accept."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class PresignedUpload:
    url: str
    fields: dict[str, str]
    expires_at: float


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    key: str
    content_type: str
    max_bytes: int
    min_bytes: int = 1
    expires_in: int = 900


class Storage(Protocol):
    async def ping(self) -> None: ...
    async def presign_upload(self, policy: UploadPolicy) -> PresignedUpload: ...
    async def head(self, key: str) -> ObjectInfo | None: ...
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def delete(self, key: str) -> None: ...
    def public_url(self, key: str) -> str: ...
    def routes(self) -> list[BaseRoute]: ...
    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class S3Options:
    bucket: str
    endpoint_url: str | None
    access_key_id: str | None
    secret_access_key: str | None
    region: str
    public_url: str | None


def make_s3_client(options: S3Options) -> S3Client:
    config = Config(
        signature_version="s3v4",
        # S3-compatible servers (SeaweedFS, R2, older MinIO) reject the SDK's default CRC headers.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=2,
        read_timeout=5,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"},
    )
    return cast(
        "S3Client",
        boto3.client(
            "s3",
            endpoint_url=options.endpoint_url,
            aws_access_key_id=options.access_key_id,
            aws_secret_access_key=options.secret_access_key,
            region_name=options.region,
            config=config,
        ),
    )


@dataclass(slots=True)
class S3Storage:
    client: S3Client
    options: S3Options

    async def ping(self) -> None:
        await self._call(self.client.head_bucket, Bucket=self.options.bucket)

    async def ensure_bucket(self) -> None:
        try:
            await self.ping()
        except StorageUnavailable:
            await self._call(self.client.create_bucket, Bucket=self.options.bucket)

    async def presign_upload(self, policy: UploadPolicy) -> PresignedUpload:
        conditions: list[Any] = [
            ["content-length-range", policy.min_bytes, policy.max_bytes],
            {"Content-Type": policy.content_type},
        ]
        post = await anyio.to_thread.run_sync(
            lambda: self.client.generate_presigned_post(
                Bucket=self.options.bucket,
                Key=policy.key,
                Fields={"Content-Type": policy.content_type},
                Conditions=conditions,
                ExpiresIn=policy.expires_in,
            )
        )
        return PresignedUpload(
            url=post["url"], fields=dict(post["fields"]), expires_at=time.time() + policy.expires_in
        )

    async def head(self, key: str) -> ObjectInfo | None:
        try:
            found = await anyio.to_thread.run_sync(
                lambda: self.client.head_object(Bucket=self.options.bucket, Key=key)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return ObjectInfo(key=key, size=found["ContentLength"], content_type=found["ContentType"])

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            self.client.put_object,
            Bucket=self.options.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )

    async def delete(self, key: str) -> None:
        await self._call(self.client.delete_object, Bucket=self.options.bucket, Key=key)

    def public_url(self, key: str) -> str:
        base = self.options.public_url or f"{self.options.endpoint_url}/{self.options.bucket}"
        return f"{base.rstrip('/')}/{key}"

    def routes(self) -> list[BaseRoute]:
        return []

    async def close(self) -> None:
        await anyio.to_thread.run_sync(self.client.close)

    async def _call(self, method: Any, **kwargs: Any) -> Any:
        # boto3 is blocking: every network call runs in a worker thread.
        try:
            return await anyio.to_thread.run_sync(lambda: method(**kwargs))
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(str(exc)) from exc


@dataclass(slots=True)
class LocalStorage:
    """A directory plus upload/download routes served by the app, signed with SECRET_KEY.

    It mirrors S3's presigned POST: the policy (key, content type, size range, expiry) is
    signed, and the upload route refuses anything outside it.
    """

    root: Path
    secret_key: str
    public_base_url: str
    max_upload_bytes: int = 100 * 1024 * 1024
    _signing_key: bytes = field(init=False)

    def __post_init__(self) -> None:
        self._signing_key = hashlib.sha256(
            b"agora-local-media:" + self.secret_key.encode()
        ).digest()

    async def ping(self) -> None:
        await anyio.to_thread.run_sync(self._check_writable)

    async def presign_upload(self, policy: UploadPolicy) -> PresignedUpload:
        expires_at = time.time() + policy.expires_in
        document = {
            "key": policy.key,
            "content_type": policy.content_type,
            "min_bytes": policy.min_bytes,
            "max_bytes": policy.max_bytes,
            "expires_at": int(expires_at),
        }
        encoded = base64.urlsafe_b64encode(json.dumps(document).encode()).decode()
        return PresignedUpload(
            url=f"{self.public_base_url.rstrip('/')}/media-upload",
            fields={
                "key": policy.key,
                "Content-Type": policy.content_type,
                "policy": encoded,
                "signature": self._sign(encoded),
            },
            expires_at=expires_at,
        )

    async def head(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        meta = path.with_name(path.name + ".content-type")
        if not await anyio.Path(path).is_file():
            return None
        size = (await anyio.Path(path).stat()).st_size
        content_type = await anyio.Path(meta).read_text() if await anyio.Path(meta).exists() else ""
        return ObjectInfo(key=key, size=size, content_type=content_type)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await anyio.to_thread.run_sync(self._write, key, data, content_type)

    async def delete(self, key: str) -> None:
        path = self._path(key)
        for target in (path, path.with_name(path.name + ".content-type")):
            await anyio.Path(target).unlink(missing_ok=True)

    def public_url(self, key: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/media/{key}"

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/media-upload", self._upload, methods=["POST"]),
            Route("/media/{key:path}", self._download, methods=["GET", "HEAD"]),
        ]

    async def close(self) -> None:
        return None

    def _sign(self, encoded_policy: str) -> str:
        return hmac.new(self._signing_key, encoded_policy.encode(), hashlib.sha256).hexdigest()

    def _path(self, key: str) -> Path:
        relative = PurePosixPath(key)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"invalid object key {key!r}")
        return self.root.joinpath(*relative.parts)

    def _check_writable(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"media directory {self.root} is not writable")

    def _write(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".partial")
        temporary.write_bytes(data)
        path.with_name(path.name + ".content-type").write_text(content_type)
        temporary.replace(path)

    async def _upload(self, request: Request) -> Response:
        declared = int(request.headers.get("content-length") or 0)
        if declared > self.max_upload_bytes:  # refuse before reading the body
            return _upload_error(400, "EntityTooLarge", "The request is larger than any upload.")
        async with request.form(max_files=1, max_fields=8, max_part_size=64 * 1024) as form:
            encoded = str(form.get("policy", ""))
            if not hmac.compare_digest(self._sign(encoded), str(form.get("signature", ""))):
                return _upload_error(
                    403, "SignatureDoesNotMatch", "The policy signature is invalid."
                )
            policy = json.loads(base64.urlsafe_b64decode(encoded))
            if policy["expires_at"] < time.time():
                return _upload_error(403, "AccessDenied", "The upload policy has expired.")
            if (
                form.get("key") != policy["key"]
                or form.get("Content-Type") != policy["content_type"]
            ):
                return _upload_error(403, "AccessDenied", "The form does not match the policy.")
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                return _upload_error(400, "InvalidArgument", "The form has no file.")
            data = await upload.read(policy["max_bytes"] + 1)
        if len(data) > policy["max_bytes"]:
            return _upload_error(
                400, "EntityTooLarge", "The file is larger than the policy allows."
            )
        if len(data) < policy["min_bytes"]:
            return _upload_error(
                400, "EntityTooSmall", "The file is smaller than the policy allows."
            )
        await self.put(policy["key"], data, policy["content_type"])
        return Response(status_code=204)

    async def _download(self, request: Request) -> Response:
        try:
            info = await self.head(request.path_params["key"])
        except ValueError:
            info = None
        if info is None:
            return _upload_error(404, "NoSuchKey", "The object does not exist.")
        return FileResponse(
            self._path(info.key),
            # The type the upload was checked for; never one guessed from the name, and with
            # nosniff never one a browser guesses from the bytes (HTML sent as an image).
            media_type=info.content_type or "application/octet-stream",
            headers={"X-Content-Type-Options": "nosniff"},
        )


def _upload_error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"code": code, "message": message}, status_code=status)


def open_storage(
    media_url: str, *, s3: S3Options | None, secret_key: str, public_url: str
) -> Storage:
    parts = urlsplit(media_url)
    if parts.scheme == "s3":
        if s3 is None:
            raise ValueError("s3:// media needs S3 options")
        return S3Storage(client=make_s3_client(s3), options=s3)
    root = Path(media_url[len("file://") :])
    return LocalStorage(root=root, secret_key=secret_key, public_base_url=public_url)
