"""The queue costs the same SQL for a page of 5 and of 50, every kind of target mixed in."""

from __future__ import annotations

from models.accounts import Role, User
from models.catalog import Product
from models.moderation import ModerationItem, Report, ReportTargetKind
from tests.comments.support import make_comment, make_review, make_tutorial
from tests.factories import MakeProduct, MakeUser, SignIn
from tests.moderation.support import QUEUE, make_community, make_post
from tests.utils import GraphQLClient

KINDS = list(ReportTargetKind)
IN_COMMUNITY = (ReportTargetKind.POST, ReportTargetKind.COMMENT)


async def _target(kind: ReportTargetKind, author: User, product: Product) -> tuple[int, int]:
    """A new target of `kind` by `author`, and the community it lies in (or was made for)."""
    community = await make_community(author.id)
    if kind is ReportTargetKind.POST:
        return (await make_post(author.id, community)).id, community.id
    if kind is ReportTargetKind.TUTORIAL:
        return (await make_tutorial(author.id)).id, community.id
    if kind is ReportTargetKind.REVIEW:
        return (await make_review(author.id, product)).id, community.id
    if kind is ReportTargetKind.COMMENT:
        post = await make_post(author.id, community)
        return (await make_comment(author.id, post, "c")).id, community.id
    return community.id, community.id


async def _reported(kind: ReportTargetKind, n: int, authors: list[User], product: Product) -> None:
    target_id, community_id = await _target(kind, authors[n], product)
    item = await ModerationItem.create(
        target_kind=kind,
        target_id=target_id,
        community_id=community_id if kind in IN_COMMUNITY else None,
        report_count=100 - n,
        open_report_count=2,
    )
    for reporter in (authors[(n + 1) % len(authors)], authors[(n + 2) % len(authors)]):
        await Report.create(
            item_id=item.id,
            target_kind=kind,
            target_id=target_id,
            reporter_id=reporter.id,
            reason="r",
        )


async def test_a_queue_page_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser, make_product: MakeProduct
) -> None:
    staff = await sign_in(role=Role.MODERATOR)
    authors = [await make_user() for _ in range(11)]
    product = await make_product()
    for n in range(11):
        for kind in KINDS:
            await _reported(kind, n, authors, product)

    await gql.data("{ viewer { handle } }", token=staff.token)  # its session's last use noted
    small = await gql.post(QUEUE, {"n": 5}, token=staff.token)
    large = await gql.post(QUEUE, {"n": 50}, token=staff.token)

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["moderationQueue"]["edges"]
    assert len(edges) == 50
    assert {edge["node"]["targetKind"] for edge in small.data["moderationQueue"]["edges"]} == {
        kind.name for kind in KINDS
    }
    assert all(edge["node"]["target"] is not None for edge in edges)
    assert all(len(edge["node"]["latestReports"]) == 2 for edge in edges)
    counts = [edge["node"]["reportCount"] for edge in edges]
    assert counts == sorted(counts, reverse=True)  # most reported first
    # The session; the page and its count; the items' logs and reports; the targets, one batch
    # per kind (communities also serve the `community` field), the posts the comments are on,
    # and the reporters: 12, whatever the page size.
    assert small.sql == large.sql == 12, (small.sql, large.sql)
