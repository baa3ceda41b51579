"""Writing reviews: who may (eligibility), what is accepted, editing within 30 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.orders import LineStatus
from models.reviews import Review
from tests.factories import MakeApp, MakeAppToken, MakeProduct, SignIn
from tests.reviews.support import UPDATE, MakeLine, create, expected, summary
from tests.utils import GraphQLClient, gid

# ---- eligibility -------------------------------------------------------------------------------


@pytest.mark.smoke
async def test_a_buyer_of_a_delivered_line_reviews_once(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    line = await make_delivered_line(buyer.user, product)

    first = await create(
        gql, buyer.token, product, 4, title="  Great   kettle \n", body="  Boils fast.\n\nQuiet. "
    )
    again = await create(gql, buyer.token, product, 1)

    assert first["__typename"] == "CreateReviewSuccess"
    review = first["review"]
    assert review["rating"] == 4
    assert review["title"] == "Great kettle"
    assert review["body"] == "Boils fast.\n\nQuiet."
    assert review["verifiedPurchase"] is True
    assert review["status"] == "PUBLISHED"  # the author sees it
    assert review["author"] == {"handle": buyer.user.handle}
    assert review["helpfulCount"] == 0
    assert review["merchantReply"] is None
    assert review["editedAt"] is None
    assert again == {
        "__typename": "ConflictError",
        "field": "productId",
        "message": "You have already reviewed this product.",
    }
    stored = await Review.get(product_id=product.id)
    assert stored.order_line_id == line.id
    assert await summary(gql, product) == expected(4)


async def test_not_bought_is_a_typed_error(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    stranger = await sign_in()
    product = await make_product()
    other_product = await make_product()
    await make_delivered_line(stranger.user, other_product)  # bought something else

    payload = await create(gql, stranger.token, product, 5)

    assert payload == {
        "__typename": "ReviewNotAllowedError",
        "reason": "NOT_PURCHASED",
        "message": "Only buyers of this product can review it.",
    }
    assert await Review.all().count() == 0
    assert await summary(gql, product) == expected()


@pytest.mark.parametrize("status", [LineStatus.UNFULFILLED, LineStatus.SHIPPED])
async def test_not_delivered_is_a_typed_error(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    status: LineStatus,
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product, status=status)

    payload = await create(gql, buyer.token, product, 5)

    assert payload == {
        "__typename": "ReviewNotAllowedError",
        "reason": "NOT_DELIVERED",
        "message": "You can review this product once it is delivered.",
    }
    assert await summary(gql, product) == expected()


async def test_someone_elses_delivery_does_not_count(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    friend = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)

    payload = await create(gql, friend.token, product, 5)

    assert payload["__typename"] == "ReviewNotAllowedError"
    assert payload["reason"] == "NOT_PURCHASED"


async def test_a_delivered_line_among_undelivered_ones_is_enough(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    delivered = await make_delivered_line(buyer.user, product)
    await make_delivered_line(buyer.user, product, status=LineStatus.SHIPPED)

    payload = await create(gql, buyer.token, product, 3)

    assert payload["__typename"] == "CreateReviewSuccess"
    assert (await Review.get(product_id=product.id)).order_line_id == delivered.id


async def test_unknown_product_is_not_found(gql: GraphQLClient, sign_in: SignIn) -> None:
    buyer = await sign_in()

    data = await gql.data(
        "mutation($p: ID!) { createReview(productId: $p, rating: 5) { __typename "
        "... on NotFoundError { resource } ... on ValidationError { field } } }",
        {"p": gid("Product", 999_999)},
        token=buyer.token,
    )
    wrong_type = await gql.data(
        "mutation($p: ID!) { createReview(productId: $p, rating: 5) { __typename "
        "... on ValidationError { field message } } }",
        {"p": gid("User", buyer.user.id)},
        token=buyer.token,
    )

    assert data["createReview"] == {"__typename": "NotFoundError", "resource": "Product"}
    assert wrong_type["createReview"] == {
        "__typename": "ValidationError",
        "field": "productId",
        "message": "`productId` must be the id of a Product.",
    }


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"rating": 0}, "rating", "A rating is a whole number from 1 to 5."),
        ({"rating": 6}, "rating", "A rating is a whole number from 1 to 5."),
        ({"title": "x" * 121}, "title", "A title is at most 120 characters."),
        ({"body": "x" * 5001}, "body", "At most 5000 characters."),
        (
            {"photos": [f"https://cdn.example/{n}.jpg" for n in range(7)]},
            "photoUrls",
            "At most 6 photos.",
        ),
        (
            {"photos": ["http://cdn.example/a.jpg"]},
            "photoUrls",
            "Photos are https URLs of at most 500 characters.",
        ),
        (
            {"photos": ["javascript:alert(1)"]},
            "photoUrls",
            "Photos are https URLs of at most 500 characters.",
        ),
    ],
)
async def test_bad_input_is_rejected_before_anything_is_written(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    variables: dict[str, object],
    field: str,
    message: str,
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)
    rating = variables.pop("rating", 5)
    assert isinstance(rating, int)

    payload = await create(gql, buyer.token, product, rating, **variables)

    assert payload == {"__typename": "ValidationError", "field": field, "message": message}
    assert await Review.all().count() == 0
    assert await summary(gql, product) == expected()


async def test_text_is_plain_text_and_limits_hold_at_the_edge(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)
    body = "<script>alert('x')</script> & <b>bold</b>" + "y" * (5000 - 42)
    photos = [f"https://cdn.example/{n}.jpg" for n in range(6)]

    payload = await create(
        gql, buyer.token, product, 5, title="t" * 120, body=body, photos=[*photos, photos[0]]
    )

    review = payload["review"]
    assert review["body"] == body  # stored and returned as sent: clients render it as text
    assert len(review["title"]) == 120
    assert review["photoUrls"] == photos  # duplicates dropped, order kept
    assert (await Review.get(product_id=product.id)).has_media is True


# ---- editing ----------------------------------------------------------------------------------


@pytest.mark.smoke
async def test_edits_are_allowed_for_30_days(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)
    review_id = (await create(gql, buyer.token, product, 2))["review"]["id"]
    stored = await Review.get(product_id=product.id)

    await Review.filter(id=stored.id).update(created_at=datetime.now(UTC) - timedelta(days=29))
    inside = await gql.data(
        UPDATE,
        {"id": review_id, "rating": 3, "title": "Update", "photos": ["https://cdn.example/a.png"]},
        token=buyer.token,
    )
    await Review.filter(id=stored.id).update(created_at=datetime.now(UTC) - timedelta(days=31))
    outside = await gql.data(UPDATE, {"id": review_id, "rating": 5}, token=buyer.token)

    assert inside["updateReview"]["review"]["rating"] == 3
    assert inside["updateReview"]["review"]["title"] == "Update"
    assert inside["updateReview"]["review"]["photoUrls"] == ["https://cdn.example/a.png"]
    assert outside["updateReview"] == {
        "__typename": "PermissionDeniedError",
        "message": "Reviews can be edited for 30 days after posting.",
    }
    assert (await Review.get(id=stored.id)).rating == 3
    assert await summary(gql, product) == expected(3)


async def test_invalid_edit_changes_nothing(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)
    review_id = (await create(gql, buyer.token, product, 2, title="Keep"))["review"]["id"]

    data = await gql.data(
        UPDATE, {"id": review_id, "rating": 4, "title": "x" * 121}, token=buyer.token
    )

    assert data["updateReview"]["__typename"] == "ValidationError"
    stored = await Review.get(product_id=product.id)
    assert (stored.rating, stored.title, stored.edited_at) == (2, "Keep", None)
    assert await summary(gql, product) == expected(2)


async def test_an_app_with_write_content_writes_reviews(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    buyer = await sign_in()
    product = await make_product()
    await make_delivered_line(buyer.user, product)
    app = await make_app(buyer.user, scopes=["write:content"])
    token = await make_app_token(app)

    payload = await create(gql, token, product, 4, title="Via app")

    assert payload["__typename"] == "CreateReviewSuccess"
    assert payload["review"]["author"] == {"handle": buyer.user.handle}
    assert payload["review"]["status"] is None  # private view needs read:content
