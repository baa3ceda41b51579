"""requestUpload's input checks, the form it returns, and where media URLs point."""

from __future__ import annotations

import pytest

from models.media import Media, MediaKind, MediaStatus
from resolvers.media import MAX_PENDING_UPLOADS
from storage.media import S3Options, S3Storage, make_s3_client
from tests.factories import SignIn
from tests.media.support import request_upload
from tests.utils import GraphQLClient

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("kind", "content_type", "size", "name", "field"),
    [
        ("IMAGE", "image/svg+xml", 100, "a.svg", "contentType"),  # scripts in an image
        ("IMAGE", "video/mp4", 100, "a.mp4", "contentType"),  # a type of the other kind
        ("VIDEO", "image/png", 100, "a.png", "contentType"),
        ("IMAGE", "image/png", 10 * MIB + 1, "a.png", "byteSize"),  # MEDIA_IMAGE_MAX_BYTES
        ("IMAGE", "image/png", 0, "a.png", "byteSize"),
        ("VIDEO", "video/mp4", 200 * MIB + 1, "a.mp4", "byteSize"),
        ("IMAGE", "image/png", 100, "", "filename"),
        ("IMAGE", "image/png", 100, "x" * 201, "filename"),
    ],
)
async def test_bad_input_is_a_validation_error_and_creates_nothing(
    gql: GraphQLClient,
    sign_in: SignIn,
    kind: str,
    content_type: str,
    size: int,
    name: str,
    field: str,
) -> None:
    user = await sign_in()

    result = await request_upload(gql, user.token, size, content_type, kind, name)

    assert result["__typename"] == "ValidationError", result
    assert result["field"] == field
    assert await Media.all().count() == 0


async def test_the_form_fixes_key_type_and_size_and_expires_in_15_minutes(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    user = await sign_in()

    result = await request_upload(gql, user.token, 5000, "image/PNG", name="../../etc/a.png")

    media = await Media.get()
    fields = {f["name"]: f["value"] for f in result["upload"]["fields"]}
    assert fields["key"] == media.key
    assert media.key.startswith("uploads/")  # a staging key: completion copies it to media/
    assert media.key.endswith("/original.png")
    assert fields["Content-Type"] == "image/png"
    assert (media.filename, media.byte_size) == ("a.png", 5000)
    assert result["media"]["status"] == "PENDING"
    assert result["media"]["filename"] == "a.png"


def test_s3_urls_use_the_cdn_when_set_and_presign_otherwise() -> None:
    def s3(public_url: str | None) -> S3Storage:
        options = S3Options(
            bucket="b",
            endpoint_url="http://127.0.0.1:8433",
            access_key_id="k",
            secret_access_key="s",
            region="us-east-1",
            public_url=public_url,
        )
        return S3Storage(client=make_s3_client(options), options=options)

    cdn, bare = s3("https://cdn.example/media/"), s3(None)
    key = "media/x/thumbnail.webp"

    assert cdn.download_url(key) == "https://cdn.example/media/media/x/thumbnail.webp"
    presigned = bare.download_url(key)  # the bucket need not be public
    assert presigned.startswith("http://127.0.0.1:8433/b/media/x/thumbnail.webp?")
    assert "X-Amz-Signature=" in presigned
    cdn.client.close()
    bare.client.close()


async def test_uploads_waiting_for_completion_are_capped_per_user(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    user, other = await sign_in(), await sign_in()
    await Media.bulk_create(
        [
            Media(
                owner_id=user.user.id,
                kind=MediaKind.IMAGE,
                status=MediaStatus.PENDING,
                key=f"media/cap-{n}/original.png",
                content_type="image/png",
                byte_size=100,
            )
            for n in range(MAX_PENDING_UPLOADS)
        ]
    )

    refused = await request_upload(gql, user.token, 100)
    allowed = await request_upload(gql, other.token, 100)

    assert refused["__typename"] == "ValidationError"
    assert refused["field"] is None
    assert allowed["__typename"] == "RequestUploadSuccess"


async def test_anonymous_callers_cannot_request_uploads(gql: GraphQLClient) -> None:
    reply = await gql.post(
        'mutation { requestUpload(kind: IMAGE, contentType: "image/png", byteSize: 1, '
        'filename: "a.png") { __typename } }'
    )

    assert reply.codes == ["UNAUTHENTICATED"]
