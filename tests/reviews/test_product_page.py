"""Product.reviews: sorts, filters, keyset pages; and a product page whose SQL ignores page size."""

from __future__ import annotations

from typing import Any

import pytest

from models.accounts import Role
from models.catalog import Product
from models.reviews import Review
from tests.factories import MakeProduct, SignedInUser, SignIn
from tests.reviews.support import VOTE, MakeLine, create
from tests.utils import GraphQLClient, gid

REVIEWS = """
query($slug: String!, $sort: ReviewSort, $media: Boolean, $rating: Int,
      $first: Int, $after: String, $last: Int, $before: String) {
  product(slug: $slug) {
    reviews(sort: $sort, withMedia: $media, rating: $rating,
            first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { title } }
    }
  }
}
"""


async def _reviews(
    gql: GraphQLClient, product: Product, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    data = await gql.data(REVIEWS, {"slug": product.slug, **variables}, token=token)
    return data["product"]["reviews"]  # type: ignore[no-any-return]


def _titles(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in page["edges"]]


async def _reviewed(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_delivered_line: MakeLine,
    product: Product,
    specs: list[tuple[str, int, int, bool]],
) -> list[SignedInUser]:
    """One buyer per (title, rating, helpful votes, with photo), reviewed in this order."""
    buyers = []
    for title, rating, helpful, photo in specs:
        buyer = await sign_in()
        await make_delivered_line(buyer.user, product)
        photos = ["https://cdn.example/p.jpg"] if photo else []
        payload = await create(gql, buyer.token, product, rating, title=title, photos=photos)
        assert payload["__typename"] == "CreateReviewSuccess"
        await Review.filter(product_id=product.id, author_id=buyer.user.id).update(
            helpful_count=helpful
        )
        buyers.append(buyer)
    return buyers


SPECS = [
    ("a", 5, 1, False),
    ("b", 3, 7, True),
    ("c", 4, 7, False),
    ("d", 1, 0, True),
    ("e", 5, 3, False),
    ("f", 2, 7, False),
]


@pytest.mark.smoke
async def test_sorts_and_filters(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    await _reviewed(gql, sign_in, make_delivered_line, product, SPECS)

    helpful = await _reviews(gql, product, sort="HELPFUL")
    default = await _reviews(gql, product)
    newest = await _reviews(gql, product, sort="NEWEST")
    by_rating = await _reviews(gql, product, sort="RATING")
    with_media = await _reviews(gql, product, media=True)
    without_media = await _reviews(gql, product, media=False, sort="NEWEST")
    fives = await _reviews(gql, product, rating=5, sort="NEWEST")

    assert _titles(helpful) == ["f", "c", "b", "e", "a", "d"]  # ties: newest first
    assert _titles(default) == _titles(helpful)
    assert _titles(newest) == ["f", "e", "d", "c", "b", "a"]
    assert _titles(by_rating) == ["e", "a", "c", "b", "f", "d"]
    assert (_titles(with_media), with_media["totalCount"]) == (["b", "d"], 2)
    assert _titles(without_media) == ["f", "e", "c", "a"]
    assert (_titles(fives), fives["totalCount"]) == (["e", "a"], 2)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("HELPFUL", ["f", "c", "b", "e", "a", "d"]),
        ("NEWEST", ["f", "e", "d", "c", "b", "a"]),
        ("RATING", ["e", "a", "c", "b", "f", "d"]),
    ],
)
async def test_keyset_pages_forwards_and_backwards(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    sort: str,
    order: list[str],
) -> None:
    product = await make_product()
    await _reviewed(gql, sign_in, make_delivered_line, product, SPECS)

    pages = [await _reviews(gql, product, sort=sort, first=4)]
    pages.append(
        await _reviews(gql, product, sort=sort, first=4, after=pages[0]["pageInfo"]["endCursor"])
    )
    back = await _reviews(
        gql, product, sort=sort, last=3, before=pages[1]["pageInfo"]["startCursor"]
    )

    assert _titles(pages[0]) + _titles(pages[1]) == order
    assert pages[0]["pageInfo"]["hasNextPage"] is True
    assert pages[1]["pageInfo"]["hasNextPage"] is False
    assert pages[1]["pageInfo"]["hasPreviousPage"] is True
    assert _titles(back) == order[1:4]
    assert back["pageInfo"]["hasPreviousPage"] is True


async def test_bad_review_list_arguments_are_rejected(
    gql: GraphQLClient, make_product: MakeProduct
) -> None:
    product = await make_product()

    bad_rating = await gql.post(REVIEWS, {"slug": product.slug, "rating": 6})
    bad_cursor = await gql.post(REVIEWS, {"slug": product.slug, "after": "bm9wZQ"})
    too_many = await gql.post(REVIEWS, {"slug": product.slug, "first": 101})

    assert bad_rating.codes == ["BAD_USER_INPUT"]
    assert bad_rating.errors[0]["message"] == "`rating` must be from 1 to 5."
    assert bad_cursor.codes == ["BAD_USER_INPUT"]
    assert too_many.codes == ["BAD_USER_INPUT"]
    assert too_many.sql == 0


PAGE = """
query($slug: String!, $n: Int!) {
  product(slug: $slug) {
    title
    priceRange { min { amount currency } max { amount } }
    variants { sku title price { amount currency } inStock }
    merchant { name slug }
    ratingSummary { average count histogram { rating count } }
    reviews(first: $n, sort: HELPFUL) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id rating title body photoUrls verifiedPurchase helpfulCount merchantReply createdAt
        viewerHasVoted author { handle displayName }
      } }
    }
  }
}
"""


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
async def test_product_page_sql_does_not_grow_with_page_size(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    signed_in: bool,
) -> None:
    product = await make_product(variants=[(1000, 5), (1500, 0), (2000, 3)])
    specs = [(f"r{n:02}", n % 5 + 1, 0, n % 3 == 0) for n in range(50)]
    await _reviewed(gql, sign_in, make_delivered_line, product, specs)
    viewer = await sign_in(role=Role.SHOPPER)
    await gql.data(VOTE, {"id": gid("Review", (await Review.first()).id)}, token=viewer.token)  # type: ignore[union-attr]
    token = viewer.token if signed_in else None

    small = await gql.post(PAGE, {"slug": product.slug, "n": 2}, token=token)
    large = await gql.post(PAGE, {"slug": product.slug, "n": 50}, token=token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(small.data["product"]["reviews"]["edges"]) == 2
    assert len(large.data["product"]["reviews"]["edges"]) == 50
    assert large.data["product"]["ratingSummary"]["count"] == 50
    voted = [e["node"]["viewerHasVoted"] for e in large.data["product"]["reviews"]["edges"]]
    assert voted.count(True) == (1 if signed_in else 0)
    # product, variants, merchant, reviews page, their count, their authors; and for a
    # signed-in viewer the session lookup and their votes.
    assert small.sql == large.sql == (8 if signed_in else 6)
