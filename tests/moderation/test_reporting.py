"""Reporting: every kind of target, once per person, never one's own, counted exactly under
concurrency, and the old reportReview landing in the same queue."""

from __future__ import annotations

import asyncio

from models.accounts import Role
from models.moderation import ModerationItem, Report, ReportStatus, ReportTargetKind
from models.reviews import Review
from tests.comments.support import make_comment, make_review, make_tutorial
from tests.factories import MakeProduct, SignIn
from tests.moderation.support import REPORT, make_community, make_post, queue, report, target_id
from tests.utils import GraphQLClient, gid


async def test_each_kind_can_be_reported_into_one_queue(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author, reporter = await sign_in(role=Role.CREATOR), await sign_in()
    staff = await sign_in(role=Role.MODERATOR)
    post = await make_post(author.user.id)
    review = await make_review(author.user.id, await make_product())
    targets = [
        post,
        await make_tutorial(author.user.id),
        review,
        await make_comment(author.user.id, post, "Buy my stuff"),
        await make_community(author.user.id),
    ]

    results = [
        await report(gql, reporter.token, target_id(t), f"bad {n}") for n, t in enumerate(targets)
    ]
    listed = await queue(gql, staff.token)

    for n, (result, target) in enumerate(zip(results, targets, strict=True)):
        assert result["__typename"] == "ReportSuccess", result
        assert result["report"] == {
            "reason": f"bad {n}",
            "status": "OPEN",
            "reporter": {"handle": reporter.user.handle},
        }
        assert result["target"]["id"] == target_id(target)
    assert sorted(item["targetKind"] for item in listed) == [
        "COMMENT",
        "COMMUNITY",
        "POST",
        "REVIEW",
        "TUTORIAL",
    ]
    assert all(item["reportCount"] == 1 and item["status"] == "OPEN" for item in listed)
    assert {item["target"]["id"] for item in listed} == {target_id(t) for t in targets}
    # The review's own count follows, for the deprecated reportedReviews.
    assert (await Review.get(id=review.id)).report_count == 1


async def test_a_second_report_own_content_and_bad_input_are_refused(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author, reporter = await sign_in(role=Role.CREATOR), await sign_in()
    post = await make_post(author.user.id)
    draft = await make_post(author.user.id, status="draft")

    first = await report(gql, reporter.token, target_id(post))
    twice = await report(gql, reporter.token, target_id(post), "Again")
    own = await report(gql, author.token, target_id(post))
    empty = await report(gql, reporter.token, target_id(post), "   ")
    unseen = await report(gql, reporter.token, target_id(draft))
    wrong_type = await gql.post(
        REPORT, {"id": gid("Product", 1), "reason": "x"}, token=reporter.token
    )
    anonymous = await gql.post(REPORT, {"id": target_id(post), "reason": "x"})

    assert first["__typename"] == "ReportSuccess"
    assert twice == {
        "__typename": "ValidationError",
        "field": "targetId",
        "message": "You already reported this.",
    }
    assert own == {
        "__typename": "PermissionDeniedError",
        "message": "You cannot report your own post.",
    }
    assert (empty["__typename"], empty["field"]) == ("ValidationError", "reason")
    assert (unseen["__typename"], unseen["resource"]) == ("NotFoundError", "Post")
    assert wrong_type.data["report"]["__typename"] == "ValidationError"
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert await Report.all().count() == 1
    item = await ModerationItem.get(target_kind=ReportTargetKind.POST, target_id=post.id)
    assert (item.report_count, item.open_report_count) == (1, 1)


async def test_twenty_concurrent_reports_by_one_user_make_one(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author, reporter = await sign_in(role=Role.CREATOR), await sign_in()
    post = await make_post(author.user.id)

    results = await asyncio.gather(
        *(report(gql, reporter.token, target_id(post), f"why {n}") for n in range(20))
    )

    kinds = sorted(result["__typename"] for result in results)
    assert kinds == ["ReportSuccess"] + ["ValidationError"] * 19, kinds
    assert await Report.filter(target_id=post.id).count() == 1
    item = await ModerationItem.get(target_kind=ReportTargetKind.POST, target_id=post.id)
    assert (item.report_count, item.open_report_count) == (1, 1)


async def test_thirty_concurrent_reports_by_thirty_users_count_thirty(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author = await sign_in(role=Role.CREATOR)
    staff = await sign_in(role=Role.MODERATOR)
    reporters = [await sign_in() for _ in range(30)]
    post = await make_post(author.user.id)

    results = await asyncio.gather(
        *(report(gql, r.token, target_id(post), f"reason {n}") for n, r in enumerate(reporters))
    )
    [item] = await queue(gql, staff.token)

    assert {result["__typename"] for result in results} == {"ReportSuccess"}
    assert await Report.filter(target_id=post.id, status=ReportStatus.OPEN).count() == 30
    assert (item["reportCount"], item["openReportCount"]) == (30, 30)
    assert len(item["latestReports"]) == 5  # the latest reasons, newest first
    stored = await ModerationItem.get(target_kind=ReportTargetKind.POST, target_id=post.id)
    assert stored.report_count == 30


async def test_reports_are_rate_limited_per_user(gql: GraphQLClient, sign_in: SignIn) -> None:
    author, reporter = await sign_in(role=Role.CREATOR), await sign_in()
    posts = [await make_post(author.user.id) for _ in range(31)]
    limit = 30  # REPORTS_PER_HOUR's default, which the tests run with
    for post in posts[:limit]:
        assert (await report(gql, reporter.token, target_id(post)))["__typename"] == "ReportSuccess"

    refused = await gql.post(
        REPORT, {"id": target_id(posts[-1]), "reason": "x"}, token=reporter.token
    )

    assert refused.codes == ["RATE_LIMITED"], refused.body
    assert await Report.filter(reporter_id=reporter.user.id).count() == limit


async def test_report_review_lands_in_the_same_queue(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author, reporter, other = await sign_in(), await sign_in(), await sign_in()
    staff = await sign_in(role=Role.MODERATOR)
    review = await make_review(author.user.id, await make_product())
    old = """mutation($id: ID!) { reportReview(reviewId: $id, reason: "Fake") { __typename } }"""

    by_old = await gql.data(old, {"id": target_id(review)}, token=reporter.token)
    again_new = await report(gql, reporter.token, target_id(review))
    by_new = await report(gql, other.token, target_id(review), "Also fake")
    again_old = await gql.data(old, {"id": target_id(review)}, token=other.token)
    [item] = await queue(gql, staff.token, targetKinds=["REVIEW"])

    assert by_old["reportReview"]["__typename"] == "ReportReviewSuccess"
    assert again_new["__typename"] == "ValidationError"
    assert by_new["__typename"] == "ReportSuccess"
    assert again_old["reportReview"]["__typename"] == "ConflictError"
    assert item["reportCount"] == 2
    assert [r["reason"] for r in item["latestReports"]] == ["Also fake", "Fake"]
    assert (await Review.get(id=review.id)).report_count == 2
