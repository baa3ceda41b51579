"""Visibility of hidden reviews, helpful votes, reports and the moderation queue, merchant
replies, and demo data."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role
from models.catalog import MerchantStaff
from models.moderation import Report as ReviewReport
from models.orders import LineStatus
from models.reviews import Review, ReviewStatus, ReviewVote
from resolvers.reviews import seed_reviews_demo
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.reviews.support import (
    MODERATE,
    REPLY,
    REPORT,
    UNVOTE,
    VOTE,
    MakeLine,
    create,
    recounted,
    summary,
)
from tests.utils import GraphQLClient

# ---- visibility -------------------------------------------------------------------------------

NODE = "query($id: ID!) { node(id: $id) { ... on Review { rating status reportCount } } }"
LIST = """
query($slug: String!) { product(slug: $slug) { reviews(first: 10) {
  totalCount edges { node { rating status } } } } }
"""


async def test_hidden_reviews_are_seen_only_by_their_author_and_staff(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    author = await sign_in()
    other_buyer = await sign_in()
    stranger = await sign_in()
    admin = await sign_in(role=Role.ADMIN)
    for buyer in (author, other_buyer):
        await make_delivered_line(buyer.user, product)
    hidden_id = (await create(gql, author.token, product, 1))["review"]["id"]
    await create(gql, other_buyer.token, product, 5)
    await gql.data(MODERATE, {"id": hidden_id, "status": "HIDDEN"}, token=admin.token)

    def ratings(data: dict[str, object]) -> list[object]:
        page = data["product"]["reviews"]  # type: ignore[index]
        return [(e["node"]["rating"], e["node"]["status"]) for e in page["edges"]]

    assert (await gql.data(NODE, {"id": hidden_id}))["node"] is None
    assert (await gql.data(NODE, {"id": hidden_id}, token=stranger.token))["node"] is None
    assert (await gql.data(NODE, {"id": hidden_id}, token=author.token))["node"] == {
        "rating": 1,
        "status": "HIDDEN",
        "reportCount": None,
    }
    assert (await gql.data(NODE, {"id": hidden_id}, token=admin.token))["node"] == {
        "rating": 1,
        "status": "HIDDEN",
        "reportCount": 0,
    }
    assert ratings(await gql.data(LIST, {"slug": product.slug})) == [(5, None)]
    assert ratings(await gql.data(LIST, {"slug": product.slug}, token=stranger.token)) == [
        (5, None)
    ]
    assert ratings(await gql.data(LIST, {"slug": product.slug}, token=author.token)) == [
        (5, None),
        (1, "HIDDEN"),
    ]
    assert ratings(await gql.data(LIST, {"slug": product.slug}, token=admin.token)) == [
        (5, "PUBLISHED"),
        (1, "HIDDEN"),
    ]
    # Others cannot act on what they cannot see.
    vote = await gql.data(VOTE, {"id": hidden_id}, token=stranger.token)
    assert vote["voteReviewHelpful"] == {
        "__typename": "NotFoundError",
        "resource": "Review",
        "message": "Review not found.",
    }


# ---- helpful votes ----------------------------------------------------------------------------


@pytest.mark.smoke
async def test_helpful_votes_one_per_user_and_not_on_your_own(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    author = await sign_in()
    voter = await sign_in()
    await make_delivered_line(author.user, product)
    review_id = (await create(gql, author.token, product, 4))["review"]["id"]

    first = await gql.data(VOTE, {"id": review_id}, token=voter.token)
    again = await gql.data(VOTE, {"id": review_id}, token=voter.token)
    own = await gql.data(VOTE, {"id": review_id}, token=author.token)
    seen = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Review { helpfulCount viewerHasVoted } } }",
        {"id": review_id},
        token=voter.token,
    )
    withdrawn = await gql.data(UNVOTE, {"id": review_id}, token=voter.token)
    withdrawn_again = await gql.data(UNVOTE, {"id": review_id}, token=voter.token)

    assert first["voteReviewHelpful"] == {
        "__typename": "VoteReviewHelpfulSuccess",
        "review": {"helpfulCount": 1, "viewerHasVoted": True},
    }
    assert again["voteReviewHelpful"] == {
        "__typename": "ConflictError",
        "field": None,
        "message": "You already found this review helpful.",
    }
    assert own["voteReviewHelpful"] == {
        "__typename": "PermissionDeniedError",
        "message": "You cannot vote on or report your own review.",
    }
    assert seen["node"] == {"helpfulCount": 1, "viewerHasVoted": True}
    assert withdrawn["unvoteReviewHelpful"]["review"] == {
        "helpfulCount": 0,
        "viewerHasVoted": False,
    }
    assert withdrawn_again["unvoteReviewHelpful"]["review"] == {
        "helpfulCount": 0,
        "viewerHasVoted": False,
    }


async def test_concurrent_votes_keep_the_helpful_count_exact(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    author = await sign_in()
    voters = [await sign_in() for _ in range(6)]
    await make_delivered_line(author.user, product)
    review_id = (await create(gql, author.token, product, 4))["review"]["id"]

    await asyncio.gather(
        *(gql.data(VOTE, {"id": review_id}, token=v.token) for v in voters),
        *(gql.data(VOTE, {"id": review_id}, token=v.token) for v in voters[:3]),  # repeats
    )
    await asyncio.gather(
        *(gql.data(UNVOTE, {"id": review_id}, token=v.token) for v in voters[:2]),
        *(gql.data(UNVOTE, {"id": review_id}, token=v.token) for v in voters[:2]),
    )

    stored = await Review.get(product_id=product.id)
    assert stored.helpful_count == 4
    assert await ReviewVote.filter(review_id=stored.id).count() == 4


# ---- reports and the moderation queue ---------------------------------------------------------

QUEUE = """
query { reportedReviews(first: 10) { totalCount edges { node {
  rating reportCount reports { reason reporter { handle } } } } } }
