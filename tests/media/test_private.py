"""PRIVATE media: their own key prefix, signed expiring URLs, their uploader and admins only.

On SeaweedFS the private object is refused to anonymous requests at its plain bucket URL and
at a CDN-style URL, served through the presigned URL, and refused again once it expires.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from models.accounts import Role
from models.media import Media, MediaVisibility
from storage.media import S3Options, S3Storage, make_s3_client
from tests.conftest import Backend
from tests.factories import MakeMerchant, SignIn
from tests.media.support import (
    COMPLETE,
    NODE,
    drain,
    fetch,
    png,
    post_form,
    ready_media,
    request_upload,
)
from tests.utils import GraphQLClient, gid

PRIVATE_REQUEST = """mutation($size: Int!, $visibility: MediaVisibility!) {
  requestUpload(kind: IMAGE, contentType: "image/png", byteSize: $size, filename: "id.png",
                visibility: $visibility) {
    __typename ... on RequestUploadSuccess { media { id visibility }
        upload { url expiresAt fields { name value } } } } }"""
PRODUCT_MEDIA = """query($id: ID!) { node(id: $id) { ... on Product {
    media { id visibility url thumbnail } } } }"""
CREATE_PRODUCT = """mutation($m: ID!, $media: [ID!]) {
  createProduct(merchantId: $m, title: "Draft kit", status: ACTIVE, mediaIds: $media,
                variants: [{sku: "D-1", title: "one", price: 100, stock: 1}]) {
    __typename ... on ProductSuccess { product { id } } ... on Error { message } } }"""


async def upload(
    gql: GraphQLClient,
    http: httpx.AsyncClient,
    services: Any,
    token: str,
    image: bytes,
    visibility: str = "PRIVATE",
) -> dict[str, Any]:
    """Request, post, complete and process an image; the media as its uploader sees it."""
    requested = (
        await gql.data(PRIVATE_REQUEST, {"size": len(image), "visibility": visibility}, token=token)
    )["requestUpload"]
    assert requested["media"]["visibility"] == visibility
    posted = await post_form(services.storage, http, requested["upload"], image)
    assert posted.status_code in (200, 204), posted.text
    completed = (await gql.data(COMPLETE, {"id": requested["media"]["id"]}, token=token))[
        "completeUpload"
    ]
    assert completed["__typename"] == "CompleteUploadSuccess", completed
    await drain(services)
    node: dict[str, Any] = (await gql.data(NODE, {"id": requested["media"]["id"]}, token=token))[
        "node"
    ]
    assert node["status"] == "READY"
    return node


def _pk(global_id: str) -> int:
    from strawberry import relay

    return int(relay.GlobalID.from_id(global_id).node_id)


@pytest.mark.smoke
async def test_private_media_live_under_their_own_prefix_behind_signed_urls(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()
    image = png(640, 480)

    seen = await upload(gql, http, services, user.token, image)

    row = await Media.get(id=_pk(seen["id"]))
    assert row.visibility is MediaVisibility.PRIVATE
    assert row.key.startswith("private/")
    assert all(v["key"].startswith("private/") for v in row.variants.values())
    for url in (seen["url"], seen["thumbnail"], *(v["url"] for v in seen["variants"])):
        assert "signature=" in url.lower(), url  # X-Amz-Signature on S3, ours locally
        assert (await fetch(services.storage, http, url)).status_code == 200
    assert (await fetch(services.storage, http, seen["url"])).content == image
    # the object's address without the signature is refused to anyone
    unsigned = seen["url"].split("?", 1)[0]
    assert (await fetch(services.storage, http, unsigned)).status_code == 403
    # and by id only its uploader and admins reach it, as every media
    assert (await gql.data(NODE, {"id": seen["id"]}))["node"] is None
    admin = await sign_in(role=Role.ADMIN)
    assert (await gql.data(NODE, {"id": seen["id"]}, token=admin.token))["node"]["url"]


async def test_public_media_stay_on_the_public_prefix(
    gql: GraphQLClient, http: httpx.AsyncClient, services: Any, sign_in: SignIn
) -> None:
    user = await sign_in()

    seen = await upload(gql, http, services, user.token, png(10, 10), "PUBLIC")

    assert (await Media.get(id=_pk(seen["id"]))).key.startswith("media/")


async def test_private_media_on_a_product_show_to_their_uploader_and_admins_only(
    gql: GraphQLClient,
    services: Any,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    public = await ready_media(services, seller.user.id, key="media/p-1/original.png")
    private = await ready_media(services, seller.user.id, key="private/p-2/original.png")
    await Media.filter(id=private.id).update(visibility=MediaVisibility.PRIVATE)
    ids = [gid("Media", public.id), gid("Media", private.id)]
    created = (
        await gql.data(
            CREATE_PRODUCT, {"m": gid("Merchant", merchant.id), "media": ids}, token=seller.token
        )
    )["createProduct"]
    assert created["__typename"] == "ProductSuccess", created
    product_id = created["product"]["id"]
    shopper, admin = await sign_in(), await sign_in(role=Role.ADMIN)

    def shown(data: dict[str, Any]) -> list[str]:
        return [m["visibility"] for m in data["node"]["media"]]

    assert shown(await gql.data(PRODUCT_MEDIA, {"id": product_id})) == ["PUBLIC"]
    assert shown(await gql.data(PRODUCT_MEDIA, {"id": product_id}, token=shopper.token)) == [
        "PUBLIC"
    ]
    assert shown(await gql.data(PRODUCT_MEDIA, {"id": product_id}, token=seller.token)) == [
        "PUBLIC",
        "PRIVATE",
    ]
    assert shown(await gql.data(PRODUCT_MEDIA, {"id": product_id}, token=admin.token)) == [
        "PUBLIC",
        "PRIVATE",
    ]


@pytest.fixture
async def cdn_and_tiny_expiry(running: Backend, services: Any) -> AsyncIterator[str]:
    """The app as deployed behind a CDN (S3_PUBLIC_URL is the bucket's own address, as a
    CDN's origin would be) with private URLs good for 2 seconds; the CDN base."""
    assert running.state is not None
    storage: S3Storage = services.storage
    cdn = f"{storage.options.endpoint_url}/{storage.options.bucket}"
    options: S3Options = replace(storage.options, public_url=cdn)
    behind_cdn = S3Storage(client=make_s3_client(options), options=options)
    settings = services.settings.replace(media_private_url_seconds=2, s3_public_url=cdn)
    running.state["services"] = replace(services, settings=settings, storage=behind_cdn)
    try:
        yield cdn
    finally:
        running.state["services"] = services
        await behind_cdn.close()


async def test_on_s3_a_private_object_is_reachable_only_by_its_presigned_url_until_it_expires(
    gql: GraphQLClient,
    http: httpx.AsyncClient,
    running: Backend,
    cdn_and_tiny_expiry: str,
    sign_in: SignIn,
) -> None:
    services = running.state["services"]  # type: ignore[index]
    user = await sign_in()
    image = png(300, 200)
    public = await upload(gql, http, services, user.token, png(20, 20), "PUBLIC")

    seen = await upload(gql, http, services, user.token, image)

    key = (await Media.get(id=_pk(seen["id"]))).key
    assert public["url"].startswith(cdn_and_tiny_expiry + "/media/")  # public media: the CDN
    query = parse_qs(urlsplit(seen["url"]).query)  # private: a presigned GET, not the CDN's
    assert seen["url"] != f"{cdn_and_tiny_expiry}/{key}"
    assert query["X-Amz-Expires"] == ["2"]
    assert query["X-Amz-Signature"]
    async with httpx.AsyncClient() as anonymous:
        plain = f"{services.storage.options.endpoint_url}/{services.storage.options.bucket}/{key}"
        assert (await anonymous.get(plain)).status_code == 403
        assert (await anonymous.get(f"{cdn_and_tiny_expiry}/{key}")).status_code == 403
        presigned = await anonymous.get(seen["url"])
        assert presigned.status_code == 200
        assert presigned.content == image
        await asyncio.sleep(3)
        assert (await anonymous.get(seen["url"])).status_code == 403  # expired


async def test_visibility_left_out_or_null_is_public(gql: GraphQLClient, sign_in: SignIn) -> None:
    user = await sign_in()
    null = """mutation { requestUpload(kind: IMAGE, contentType: "image/png", byteSize: 10,
        filename: "a.png", visibility: null) {
        ... on RequestUploadSuccess { media { visibility } } } }"""

    explicit = (await gql.data(null, token=user.token))["requestUpload"]
    omitted = await request_upload(gql, user.token, 10)

    assert explicit["media"]["visibility"] == "PUBLIC"
    assert omitted["media"]["visibility"] == "PUBLIC"
