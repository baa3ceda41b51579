"""HIDE, RESTORE and DISMISS: hidden content leaves every path for outsiders (node, nodes,
lists, feeds, community pages, threads, counts, mentionedIn), stays visible to its author and
to staff, comes back on RESTORE; each action closes the reports, logs and records an event."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.comments import Comment
from models.communities import Community
from models.content import Post, TutorialProduct
from models.events import Event
from models.moderation import ModerationLogEntry, Report, ReportStatus
from models.reviews import Review, ReviewStatus
from tests.comments.support import make_comment, make_review, make_tutorial
from tests.factories import MakeProduct, SignedInUser, SignIn
from tests.moderation.support import (
    add_member,
    make_community,
    make_post,
    moderate,
    queue,
    report,
    target_id,
)
from tests.utils import GraphQLClient, gid

POST_PATHS = """
query($id: ID!, $slug: String!, $handle: String!) {
  node(id: $id) { id }
  nodes(ids: [$id]) { id }
  post(id: $id) { id }
  posts(first: 50) { edges { node { id } } }
  trendingFeed(first: 50) { edges { node { id } } }
  community(slug: $slug) { posts(first: 50) { edges { node { id } } } }
  user(handle: $handle) { posts(first: 50) { edges { node { id } } } }
}
"""


def _ids(connection: dict[str, Any] | None) -> list[str]:
    return [edge["node"]["id"] for edge in (connection or {"edges": []})["edges"]]


async def _post_paths(
    gql: GraphQLClient, token: str | None, post: Post, community: Community, handle: str
) -> dict[str, Any]:
    variables = {"id": target_id(post), "slug": community.slug, "handle": handle}
    data = await gql.data(POST_PATHS, variables, token=token)
    return {
        "node": data["node"],
        "nodes": data["nodes"],
        "post": data["post"],
        "posts": target_id(post) in _ids(data["posts"]),
        "trending": target_id(post) in _ids(data["trendingFeed"]),
        "community": target_id(post) in _ids(data["community"]["posts"]),
        "user": target_id(post) in _ids(data["user"]["posts"]),
    }


def _seen(post: Post) -> dict[str, Any]:
    seen = {"id": target_id(post)}
    everywhere = {"posts": True, "trending": True, "community": True, "user": True}
    return {"node": seen, "nodes": [seen], "post": seen, **everywhere}


async def _people(sign_in: SignIn) -> tuple[SignedInUser, ...]:
    """An author, an outsider, a reporter and a site moderator."""
    return (
        await sign_in(role=Role.CREATOR),
        await sign_in(),
        await sign_in(),
        await sign_in(role=Role.MODERATOR),
    )


async def test_a_hidden_post_leaves_every_path_but_its_authors_and_staffs(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author, outsider, reporter, staff = await _people(sign_in)
    owner = await sign_in()
    community = await make_community(owner.user.id)
    post = await make_post(author.user.id, community)
    comment = await make_comment(outsider.user.id, post, "Nice")
    handle = author.user.handle
    before = await _post_paths(gql, None, post, community, handle)  # trending snapshot taken
    await report(gql, reporter.token, target_id(post))

    hidden = await moderate(gql, staff.token, target_id(post), "HIDE", "Advertising")
    for_anonymous = await _post_paths(gql, None, post, community, handle)
    for_outsider = await _post_paths(gql, outsider.token, post, community, handle)
    for_author = await _post_paths(gql, author.token, post, community, handle)
    for_staff = await _post_paths(gql, staff.token, post, community, handle)
    comment_seen = "query($id: ID!) { node(id: $id) { id } }"
    its_comment = await gql.data(comment_seen, {"id": gid("Comment", comment.id)})
    restored = await moderate(gql, staff.token, target_id(post), "RESTORE", "Appeal upheld")
    after = await _post_paths(gql, None, post, community, handle)

    assert before == _seen(post)
    assert not hidden.errors, hidden.body
    assert hidden.data["moderate"]["__typename"] == "ModerateSuccess", hidden.body
    assert hidden.data["moderate"]["hidden"] is True
    assert hidden.data["moderate"]["item"]["status"] == "ACTIONED"
    nothing = {"node": None, "nodes": [None], "post": None}
    gone = {"posts": False, "trending": False, "community": False, "user": False}
    assert for_anonymous == for_outsider == nothing | gone
    # Its author still has it, on their own pages and by id; public lists leave it out.
    assert for_author == _seen(post) | {"trending": False, "community": False}
    assert for_staff == _seen(post) | {"trending": False, "community": False}
    assert its_comment == {"node": None}  # what is on a hidden post is hidden with it
    assert restored.data["moderate"]["hidden"] is False
    assert after == _seen(post)


THREAD = """
query($post: ID!, $comment: ID!) {
  node(id: $comment) { id }
  post(id: $post) { commentCount comments(first: 10) { totalCount edges { node { id
    replyCount replies(first: 10) { totalCount edges { node { id } } } } } } }
}
"""


async def test_a_hidden_comment_leaves_its_thread_and_counts(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    author, outsider, reporter, staff = await _people(sign_in)
    post = await make_post(author.user.id)
    top = await make_comment(reporter.user.id, post, "Fine")
    bad = await make_comment(outsider.user.id, post, "Spam reply", parent=top)
    worse = await make_comment(outsider.user.id, post, "Spam at the top")
    ids = {"post": target_id(post)}

    before = await gql.data(THREAD, ids | {"comment": gid("Comment", bad.id)})
    for row in (bad, worse):
        assert (await report(gql, reporter.token, target_id(row)))["__typename"] == "ReportSuccess"
        result = await moderate(gql, staff.token, target_id(row), "HIDE")
        assert result.data["moderate"]["hidden"] is True, result.body
    after = await gql.data(THREAD, ids | {"comment": gid("Comment", bad.id)})
    by_author = await gql.data(
        THREAD, ids | {"comment": gid("Comment", bad.id)}, token=outsider.token
    )
    by_staff = await gql.data(
        THREAD, ids | {"comment": gid("Comment", worse.id)}, token=staff.token
    )
    by_other = await gql.data(
        THREAD, ids | {"comment": gid("Comment", bad.id)}, token=reporter.token
    )

    assert before["post"]["commentCount"] == 3
    assert before["post"]["comments"]["totalCount"] == 2
    assert after["node"] is None
    assert after["post"]["commentCount"] == 1
    assert after["post"]["comments"]["totalCount"] == 1
    [only] = after["post"]["comments"]["edges"]
    assert only["node"]["id"] == gid("Comment", top.id)
    assert only["node"]["replyCount"] == 0
    assert only["node"]["replies"] == {"totalCount": 0, "edges": []}
    assert by_author["node"] == {"id": gid("Comment", bad.id)}  # its author still sees it
    assert by_staff["node"] == {"id": gid("Comment", worse.id)}
    assert by_other["node"] is None
    assert by_author["post"]["commentCount"] == 1  # counts are the same for everyone
    assert (await Comment.get(id=bad.id)).hidden_by_id == staff.user.id


TUTORIAL_PATHS = """
query($id: ID!, $product: ID!) {
  node(id: $id) { id }
  tutorials(first: 50) { edges { node { id } } }
  product(id: $product) { mentionedIn(first: 50) { edges { node {
    ... on Tutorial { id } ... on Post { id } } } } }
}
"""


async def test_a_hidden_tutorial_leaves_lists_and_mentioned_in(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author, outsider, _, staff = await _people(sign_in)
    product = await make_product()
    tutorial = await make_tutorial(author.user.id)
    await TutorialProduct.create(tutorial_id=tutorial.id, product_id=product.id)
    variables = {"id": target_id(tutorial), "product": gid("Product", product.id)}

    before = await gql.data(TUTORIAL_PATHS, variables, token=outsider.token)
    await moderate(gql, staff.token, target_id(tutorial), "HIDE")
    after = await gql.data(TUTORIAL_PATHS, variables, token=outsider.token)
    by_author = await gql.data(TUTORIAL_PATHS, variables, token=author.token)

    mine = {"id": target_id(tutorial)}
    assert before["node"] == mine
    assert _ids(before["tutorials"]) == [target_id(tutorial)]
    assert _ids(before["product"]["mentionedIn"]) == [target_id(tutorial)]
    assert after["node"] is None
    assert _ids(after["tutorials"]) == []
    assert _ids(after["product"]["mentionedIn"]) == []
    assert by_author["node"] == mine
    assert _ids(by_author["tutorials"]) == [target_id(tutorial)]


COMMUNITY_PATHS = """
query($slug: String!, $post: ID!) {
  community(slug: $slug) { id }
  communities(first: 50) { edges { node { id } } }
  node(id: $post) { id }
}
"""


async def test_a_hidden_community_disappears_with_its_posts(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner, outsider, reporter, staff = await _people(sign_in)
    member = await sign_in()
    community = await make_community(owner.user.id)
    await add_member(community, member.user.id)
    post = await make_post(owner.user.id, community)
    variables = {"slug": community.slug, "post": target_id(post)}
    await report(gql, reporter.token, target_id(community), "A spam ring")

    hidden = await moderate(gql, staff.token, target_id(community), "HIDE")
    for_outsider = await gql.data(COMMUNITY_PATHS, variables, token=outsider.token)
    for_member = await gql.data(COMMUNITY_PATHS, variables, token=member.token)
    for_staff = await gql.data(COMMUNITY_PATHS, variables, token=staff.token)
    await moderate(gql, staff.token, target_id(community), "RESTORE")
    restored = await gql.data(COMMUNITY_PATHS, variables, token=outsider.token)

    assert hidden.data["moderate"]["hidden"] is True, hidden.body
    gone: dict[str, Any] = {"community": None, "communities": {"edges": []}, "node": None}
    assert for_outsider == for_member == gone
    assert for_staff["community"] == {"id": target_id(community)}
    assert _ids(for_staff["communities"]) == [target_id(community)]
    assert for_staff["node"] == {"id": target_id(post)}
    assert restored["community"] == {"id": target_id(community)}
    assert restored["node"] == {"id": target_id(post)}


async def test_each_action_closes_reports_logs_and_records_an_event(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author, outsider, reporter, staff = await _people(sign_in)
    review = await make_review(author.user.id, await make_product())
    await report(gql, reporter.token, target_id(review), "Fake")
    await report(gql, outsider.token, target_id(review), "Copied")

    dismissed = await moderate(gql, staff.token, target_id(review), "DISMISS", "Looks genuine")
    await report(gql, (await sign_in()).token, target_id(review), "Really fake")
    hidden = await moderate(gql, staff.token, target_id(review), "HIDE", "It is")
    [item] = await queue(gql, staff.token, status=None)
    empty = await queue(gql, staff.token)  # OPEN items only, by default

    assert dismissed.data["moderate"]["item"]["status"] == "DISMISSED"
    assert dismissed.data["moderate"]["hidden"] is False
    assert hidden.data["moderate"]["item"] == {
        "id": item["id"],
        "status": "ACTIONED",
        "reportCount": 3,
        "openReportCount": 0,
    }
    assert (await Review.get(id=review.id)).status is ReviewStatus.HIDDEN
    assert item["targetHidden"] is True
    assert [entry["action"] for entry in item["log"]] == ["HIDE", "DISMISS"]
    assert item["log"][1] == {
        "action": "DISMISS",
        "note": "Looks genuine",
        "reportsClosed": 2,
        "moderator": {"handle": staff.user.handle},
    }
    assert empty == []
    statuses = [row.status for row in await Report.filter(target_id=review.id).order_by("id")]
    assert statuses == [ReportStatus.DISMISSED, ReportStatus.DISMISSED, ReportStatus.ACTIONED]
    assert await ModerationLogEntry.filter(target_id=review.id).count() == 2
    events = await Event.filter(type__startswith="content.").order_by("id")
    assert [event.type for event in events] == ["content.reports_dismissed", "content.hidden"]
    assert events[1].payload == {
        "version": 1,
        "target": {"__typename": "Review", "id": target_id(review)},
        "author": {"id": gid("User", author.user.id)},
        "moderator": {"id": gid("User", staff.user.id)},
        "reportsClosed": 1,
    }


async def test_moderate_review_still_works_and_logs(
    gql: GraphQLClient, sign_in: SignIn, make_product: MakeProduct
) -> None:
    author, _, _, staff = await _people(sign_in)
    review = await make_review(author.user.id, await make_product())
    old = """mutation($id: ID!, $s: ReviewStatus!) { moderateReview(reviewId: $id, status: $s) {
      __typename ... on ModerateReviewSuccess { review { status } } } }"""

    hidden = await gql.data(old, {"id": target_id(review), "s": "HIDDEN"}, token=staff.token)
    shown = await gql.data(old, {"id": target_id(review), "s": "PUBLISHED"}, token=staff.token)

    assert hidden["moderateReview"]["review"]["status"] == "HIDDEN"
    assert shown["moderateReview"]["review"]["status"] == "PUBLISHED"
    log = await ModerationLogEntry.filter(target_id=review.id).order_by("id")
    assert [entry.action.value for entry in log] == ["hide", "restore"]
