"""The authorization matrix: every media mutation x every kind of caller (tests/authz.py).

The owner is the buyer, who uploaded the media. A PENDING media is invisible to everyone but
its owner and admins (so others get NotFoundError); a READY one is public (PermissionDenied).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from models.media import Media, MediaKind, MediaStatus
from resolvers.principal import Scope
from schema.media import MediaMutation
from tests.authz import NOT_FOUND, Matrix, World, row
from tests.media.support import png
from tests.utils import gid

# The scene stores a file for the pending upload, which needs the app's storage; the matrix
# hands scenes only the World, so the running test's storage is kept here.
_STORAGE: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _storage(services: Any) -> Iterator[None]:
    _STORAGE["storage"] = services.storage
    yield
    _STORAGE.clear()


async def _media(w: World, status: MediaStatus) -> Media:
    return await Media.create(
        owner_id=w.buyer.user.id,
        kind=MediaKind.IMAGE,
        status=status,
        key=f"media/authz-{uuid.uuid4().hex}/original.png",
        content_type="image/png",
        byte_size=10_000,
        filename="a.png",
    )


async def _scene(w: World) -> None:
    pending = await _media(w, MediaStatus.PENDING)
    await _STORAGE["storage"].put(pending.key, png(8, 8), "image/png")  # as if posted
    w.scene.update(pending=pending, ready=await _media(w, MediaStatus.READY))


async def _snapshot(w: World) -> Any:
    # Only the owner's media: others may request uploads of their own (own_only).
    return sorted(
        await Media.filter(owner_id=w.buyer.user.id).values_list("id", "status", "byte_size")
    )


MATRIX = Matrix(
    domain=[MediaMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "requestUpload",
            """mutation { requestUpload(kind: IMAGE, contentType: "image/png", byteSize: 1000,
                filename: "x.png") { __typename } }""",
            allowed=["owner", "other_user", "other_merchant", "moderator", "admin"],
            success="RequestUploadSuccess",
            own_only=True,
            scope=Scope.WRITE_CONTENT,
        ),
        row(
            "completeUpload",
            "mutation($id: ID!) { completeUpload(mediaId: $id) { __typename } }",
            lambda w: {"id": gid("Media", w.scene["pending"].id)},
            allowed=["owner"],  # the uploader; an admin sees it, but does not complete it
            success="CompleteUploadSuccess",
            refusals={"other_user": NOT_FOUND, "other_merchant": NOT_FOUND, "moderator": NOT_FOUND},
            scope=Scope.WRITE_CONTENT,
        ),
        row(
            "deleteMedia",
            "mutation($id: ID!) { deleteMedia(mediaId: $id) { __typename } }",
            lambda w: {"id": gid("Media", w.scene["ready"].id)},
            allowed=["owner", "admin"],
            success="DeleteMediaSuccess",
            # by id a media is its uploader's: to anyone else it does not exist
            refusal=NOT_FOUND,
            scope=Scope.WRITE_CONTENT,
        ),
    ],
)

test_every_media_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
