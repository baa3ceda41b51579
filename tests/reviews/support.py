"""GraphQL documents and helpers shared by the review tests."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from models.accounts import User
from models.catalog import Product, Variant
from models.orders import LineStatus, Order, OrderLine, OrderStatus
from models.reviews import Review, ReviewStatus
from tests.utils import GraphQLClient, gid

REVIEW_FIELDS = """
  id rating title body photoUrls verifiedPurchase helpfulCount merchantReply repliedAt
  createdAt editedAt status viewerHasVoted author { handle }
"""
VALIDATION = "... on ValidationError { field message }"
NOT_FOUND = "... on NotFoundError { resource message }"
CONFLICT = "... on ConflictError { field message }"
DENIED = "... on PermissionDeniedError { message }"
ERRORS = f"{VALIDATION} {NOT_FOUND} {DENIED}"

CREATE = f"""
mutation($product: ID!, $rating: Int!, $title: String! = "", $body: String! = "",
         $photos: [String!]) {{
  createReview(productId: $product, rating: $rating, title: $title, body: $body,
               photoUrls: $photos) {{
    __typename
    ... on CreateReviewSuccess {{ review {{ {REVIEW_FIELDS} }} }}
    ... on ReviewNotAllowedError {{ reason message }}
    {VALIDATION} {NOT_FOUND} {CONFLICT}
  }}
}}
"""
UPDATE = f"""
mutation($id: ID!, $rating: Int, $title: String, $body: String, $photos: [String!]) {{
  updateReview(reviewId: $id, rating: $rating, title: $title, body: $body, photoUrls: $photos) {{
    __typename
    ... on UpdateReviewSuccess {{ review {{ {REVIEW_FIELDS} }} }}
    {ERRORS}
  }}
}}
"""
DELETE = f"""
mutation($id: ID!) {{
  deleteReview(reviewId: $id) {{
    __typename
    ... on DeleteReviewSuccess {{ deletedReviewId product {{ ratingSummary {{ count }} }} }}
    {ERRORS}
  }}
}}
"""
MODERATE = f"""
mutation($id: ID!, $status: ReviewStatus!) {{
  moderateReview(reviewId: $id, status: $status) {{
    __typename
    ... on ModerateReviewSuccess {{ review {{ status }} }}
    {VALIDATION} {NOT_FOUND}
  }}
}}
"""
VOTE = f"""
mutation($id: ID!) {{
  voteReviewHelpful(reviewId: $id) {{
    __typename
    ... on VoteReviewHelpfulSuccess {{ review {{ helpfulCount viewerHasVoted }} }}
    {ERRORS} {CONFLICT}
  }}
}}
"""
UNVOTE = f"""
mutation($id: ID!) {{
  unvoteReviewHelpful(reviewId: $id) {{
    __typename
    ... on UnvoteReviewHelpfulSuccess {{ review {{ helpfulCount viewerHasVoted }} }}
    {ERRORS}
  }}
}}
"""
REPORT = f"""
mutation($id: ID!, $reason: String!) {{
  reportReview(reviewId: $id, reason: $reason) {{
    __typename
    ... on ReportReviewSuccess {{ review {{ id reportCount }} }}
    {ERRORS} {CONFLICT}
  }}
}}
"""
REPLY = f"""
mutation($id: ID!, $body: String!) {{
  replyToReview(reviewId: $id, body: $body) {{
    __typename
    ... on ReplyToReviewSuccess {{ review {{ merchantReply repliedAt }} }}
    {ERRORS}
  }}
}}
"""
SUMMARY = """
query($slug: String!) {
  product(slug: $slug) { ratingSummary { average count histogram { rating count } } }
}
"""


async def create(
    gql: GraphQLClient, token: str | None, product: Product, rating: int = 5, **variables: Any
) -> dict[str, Any]:
    """The createReview payload (a dict with __typename)."""
    data = await gql.data(
        CREATE, {"product": gid("Product", product.id), "rating": rating, **variables}, token=token
    )
    return data["createReview"]  # type: ignore[no-any-return]


async def summary(gql: GraphQLClient, product: Product) -> dict[str, Any]:
    data = await gql.data(SUMMARY, {"slug": product.slug})
    return data["product"]["ratingSummary"]  # type: ignore[no-any-return]


def expected(*ratings: int) -> dict[str, Any]:
    counts = Counter(ratings)
    return {
        "average": round(sum(ratings) / len(ratings), 2) if ratings else 0.0,
        "count": len(ratings),
        "histogram": [{"rating": n, "count": counts[n]} for n in (5, 4, 3, 2, 1)],
    }


async def recounted(product: Product) -> dict[str, Any]:
    """The summary recomputed from the review rows, to compare with the kept counters."""
    rows = await Review.filter(product_id=product.id, status=ReviewStatus.PUBLISHED)
    return expected(*(row.rating for row in rows))


MakeLine = Callable[..., Awaitable[OrderLine]]
_orders = itertools.count(1)

ORDER_STATUS = {
    LineStatus.UNFULFILLED: OrderStatus.PAID,
    LineStatus.SHIPPED: OrderStatus.SHIPPED,
    LineStatus.DELIVERED: OrderStatus.DELIVERED,
}


async def delivered_line(
    buyer: User, product: Product, status: LineStatus = LineStatus.DELIVERED
) -> OrderLine:
    """An order of `buyer` with one line of `product`, in `status`, written directly."""
    variant = await Variant.filter(product_id=product.id).order_by("position").first()
    price = variant.price if variant else 1000
    order = await Order.create(
        buyer_id=buyer.id,
        status=ORDER_STATUS[status],
        currency=product.currency,
        subtotal=price,
        total=price,
        idempotency_key=f"review-test-{next(_orders)}",
        request_hash="0" * 64,
    )
    return await OrderLine.create(
        order_id=order.id,
        merchant_id=product.merchant_id,
        variant_id=variant.id if variant else None,
        product_id=product.id,
        product_title=product.title,
        variant_title=variant.title if variant else "",
        sku=variant.sku if variant else "SKU",
        unit_price=price,
        quantity=1,
        total=price,
        status=status,
    )
