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
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast
from urllib.parse import urlencode, urlsplit

import anyio
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from python_multipart.multipart import MultipartCallbacks


# How long a presigned download URL works (S3 without S3_PUBLIC_URL).
DOWNLOAD_EXPIRES_SECONDS = 6 * 3600
# Keys under these prefixes are never served without a signature: private objects, and the
# staging objects upload forms write (read by us only). A CDN in front of the bucket
# (S3_PUBLIC_URL) should serve `media/` alone.
PRIVATE_PREFIX = "private/"
STAGING_PREFIX = "uploads/"
SIGNED_ONLY_PREFIXES = (PRIVATE_PREFIX, STAGING_PREFIX)


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
    async def get(self, key: str) -> bytes | None: ...
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def copy(self, source: str, target: str) -> bool: ...
    async def delete(self, key: str) -> None: ...
    async def keys_before(self, prefix: str, before: datetime) -> list[str]: ...
    def download_url(self, key: str) -> str: ...
    def signed_url(self, key: str, expires_in: int) -> str: ...
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

    async def get(self, key: str) -> bytes | None:
        """The object's bytes, or None if there is none (the media worker reads originals)."""

        def read() -> bytes:
            found = self.client.get_object(Bucket=self.options.bucket, Key=key)
            body: bytes = found["Body"].read()
            return body

        try:
            return await anyio.to_thread.run_sync(read)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            self.client.put_object,
            Bucket=self.options.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )

    async def copy(self, source: str, target: str) -> bool:
        """Server-side, in one request: the bytes and content type of `source` under
        `target`; False if there is no `source`."""
        try:
            await anyio.to_thread.run_sync(
                lambda: self.client.copy_object(
                    Bucket=self.options.bucket,
                    Key=target,
                    CopySource={"Bucket": self.options.bucket, "Key": source},
                )
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return True

    async def delete(self, key: str) -> None:
        await self._call(self.client.delete_object, Bucket=self.options.bucket, Key=key)

    async def keys_before(self, prefix: str, before: datetime) -> list[str]:
        """Keys under `prefix` last written before `before` (the cleanup job's sweep)."""

        def listing() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.options.bucket, Prefix=prefix
            )
            return [
                item["Key"]
                for page in pages
                for item in page.get("Contents", [])
                if item["LastModified"] < before
            ]

        try:
            return await anyio.to_thread.run_sync(listing)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(str(exc)) from exc

    def download_url(self, key: str) -> str:
        """The CDN's URL (S3_PUBLIC_URL) when there is one, else a presigned GET.

        Without a CDN nothing says the bucket is public, and it need not be: a presigned URL
        works on a private bucket. Signing is local computation, no request, so it is cheap
        enough to do per field.
        """
        if self.options.public_url:
            return f"{self.options.public_url.rstrip('/')}/{key}"
        return self.signed_url(key, DOWNLOAD_EXPIRES_SECONDS)

    def signed_url(self, key: str, expires_in: int) -> str:
        """A presigned GET of the bucket itself, never the CDN: good for `expires_in` seconds."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.options.bucket, "Key": key},
            ExpiresIn=expires_in,
        )

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
    signed, and the upload route refuses anything outside it, reading no more of the body
    than the policy allows. Unlike S3 it serves objects from the app's own origin, so each
    is served with the type it was checked for and nosniff, and a policy is good for one
    upload.
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
            # Names the policy's used-marker (_claim): it is good for one upload.
            "id": secrets.token_hex(16),
            "key": policy.key,
            "content_type": policy.content_type,
            "min_bytes": policy.min_bytes,
            "max_bytes": policy.max_bytes,
            "expires_at": int(expires_at),
        }
        encoded = base64.urlsafe_b64encode(json.dumps(document).encode()).decode()
        signature = self._sign(encoded)
        # In the URL too, so the route checks it before reading the body (_receive_upload);
        # the form keeps the S3 fields, so the same client code posts to either backend.
        query = urlencode({"policy": encoded, "signature": signature})
        return PresignedUpload(
            url=f"{self.public_base_url.rstrip('/')}/media-upload?{query}",
            fields={
                "key": policy.key,
                "Content-Type": policy.content_type,
                "policy": encoded,
                "signature": signature,
            },
            expires_at=expires_at,
        )

    async def head(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        meta = _sidecar(path)
        if not await anyio.Path(path).is_file():
            return None
        size = (await anyio.Path(path).stat()).st_size
        content_type = await anyio.Path(meta).read_text() if await anyio.Path(meta).exists() else ""
        return ObjectInfo(key=key, size=size, content_type=content_type)

    async def get(self, key: str) -> bytes | None:
        path = anyio.Path(self._path(key))
        if not await path.is_file():
            return None
        return await path.read_bytes()

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await anyio.to_thread.run_sync(self._write, key, data, content_type)

    async def copy(self, source: str, target: str) -> bool:
        return await anyio.to_thread.run_sync(self._copy, source, target)

    async def delete(self, key: str) -> None:
        path = self._path(key)
        for target in (path, _sidecar(path)):
            await anyio.Path(target).unlink(missing_ok=True)

    async def keys_before(self, prefix: str, before: datetime) -> list[str]:
        return await anyio.to_thread.run_sync(self._keys_before, prefix, before.timestamp())

    def download_url(self, key: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/media/{key}"

    def signed_url(self, key: str, expires_in: int) -> str:
        """Our /media/ route with an expiry and a signature of both: the only way it serves a
        key under SIGNED_ONLY_PREFIXES."""
        expires = str(int(time.time()) + expires_in)
        query = urlencode({"expires": expires, "signature": self._sign_download(key, expires)})
        return f"{self.download_url(key)}?{query}"

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/media-upload", self._upload, methods=["POST"]),
            Route("/media/{key:path}", self._download, methods=["GET", "HEAD"]),
        ]

    async def close(self) -> None:
        return None

    def _sign(self, encoded_policy: str) -> str:
        return hmac.new(self._signing_key, encoded_policy.encode(), hashlib.sha256).hexdigest()

    def _sign_download(self, key: str, expires: str) -> str:
        # ":" is outside base64's alphabet, so no download signature is a policy's.
        message = f"get:{expires}:{key}".encode()
        return hmac.new(self._signing_key, message, hashlib.sha256).hexdigest()

    def _download_allowed(self, request: Request, key: str) -> bool:
        """Unsigned requests reach public keys only; a signed one must be unexpired and for
        this very key."""
        expires = request.query_params.get("expires", "")
        signature = request.query_params.get("signature", "")
        if not expires and not signature:
            return not key.startswith(SIGNED_ONLY_PREFIXES)
        if not expires.isdigit() or int(expires) < time.time():
            return False
        expected = self._sign_download(key, expires).encode()
        return hmac.compare_digest(expected, signature.encode())

    def _path(self, key: str) -> Path:
        relative = PurePosixPath(key)
        if (
            relative.is_absolute()
            or not relative.parts
            # "..", and UPLOADS_DIR's temporary files and markers, are never objects
            or any(part.startswith(".") for part in relative.parts)
            or relative.name.endswith(SIDECAR_SUFFIX)  # another object's content type
        ):
            raise ValueError(f"invalid object key {key!r}")
        return self.root.joinpath(*relative.parts)

    def _check_writable(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"media directory {self.root} is not writable")

    def _copy(self, source: str, target: str) -> bool:
        origin = self._path(source)
        meta = _sidecar(origin)
        spool = self._spool()
        try:
            content_type = meta.read_text() if meta.exists() else ""
            with origin.open("rb") as reading:
                shutil.copyfileobj(reading, spool.handle)
            spool.handle.close()
            self._move_into_place(spool.path, self._path(target), content_type)
        except FileNotFoundError:
            self._discard(spool, None)
            return False
        except BaseException:
            self._discard(spool, None)
            raise
        return True

    def _keys_before(self, prefix: str, before: float) -> list[str]:
        found = []
        for path in self.root.glob(f"{prefix.rstrip('/')}/**/*"):
            if not path.is_file() or path.name.endswith(SIDECAR_SUFFIX):
                continue
            if path.stat().st_mtime < before:
                found.append(path.relative_to(self.root).as_posix())
        return found

    def _write(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        spool = self._spool()
        try:
            spool.handle.write(data)
            spool.handle.close()
            self._move_into_place(spool.path, path, content_type)
        except BaseException:
            self._discard(spool, None)
            raise

    async def _upload(self, request: Request) -> Response:
        try:
            return await self._receive_upload(request)
        except _Refused as refusal:
            return refusal.response()
        except ClientDisconnect:
            # Nobody reads this answer; _receive_upload has already removed what it wrote.
            return _upload_error(400, "IncompleteBody", "The client went away mid-upload.")

    async def _receive_upload(self, request: Request) -> Response:
        """Check the policy, then stream the file to a temporary file and move it into place.

        presign_upload puts the policy in the URL as well as in the form, so a bad or expired
        one is refused before a byte of the body is read. A form-only policy (a client that
        dropped the query string) is checked when the file part begins, after the small
        bounded prefix the fields take. Either way nothing past the policy's size is read,
        whatever the framing, and nothing is left behind on a refusal.
        """
        policy = None
        if "policy" in request.query_params or "signature" in request.query_params:
            policy = self._verify(
                request.query_params.get("policy", ""), request.query_params.get("signature", "")
            )
        self._check_declared_length(request, policy)
        form = _UploadForm(_boundary(request), policy, self._verify)
        accepted: _Policy | None = None
        spool: _Spool | None = None
        stored = False
        try:
            async for chunk in request.stream():
                form.feed(chunk)
                if form.policy is not None and accepted is None:
                    self._check_declared_length(request, form.policy)
                    await anyio.to_thread.run_sync(self._claim, form.policy)
                    accepted = form.policy
                    spool = await anyio.to_thread.run_sync(self._spool)
                data = form.take_file_data()
                if data and spool is not None:
                    await anyio.to_thread.run_sync(spool.handle.write, data)
                if form.ended:  # what follows the closing boundary is no part of the form
                    break
            form.finish()
            if accepted is None or spool is None:  # finish() has refused a form without a file
                raise _Refused(400, "InvalidArgument", "The form has no file.")
            await anyio.to_thread.run_sync(self._store_spool, spool, accepted)
            stored = True
        finally:
            if not stored:
                # Shielded: a cancelled request must still remove its partial file, and give
                # its policy back, since nothing was stored under it.
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(self._discard, spool, accepted)
        return Response(status_code=204)

    def _verify(self, encoded: str, signature: str) -> _Policy:
        # Bytes, not str: compare_digest refuses non-ASCII strings, which a client can send.
        if not hmac.compare_digest(self._sign(encoded).encode(), signature.encode()):
            raise _Refused(403, "SignatureDoesNotMatch", "The policy signature is invalid.")
        try:
            document = json.loads(base64.urlsafe_b64decode(encoded))
            policy = _Policy(
                encoded=encoded,
                id=str(document["id"]),
                key=str(document["key"]),
                content_type=str(document["content_type"]),
                min_bytes=int(document["min_bytes"]),
                max_bytes=int(document["max_bytes"]),
                expires_at=int(document["expires_at"]),
            )
        except (KeyError, TypeError, ValueError):
            # Signed by us, so only a policy from before policies had an id (at most
            # expires_in old): without one it could not be held to a single use.
            raise _Refused(403, "AccessDenied", "The upload policy is no longer valid.") from None
        if policy.expires_at < time.time():
            raise _Refused(403, "AccessDenied", "The upload policy has expired.")
        if not policy.id.isalnum():  # it names the used-policy marker file
            raise _Refused(403, "AccessDenied", "The upload policy is no longer valid.")
        try:
            self._path(policy.key)
        except ValueError:
            raise _Refused(400, "InvalidArgument", "The policy's key is invalid.") from None
        return policy

    def _check_declared_length(self, request: Request, policy: _Policy | None) -> None:
        declared = request.headers.get("content-length")
        if declared is None:  # chunked: _UploadForm.feed counts the bytes instead
            return
        if not declared.isdigit():
            raise _Refused(400, "InvalidArgument", "The Content-Length header is invalid.")
        limit = policy.max_bytes if policy is not None else self.max_upload_bytes
        if int(declared) > limit + FORM_BYTES:
            raise _Refused(400, "EntityTooLarge", "The request is larger than the policy allows.")

    def _claim(self, policy: _Policy) -> None:
        """Record the policy as used, atomically: O_EXCL lets exactly one request create it.

        A marker file rather than Redis: the directory is the one thing every process serving
        this media shares already (with memory:// Redis each process has its own), so the
        guarantee holds wherever the files do, and it needs Redis neither up nor wired in.
        Claimed before the file is read, so one policy never has two uploads in flight.
        """
        used = self.root / UPLOADS_DIR / "used"
        hour = int(time.time()) // 3600
        # Markers sit in one directory per hour of expiry. A policy expired is refused before
        # its marker is looked at, so whole past hours can go; one hour of grace covers a
        # request that checked the expiry just before it passed.
        if used.is_dir():
            for bucket in used.iterdir():
                if not bucket.name.isdigit() or int(bucket.name) < hour - 1:
                    shutil.rmtree(bucket, ignore_errors=True)
        marker = self._marker(policy)
        marker.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise _Refused(
                403, "AccessDenied", "The upload policy has already been used."
            ) from None

    def _marker(self, policy: _Policy) -> Path:
        return self.root / UPLOADS_DIR / "used" / str(policy.expires_at // 3600) / policy.id

    def _spool(self) -> _Spool:
        # Inside the media directory, so the final move is a rename on the same file system;
        # UPLOADS_DIR is never served (_path refuses hidden names).
        directory = self.root / UPLOADS_DIR / "tmp"
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=directory, suffix=".partial")
        # What write_bytes gave objects before; mkstemp's 0600 would hide them from a web
        # server that serves the directory under its own user.
        os.fchmod(descriptor, 0o644)
        return _Spool(path=Path(name), handle=os.fdopen(descriptor, "wb"))

    def _store_spool(self, spool: _Spool, policy: _Policy) -> None:
        spool.handle.close()
        self._move_into_place(spool.path, self._path(policy.key), policy.content_type)

    def _move_into_place(self, temporary: Path, path: Path, content_type: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The content type first, itself by rename: the object never appears without it.
        typed = temporary.with_suffix(".type")
        typed.write_text(content_type)
        typed.replace(_sidecar(path))
        temporary.replace(path)

    def _discard(self, spool: _Spool | None, policy: _Policy | None) -> None:
        if spool is not None:
            spool.handle.close()
            spool.path.unlink(missing_ok=True)
        if policy is not None:
            self._marker(policy).unlink(missing_ok=True)

    async def _download(self, request: Request) -> Response:
        key = request.path_params["key"]
        if not self._download_allowed(request, key):
            return _upload_error(403, "AccessDenied", "The URL is unsigned, expired or invalid.")
        try:
            info = await self.head(key)
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


# The multipart bytes of an upload that are not the file: boundaries, part headers and the
# fields presign_upload hands out (the policy is ~300 characters). Read before the policy is
# checked when it comes in the form, and allowed on top of the policy's size.
FORM_BYTES = 16 * 1024
MAX_FIELD_BYTES = 4 * 1024
MAX_PARTS = 12
# Under the media root: temporary files and used-policy markers. Dot-named, so no key reaches it.
UPLOADS_DIR = ".uploads"
SIDECAR_SUFFIX = ".content-type"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


@dataclass(frozen=True, slots=True)
class _Policy:
    """A verified upload policy."""

    encoded: str
    id: str
    key: str
    content_type: str
    min_bytes: int
    max_bytes: int
    expires_at: int


@dataclass(slots=True)
class _Spool:
    path: Path
    handle: BinaryIO


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> Response:
        answer = _upload_error(self.status, self.code, self.message)
        # The rest of the body may be unread: closing the connection stops the server from
        # reading (and throwing away) what a client keeps sending.
        answer.headers["Connection"] = "close"
        return answer


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise _Refused(400, "InvalidArgument", "Uploads are multipart/form-data.")
    return options[b"boundary"]


class _UploadForm:
    """An upload's multipart body, parsed as it arrives, with every part of it bounded.

    Fields come first, each at most MAX_FIELD_BYTES; when the file part begins the form is
    checked against the policy (`policy` is set then), and from there the file's bytes are
    counted against the policy's maximum. As on S3, parts after the file are ignored.
    """

    def __init__(
        self, boundary: bytes, policy: _Policy | None, verify: Callable[[str, str], _Policy]
    ) -> None:
        self.policy: _Policy | None = None
        self.ended = False
        self.file_bytes = 0
        self._from_query = policy
        self._verify = verify
        self._received = 0
        self._fields: dict[str, str] = {}
        self._parts = 0
        self._state = "fields"  # then "file", then "after"
        self._name = ""
        self._value = bytearray()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._file_data: list[bytes] = []
        callbacks: MultipartCallbacks = {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        }
        self._parser = MultipartParser(boundary, callbacks, max_header_count=4)

    def feed(self, chunk: bytes) -> None:
        self._received += len(chunk)
        try:
            self._parser.write(chunk)
        except FormParserError:
            raise _Refused(
                400, "MalformedPOSTRequest", "The body is not well-formed multipart/form-data."
            ) from None
        # Fields and the file are bounded part by part in the callbacks; this bounds what is
        # read around them, so a chunk past the limit is the last one read.
        allowed = FORM_BYTES + (self.policy.max_bytes if self.policy is not None else 0)
        if self._received > allowed:
            raise _Refused(400, "EntityTooLarge", "The request is larger than the policy allows.")

    def take_file_data(self) -> bytes:
        data = b"".join(self._file_data)
        self._file_data.clear()
        return data

    def finish(self) -> None:
        if not self.ended:
            # python-multipart's finalize() does not check this: a truncated body would
            # otherwise be stored as if it were the whole file.
            raise _Refused(400, "IncompleteBody", "The body ended before the form did.")
        if self.policy is None:
            raise _Refused(400, "InvalidArgument", "The form has no file.")
        if self.file_bytes < self.policy.min_bytes:
            raise _Refused(400, "EntityTooSmall", "The file is smaller than the policy allows.")

    def _on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise _Refused(400, "InvalidArgument", "The form has too many fields.")
        self._name, self._disposition = "", b""
        self._value = bytearray()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise _Refused(400, "MalformedPOSTRequest", "A form part has no name.")
        self._name = options[b"name"].decode("utf-8", "replace")
        if self._state == "fields" and self._name == "file":
            self.policy = self._check_form()
            self._state = "file"

    def _check_form(self) -> _Policy:
        fields = self._fields
        if self._from_query is None:
            policy = self._verify(fields.get("policy", ""), fields.get("signature", ""))
        else:
            policy = self._from_query
            # Policy fields in the form as well must be the same policy, validly signed.
            if ("policy" in fields or "signature" in fields) and self._verify(
                fields.get("policy", ""), fields.get("signature", "")
            ).encoded != policy.encoded:
                raise _Refused(403, "AccessDenied", "The form does not match the policy.")
        if fields.get("key") != policy.key or fields.get("Content-Type") != policy.content_type:
            raise _Refused(403, "AccessDenied", "The form does not match the policy.")
        return policy

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._state == "file":
            assert self.policy is not None  # set when the file part began
            self.file_bytes += end - start
            if self.file_bytes > self.policy.max_bytes:
                raise _Refused(400, "EntityTooLarge", "The file is larger than the policy allows.")
            self._file_data.append(data[start:end])
        elif self._state == "fields":
            if len(self._value) + end - start > MAX_FIELD_BYTES:
                raise _Refused(400, "InvalidArgument", "A form field is too long.")
            self._value += data[start:end]

    def _on_part_end(self) -> None:
        if self._state == "file":
            self._state = "after"
        elif self._state == "fields":
            if self._name in self._fields:  # which one would the policy apply to?
                raise _Refused(400, "InvalidArgument", f"The form repeats {self._name!r}.")
            self._fields[self._name] = self._value.decode("utf-8", "replace")

    def _on_end(self) -> None:
        self.ended = True


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
