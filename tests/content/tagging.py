"""Posts with media and product tags through the API, for the tag tests and the matrix."""

from __future__ import annotations

import itertools
from typing import Any

from models.media import Media, MediaKind, MediaStatus
from tests.utils import GraphQLClient, gid

_keys = itertools.count(1)

CREATE_WITH_MEDIA = """
mutation($title: String!, $cover: ID, $media: [ID!]) {
  createPost(title: $title, coverMediaId: $cover, mediaIds: $media) {
    __typename
    ... on CreatePostSuccess { post { id slug cover { id } media { id } } }
    ... on ValidationError { field message }
  }
}
"""
SET_TAGS = """
mutation($target: ID!, $media: ID!, $tags: [ProductTagInput!]!) {
  setMediaTags(targetId: $target, mediaId: $media, tags: $tags) {
    __typename
    ... on SetMediaTagsSuccess {
      tags { x y atSeconds position product { id } variant { id } media { id } }
      post { id } review { id }
    }
    ... on ValidationError { field message }
    ... on NotFoundError { resource }
    ... on PermissionDeniedError { message }
  }
}
"""


async def ready(owner_id: int, kind: MediaKind = MediaKind.IMAGE) -> str:
    """The global id of a READY media of `owner_id` (no upload: attaching is under test)."""
    media = await Media.create(
        owner_id=owner_id,
        kind=kind,
        status=MediaStatus.READY,
        key=f"media/tags-{next(_keys)}/original.{'png' if kind is MediaKind.IMAGE else 'mp4'}",
        content_type="image/png" if kind is MediaKind.IMAGE else "video/mp4",
        byte_size=100,
        filename="ready",
        width=10 if kind is MediaKind.IMAGE else None,
        height=10 if kind is MediaKind.IMAGE else None,
    )
    return gid("Media", media.id)


async def post_with_media(
    gql: GraphQLClient,
    token: str,
    cover: str | None,
    media: list[str],
    title: str = "Shoppable",
) -> dict[str, Any]:
    data = await gql.data(
        CREATE_WITH_MEDIA, {"title": title, "cover": cover, "media": media}, token=token
    )
    result: dict[str, Any] = data["createPost"]
    assert result["__typename"] == "CreatePostSuccess", result
    post: dict[str, Any] = result["post"]
    return post


async def set_tags(
    gql: GraphQLClient, token: str | None, target: str, media: str, tags: list[dict[str, Any]]
) -> dict[str, Any]:
    data = await gql.data(SET_TAGS, {"target": target, "media": media, "tags": tags}, token=token)
    result: dict[str, Any] = data["setMediaTags"]
    return result


def point(
    product: str, x: float = 0.5, y: float = 0.5, variant: str | None = None
) -> dict[str, Any]:
    return {"productId": product, "variantId": variant, "x": x, "y": y}
