"""The authorization matrix: every review mutation x every kind of caller.

Callers: anonymous; another user; the owner of another merchant; an app of the owner without
the scope the mutation needs; the owner (the review's author, or for replies the product's
merchant owner); a moderator; an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import Product
from models.reviews import Review, ReviewReport, ReviewVote
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.reviews.conftest import MakeLine
from tests.reviews.support import create, expected, summary
from tests.utils import GraphQLClient, gid

ACTORS = ["anonymous", "app", "other", "other_merchant", "owner", "moderator", "admin"]


@dataclass(frozen=True, slots=True)
class World:
    product: Product
    unreviewed: Product  # the author bought it, delivered, and has not reviewed it yet
    review: Review
    tokens: dict[str, str | None]


async def _world(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
    mutation: str,
) -> World:
    merchant_owner = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=merchant_owner.user)
    other_merchant = await sign_in(role=Role.MERCHANT)
    await make_merchant(owner=other_merchant.user)
    product = await make_product(merchant=merchant)
    unreviewed = await make_product(merchant=merchant)
    author = await sign_in()
    await make_delivered_line(author.user, product)
    await make_delivered_line(author.user, unreviewed)
    assert (await create(gql, author.token, product, 4))["__typename"] == "CreateReviewSuccess"
    review = await Review.get(product_id=product.id)
    owner = merchant_owner if mutation == "replyToReview" else author
    # Everything the owner's role allows except what this mutation needs.
    lacking = "write:commerce" if mutation == "replyToReview" else "write:content"
    everything = ["read:account", "read:content", "write:content", "read:commerce"]
    if owner is merchant_owner:
        everything.append("write:commerce")
    app = await make_app(owner.user, scopes=[s for s in everything if s != lacking])
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "app": await make_app_token(app),
        "other": (await sign_in()).token,
        "other_merchant": other_merchant.token,
        "owner": owner.token,
        "moderator": (await sign_in(role=Role.MODERATOR)).token,
        "admin": (await sign_in(role=Role.ADMIN)).token,
    }
    return World(product=product, unreviewed=unreviewed, review=review, tokens=tokens)


def _rid(w: World) -> dict[str, Any]:
    return {"id": gid("Review", w.review.id)}


MUTATIONS: dict[str, Callable[[World], tuple[str, dict[str, Any]]]] = {
    "createReview": lambda w: (
        "mutation($p: ID!) { createReview(productId: $p, rating: 2) { __typename } }",
        {"p": gid("Product", w.unreviewed.id)},
    ),
    "updateReview": lambda w: (
        "mutation($id: ID!) { updateReview(reviewId: $id, rating: 1) { __typename } }",
        _rid(w),
    ),
    "deleteReview": lambda w: (
        "mutation($id: ID!) { deleteReview(reviewId: $id) { __typename } }",
        _rid(w),
    ),
    "replyToReview": lambda w: (
        'mutation($id: ID!) { replyToReview(reviewId: $id, body: "Thanks") { __typename } }',
        _rid(w),
    ),
    "voteReviewHelpful": lambda w: (
        "mutation($id: ID!) { voteReviewHelpful(reviewId: $id) { __typename } }",
        _rid(w),
    ),
    "unvoteReviewHelpful": lambda w: (
        "mutation($id: ID!) { unvoteReviewHelpful(reviewId: $id) { __typename } }",
        _rid(w),
    ),
    "reportReview": lambda w: (
        'mutation($id: ID!) { reportReview(reviewId: $id, reason: "spam") { __typename } }',
        _rid(w),
    ),
    "moderateReview": lambda w: (
        "mutation($id: ID!) { moderateReview(reviewId: $id, status: HIDDEN) { __typename } }",
        _rid(w),
    ),
}

_CALLERS = {"anonymous": "UNAUTHENTICATED", "app": "FORBIDDEN"}
_OTHERS_ONLY = _CALLERS | {"owner": "PermissionDeniedError"}
# Outcome per (mutation, actor): a __typename, or an extensions.code for a top-level error.
EXPECTED: dict[str, dict[str, str]] = {
    "createReview": _CALLERS
    | dict.fromkeys(("other", "other_merchant", "moderator", "admin"), "ReviewNotAllowedError")
    | {"owner": "CreateReviewSuccess"},
    "updateReview": _CALLERS
    | dict.fromkeys(("other", "other_merchant", "moderator", "admin"), "PermissionDeniedError")
    | {"owner": "UpdateReviewSuccess"},
    "deleteReview": _CALLERS
    | dict.fromkeys(("other", "other_merchant"), "PermissionDeniedError")
    | dict.fromkeys(("owner", "moderator", "admin"), "DeleteReviewSuccess"),
    "replyToReview": _CALLERS
    | dict.fromkeys(("other", "other_merchant", "moderator", "admin"), "PermissionDeniedError")
    | {"owner": "ReplyToReviewSuccess"},
    "voteReviewHelpful": _OTHERS_ONLY
    | dict.fromkeys(("other", "other_merchant", "moderator", "admin"), "VoteReviewHelpfulSuccess"),
    "unvoteReviewHelpful": _OTHERS_ONLY
    | dict.fromkeys(
        ("other", "other_merchant", "moderator", "admin"), "UnvoteReviewHelpfulSuccess"
    ),
    "reportReview": _OTHERS_ONLY
    | dict.fromkeys(("other", "other_merchant", "moderator", "admin"), "ReportReviewSuccess"),
    "moderateReview": _CALLERS
    | dict.fromkeys(("other", "other_merchant", "owner"), "FORBIDDEN")
    | dict.fromkeys(("moderator", "admin"), "ModerateReviewSuccess"),
}


def test_every_review_mutation_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(MUTATIONS)
    assert all(set(row) == set(ACTORS) for row in EXPECTED.values())


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_authorization_matrix(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
    mutation: str,
    actor: str,
) -> None:
    world = await _world(
        gql,
        sign_in,
        make_merchant,
        make_product,
        make_delivered_line,
        make_app,
        make_app_token,
        mutation,
    )
    document, variables = MUTATIONS[mutation](world)

    response = await gql.post(document, variables, token=world.tokens[actor])

    outcome = EXPECTED[mutation][actor]
    if outcome.isupper():
        assert response.codes == [outcome], response.body
        assert response.data == {mutation: None}
    else:
        assert not response.errors, response.errors
        assert response.data[mutation]["__typename"] == outcome
    if not outcome.endswith("Success"):  # refused: nothing changed
        stored = await Review.get(id=world.review.id)
        assert (stored.rating, stored.status.value, stored.merchant_reply) == (4, "published", "")
        assert (stored.helpful_count, stored.report_count) == (0, 0)
        assert not await ReviewVote.exists()
        assert not await ReviewReport.exists()
        assert await Review.filter(product_id=world.unreviewed.id).count() == 0
        assert await summary(gql, world.product) == expected(4)
        assert await summary(gql, world.unreviewed) == expected()
