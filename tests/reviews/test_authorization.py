"""The authorization matrix: every review mutation x every kind of caller (tests/authz.py).

The owner is the review's author (the buyer), or for replies the product's merchant owner.
"""

from __future__ import annotations

from typing import Any

from models.moderation import Report as ReviewReport
from models.reviews import Review, ReviewVote
from resolvers.principal import Scope
from schema.reviews import ReviewMutation
from tests.authz import FORBIDDEN, Actor, Matrix, World, row
from tests.reviews.support import create, delivered_line, summary
from tests.utils import gid


async def _scene(w: World) -> None:
    """The buyer bought the product and a second one; reviewed the first (4 stars) only."""
    unreviewed = await w.make_product(merchant=w.merchant)
    await delivered_line(w.buyer.user, w.product)
    await delivered_line(w.buyer.user, unreviewed)
    created = await create(w.gql, w.buyer.token, w.product, 4)
    assert created["__typename"] == "CreateReviewSuccess"
    w.scene.update(unreviewed=unreviewed, review=await Review.get(product_id=w.product.id))


async def _snapshot(w: World) -> Any:
    stored = await Review.get(id=w.scene["review"].id)
    return (
        (stored.rating, stored.status.value, stored.merchant_reply),
        (stored.helpful_count, stored.report_count),
        await ReviewVote.exists(),
        await ReviewReport.exists(),
        await Review.filter(product_id=w.scene["unreviewed"].id).count(),
        await summary(w.gql, w.product),
        await summary(w.gql, w.scene["unreviewed"]),
    )


def _rid(w: World) -> dict[str, Any]:
    return {"id": gid("Review", w.scene["review"].id)}


OTHERS: list[Actor] = ["other_user", "other_merchant", "moderator", "admin"]
WRITE = {"scope": Scope.WRITE_CONTENT}

MATRIX = Matrix(
    domain=[ReviewMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "createReview",
            "mutation($p: ID!) { createReview(productId: $p, rating: 2) { __typename } }",
            lambda w: {"p": gid("Product", w.scene["unreviewed"].id)},
            allowed=["owner"],  # only who bought it and got it delivered
            success="CreateReviewSuccess",
            refusal="ReviewNotAllowedError",
            **WRITE,
        ),
        row(
            "updateReview",
            "mutation($id: ID!) { updateReview(reviewId: $id, rating: 1) { __typename } }",
            _rid,
            allowed=["owner"],
            success="UpdateReviewSuccess",
            **WRITE,
        ),
        row(
            "deleteReview",
            "mutation($id: ID!) { deleteReview(reviewId: $id) { __typename } }",
            _rid,
            allowed=["owner", "moderator", "admin"],
            success="DeleteReviewSuccess",
            **WRITE,
        ),
        row(  # the product's merchant answers
            "replyToReview",
            'mutation($id: ID!) { replyToReview(reviewId: $id, body: "Thanks") { __typename } }',
            _rid,
            allowed=["owner"],
            success="ReplyToReviewSuccess",
            owner="seller",
            scope=Scope.WRITE_COMMERCE,
        ),
        row(  # anyone but the author
            "voteReviewHelpful",
            "mutation($id: ID!) { voteReviewHelpful(reviewId: $id) { __typename } }",
            _rid,
            allowed=OTHERS,
            success="VoteReviewHelpfulSuccess",
            **WRITE,
        ),
        row(
            "unvoteReviewHelpful",
            "mutation($id: ID!) { unvoteReviewHelpful(reviewId: $id) { __typename } }",
            _rid,
            allowed=OTHERS,
            success="UnvoteReviewHelpfulSuccess",
            **WRITE,
        ),
        row(
            "reportReview",
            'mutation($id: ID!) { reportReview(reviewId: $id, reason: "spam") { __typename } }',
            _rid,
            allowed=OTHERS,
            success="ReportReviewSuccess",
            **WRITE,
        ),
        row(  # staff, in person
            "moderateReview",
            "mutation($id: ID!) { moderateReview(reviewId: $id, status: HIDDEN) { __typename } }",
            _rid,
            allowed=["moderator", "admin"],
            success="ModerateReviewSuccess",
            refusal=FORBIDDEN,
        ),
    ],
)
test_every_review_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