"""


@pytest.mark.smoke
async def test_reports_reach_the_moderation_queue(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    product = await make_product()
    author = await sign_in()
    reporter = await sign_in()
    moderator = await sign_in(role=Role.MODERATOR)
    await make_delivered_line(author.user, product)
    review_id = (await create(gql, author.token, product, 1))["review"]["id"]

    reported = await gql.data(
        REPORT,
        {"id": review_id, "reason": "  Spam:\n a link to   another shop "},
        token=reporter.token,
    )
    twice = await gql.data(REPORT, {"id": review_id, "reason": "again"}, token=reporter.token)
    own = await gql.data(REPORT, {"id": review_id, "reason": "me"}, token=author.token)
    empty = await gql.data(REPORT, {"id": review_id, "reason": "   "}, token=moderator.token)
    queue = await gql.data(QUEUE, token=moderator.token)
    as_shopper = await gql.post(QUEUE, token=reporter.token)

    assert reported["reportReview"] == {
        "__typename": "ReportReviewSuccess",
        "review": {"id": review_id, "reportCount": None},  # counts are for staff
    }
    assert twice["reportReview"]["__typename"] == "ConflictError"
    assert own["reportReview"]["__typename"] == "PermissionDeniedError"
    assert empty["reportReview"] == {
        "__typename": "ValidationError",
        "field": "reason",
        "message": "Say why in 1-500 characters.",
    }
    assert queue["reportedReviews"] == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "rating": 1,
                    "reportCount": 1,
                    "reports": [
                        {
                            "reason": "Spam: a link to another shop",
                            "reporter": {"handle": reporter.user.handle},
                        }
                    ],
                }
            }
        ],
    }
    assert as_shopper.codes == ["FORBIDDEN"]
    assert await ReviewReport.all().count() == 1


# ---- merchant replies -------------------------------------------------------------------------


async def test_the_merchants_owner_and_staff_reply(
    gql: GraphQLClient,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_delivered_line: MakeLine,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    owner = await sign_in(role=Role.MERCHANT)
    staff = await sign_in(role=Role.SHOPPER)
    rival = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=owner.user)
    await make_merchant(owner=rival.user)
    await MerchantStaff.create(merchant_id=merchant.id, user_id=staff.user.id)
    product = await make_product(merchant=merchant)
    buyer = await sign_in()
    await make_delivered_line(buyer.user, product)
    review_id = (await create(gql, buyer.token, product, 3))["review"]["id"]
    app = await make_app(owner.user, scopes=["read:commerce", "write:commerce"])
    app_token = await make_app_token(app)

    by_owner = await gql.data(REPLY, {"id": review_id, "body": " Thanks! "}, token=owner.token)
    by_staff = await gql.data(REPLY, {"id": review_id, "body": "Sorry."}, token=staff.token)
    by_rival = await gql.data(REPLY, {"id": review_id, "body": "Ha"}, token=rival.token)
    by_app = await gql.data(REPLY, {"id": review_id, "body": "From the CRM"}, token=app_token)
    too_long = await gql.data(REPLY, {"id": review_id, "body": "x" * 2001}, token=owner.token)
    shown = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Review { merchantReply } } }", {"id": review_id}
    )
    removed = await gql.data(REPLY, {"id": review_id, "body": "  "}, token=owner.token)

    assert by_owner["replyToReview"]["review"]["merchantReply"] == "Thanks!"
    assert by_owner["replyToReview"]["review"]["repliedAt"] is not None
    assert by_staff["replyToReview"]["review"]["merchantReply"] == "Sorry."
    assert by_rival["replyToReview"] == {
        "__typename": "PermissionDeniedError",
        "message": "Only the product's merchant (owner or staff) can reply.",
    }
    assert by_app["replyToReview"]["review"]["merchantReply"] == "From the CRM"
    assert too_long["replyToReview"]["__typename"] == "ValidationError"
    assert shown["node"] == {"merchantReply": "From the CRM"}
    assert removed["replyToReview"]["review"] == {"merchantReply": None, "repliedAt": None}


# ---- demo data --------------------------------------------------------------------------------


async def test_demo_reviews_follow_delivered_lines(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct, make_delivered_line: MakeLine
) -> None:
    await seed_reviews_demo()  # no orders: nothing to do
    assert await Review.all().count() == 0
    product = await make_product()
    buyers = [await sign_in() for _ in range(3)]
    for buyer in buyers:
        await make_delivered_line(buyer.user, product)
    await make_delivered_line(buyers[0].user, product)  # a second order of the same buyer
    await make_delivered_line(buyers[1].user, product, status=LineStatus.SHIPPED)

    await seed_reviews_demo()
    await seed_reviews_demo()  # idempotent

    assert await Review.filter(product_id=product.id).count() == 3
    assert await Review.filter(status=ReviewStatus.PUBLISHED, verified_purchase=True).count() == 3
    assert await summary(gql, product) == await recounted(product)
