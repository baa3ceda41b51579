"""Product.ratingSummary stays exact after every change, also under concurrent writes."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role
from tests.factories import MakeProduct, SignIn
from tests.reviews.support import (
    DELETE,
    MODERATE,
    UPDATE,
    MakeLine,
    create,
    expected,
    recounted,
    summary,
)
from tests.utils import GraphQLClient

# ---- the rating summary after every change ----------------------------------------------------


@pytest.mark.smoke
async def test_summary_is_exact_after_create_edit_hide_unhide_and_delete(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
) -> None:
    product = await make_product()
    moderator = await sign_in(role=Role.MODERATOR)
    buyers = [await sign_in() for _ in range(3)]
    for buyer in buyers:
        await make_delivered_line(buyer.user, product)
    ids = []

    for buyer, rating in zip(buyers, (5, 4, 2), strict=True):
        ids.append((await create(gql, buyer.token, product, rating))["review"]["id"])
    assert await summary(gql, product) == expected(5, 4, 2)

    edited = await gql.data(UPDATE, {"id": ids[2], "rating": 5}, token=buyers[2].token)
    assert edited["updateReview"]["review"]["rating"] == 5
    assert edited["updateReview"]["review"]["editedAt"] is not None
    assert await summary(gql, product) == expected(5, 4, 5)

    text_only = await gql.data(UPDATE, {"id": ids[1], "body": "Still good."}, token=buyers[1].token)
    assert text_only["updateReview"]["review"]["rating"] == 4
    assert await summary(gql, product) == expected(5, 4, 5)

    hidden = await gql.data(MODERATE, {"id": ids[0], "status": "HIDDEN"}, token=moderator.token)
    assert hidden["moderateReview"] == {
        "__typename": "ModerateReviewSuccess",
        "review": {"status": "HIDDEN"},
    }
    assert await summary(gql, product) == expected(4, 5)

    hidden_again = await gql.data(
        MODERATE, {"id": ids[0], "status": "HIDDEN"}, token=moderator.token
    )
    assert hidden_again["moderateReview"]["__typename"] == "ModerateReviewSuccess"
    assert await summary(gql, product) == expected(4, 5)  # no double count

    # The author may still edit a hidden review; it stays out of the summary until published.
    await gql.data(UPDATE, {"id": ids[0], "rating": 1}, token=buyers[0].token)
    assert await summary(gql, product) == expected(4, 5)

    await gql.data(MODERATE, {"id": ids[0], "status": "PUBLISHED"}, token=moderator.token)
    assert await summary(gql, product) == expected(1, 4, 5)

    deleted = await gql.data(DELETE, {"id": ids[1]}, token=buyers[1].token)
    assert deleted["deleteReview"] == {
        "__typename": "DeleteReviewSuccess",
        "deletedReviewId": ids[1],
        "product": {"ratingSummary": {"count": 2}},
    }
    assert await summary(gql, product) == expected(1, 5)

    await gql.data(MODERATE, {"id": ids[2], "status": "HIDDEN"}, token=moderator.token)
    await gql.data(DELETE, {"id": ids[2]}, token=moderator.token)  # a hidden one: no change
    assert await summary(gql, product) == expected(1)
    assert await summary(gql, product) == await recounted(product)


async def test_concurrent_reviews_by_different_buyers_are_all_counted(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    buyers = [await sign_in() for _ in range(8)]
    for buyer in buyers:
        await make_delivered_line(buyer.user, product)
    ratings = [5, 4, 4, 3, 5, 1, 2, 5]

    payloads = await asyncio.gather(
        *(create(gql, b.token, product, r) for b, r in zip(buyers, ratings, strict=True))
    )

    assert {p["__typename"] for p in payloads} == {"CreateReviewSuccess"}
    assert await summary(gql, product) == expected(*ratings)
    assert await summary(gql, product) == await recounted(product)


async def test_concurrent_edits_and_moderation_keep_the_summary_exact(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    moderator = await sign_in(role=Role.MODERATOR)
    buyers = [await sign_in() for _ in range(4)]
    ids = []
    for buyer in buyers:
        await make_delivered_line(buyer.user, product)
        ids.append((await create(gql, buyer.token, product, 3))["review"]["id"])

    await asyncio.gather(
        gql.data(UPDATE, {"id": ids[0], "rating": 5}, token=buyers[0].token),
        gql.data(MODERATE, {"id": ids[0], "status": "HIDDEN"}, token=moderator.token),
        gql.data(UPDATE, {"id": ids[1], "rating": 1}, token=buyers[1].token),
        gql.data(DELETE, {"id": ids[2]}, token=buyers[2].token),
        gql.data(DELETE, {"id": ids[2]}, token=moderator.token),
        gql.data(MODERATE, {"id": ids[3], "status": "HIDDEN"}, token=moderator.token),
        gql.data(MODERATE, {"id": ids[3], "status": "HIDDEN"}, token=moderator.token),
    )

    assert await summary(gql, product) == await recounted(product)
    assert await summary(gql, product) == expected(1)


async def test_one_buyer_racing_themself_gets_one_review(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)

    payloads = await asyncio.gather(*(create(gql, buyer.token, product, 5) for _ in range(4)))

    kinds = sorted(p["__typename"] for p in payloads)
    assert kinds == ["ConflictError"] * 3 + ["CreateReviewSuccess"]
    assert await summary(gql, product) == expected(5)
