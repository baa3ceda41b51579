"""Products and reviews take media ids: READY media of the caller (or the merchant's team)."""

from __future__ import annotations

import itertools
from typing import Any

from strawberry import relay

from models.accounts import Role
from models.catalog import MerchantStaff, Product
from models.media import Media, MediaStatus
from tests.factories import MakeMerchant, MakeProduct, MakeUser, SignIn
from tests.media.support import ready_media
from tests.reviews.support import delivered_line
from tests.utils import GraphQLClient, gid

_keys = itertools.count(1)

CREATE_PRODUCT = """mutation($m: ID!, $media: [ID!]) {
  createProduct(merchantId: $m, title: "Kettle", status: ACTIVE, mediaIds: $media,
                mediaUrls: ["https://cdn.example/old.jpg"],
                variants: [{sku: "K-1", title: "one", price: 100, stock: 1}]) {
    __typename ... on ProductSuccess { product { id mediaUrls media { id status thumbnail } } }
    ... on ValidationError { field message } } }"""
UPDATE_PRODUCT = """mutation($p: ID!, $media: [ID!]) {
  updateProduct(productId: $p, mediaIds: $media) {
    __typename ... on ProductSuccess { product { media { id } } }
    ... on ValidationError { field message } } }"""
CREATE_REVIEW = """mutation($p: ID!, $media: [ID!]) {
  createReview(productId: $p, rating: 5, mediaIds: $media) {
    __typename ... on CreateReviewSuccess { review { id photoUrls media { id } } }
    ... on ValidationError { field message } } }"""
UPDATE_REVIEW = """mutation($r: ID!, $media: [ID!]) { updateReview(reviewId: $r, mediaIds: $media) {
    __typename ... on UpdateReviewSuccess { review { media { id } } }
    ... on ValidationError { field message } } }"""


async def _ready(services: Any, owner_id: int, status: MediaStatus = MediaStatus.READY) -> str:
    media = await ready_media(services, owner_id, key=f"media/attached-{next(_keys)}/original.png")
    if status is not MediaStatus.READY:
        await Media.filter(id=media.id).update(status=status)
    return gid("Media", media.id)


async def _key(global_id: str) -> str:
    media = await Media.get(id=int(relay.GlobalID.from_id(global_id).node_id))
    return media.key


async def test_a_product_shows_its_media_in_order_and_keeps_media_urls(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    staff = await sign_in(role=Role.MERCHANT)
    await MerchantStaff.create(merchant_id=merchant.id, user_id=staff.user.id)
    own, staffs = await _ready(services, seller.user.id), await _ready(services, staff.user.id)

    created = (
        await gql.data(
            CREATE_PRODUCT,
            {"m": gid("Merchant", merchant.id), "media": [staffs, own]},
            token=seller.token,
        )
    )["createProduct"]

    product = created["product"]
    assert [m["id"] for m in product["media"]] == [staffs, own]
    assert product["mediaUrls"] == ["https://cdn.example/old.jpg"]  # deprecated, still there
    updated = (
        await gql.data(UPDATE_PRODUCT, {"p": product["id"], "media": [own]}, token=seller.token)
    )["updateProduct"]
    assert updated["product"]["media"] == [{"id": own}]


async def test_a_product_refuses_media_not_ready_or_from_outside_the_team(
    gql: GraphQLClient,
    services: Any,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_user: MakeUser,
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    stranger = await make_user()
    for media in (
        await _ready(services, stranger.id),
        await _ready(services, seller.user.id, MediaStatus.PROCESSING),
        gid("Media", 987_654),
    ):
        result = (
            await gql.data(
                CREATE_PRODUCT,
                {"m": gid("Merchant", merchant.id), "media": [media]},
                token=seller.token,
            )
        )["createProduct"]

        assert result["__typename"] == "ValidationError", result
        assert result["field"] == "mediaIds"
    assert await Product.all().count() == 0


async def test_a_review_takes_only_its_authors_ready_media(
    gql: GraphQLClient,
    services: Any,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_user: MakeUser,
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await delivered_line(buyer.user, product)
    someone_elses = await _ready(services, (await make_user()).id)
    own = await _ready(services, buyer.user.id)

    refused = (
        await gql.data(
            CREATE_REVIEW,
            {"p": gid("Product", product.id), "media": [someone_elses]},
            token=buyer.token,
        )
    )["createReview"]
    created = (
        await gql.data(
            CREATE_REVIEW, {"p": gid("Product", product.id), "media": [own]}, token=buyer.token
        )
    )["createReview"]

    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == "mediaIds"
    assert created["review"]["media"] == [{"id": own}]
    review = created["review"]["id"]
    cleared = (await gql.data(UPDATE_REVIEW, {"r": review, "media": []}, token=buyer.token))[
        "updateReview"
    ]
    assert cleared["review"]["media"] == []


async def test_deleted_media_drops_out_of_the_product(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_merchant: MakeMerchant
) -> None:
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    first, second = await _ready(services, seller.user.id), await _ready(services, seller.user.id)
    created = (
        await gql.data(
            CREATE_PRODUCT,
            {"m": gid("Merchant", merchant.id), "media": [first, second]},
            token=seller.token,
        )
    )["createProduct"]

    await Media.filter(key__in=[await _key(first)]).delete()

    query = "query($id: ID!) { node(id: $id) { ... on Product { media { id } } } }"
    seen = await gql.data(query, {"id": created["product"]["id"]})
    assert seen["node"]["media"] == [{"id": second}]


async def test_product_listing_media_sql_does_not_grow_with_page_size(
    gql: GraphQLClient, services: Any, make_merchant: MakeMerchant, make_product: MakeProduct
) -> None:
    merchant = await make_merchant()
    for _ in range(20):
        product = await make_product(merchant=merchant)
        media = [
            await ready_media(
                services, merchant.owner_id, key=f"media/listing-{next(_keys)}/original.png"
            )
            for _ in range(2)
        ]
        await Product.filter(id=product.id).update(media_ids=[m.id for m in media])
    query = """query($n: Int!) { products(first: $n) { edges { node {
        media { id url thumbnail width height variants { name } } } } } }"""

    small = await gql.post(query, {"n": 2})
    large = await gql.post(query, {"n": 20})

    assert not small.errors
    assert not large.errors
    assert all(len(e["node"]["media"]) == 2 for e in large.data["products"]["edges"])
    assert small.sql == large.sql == 2  # the page, then every product's media in one query
