"""Exact counts under concurrency, constant SQL per page, and the rate limit on addComment."""

from __future__ import annotations

import asyncio

from models.accounts import Role
from models.comments import Comment, CommentMention, CommentTargetKind
from tests.comments.support import add, added, delete, make_comment, make_post, post_id
from tests.factories import MakeUser, SignIn
from tests.utils import GraphQLClient, gid

COUNTS = """
query($id: ID!, $c: ID!) {
  post: node(id: $id) { ... on Post { commentCount comments { totalCount } } }
  comment: node(id: $c) { ... on Comment { replyCount replies { totalCount } } } }
"""


async def test_concurrent_comments_and_replies_count_exactly(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fans = [await sign_in() for _ in range(8)]
    post = await make_post(fans[0].user.id)
    top = await added(gql, fans[0].token, post_id(post), "start")

    results = await asyncio.gather(
        *(
            add(
                gql,
                fan.token,
                post_id(post),
                f"{n} from {fan.user.handle}",
                top["id"] if n % 2 else None,
            )
            for fan in fans
            for n in range(5)
        )
    )

    assert {r["__typename"] for r in results} == {"AddCommentSuccess"}
    counts = await gql.data(COUNTS, {"id": post_id(post), "c": top["id"]})
    rows = await Comment.filter(target_kind=CommentTargetKind.POST, target_id=post.id).count()
    replies = await Comment.filter(target_id=post.id, parent_id__not_isnull=True).count()
    assert rows == 41
    assert replies == 16
    assert counts["post"]["commentCount"] == rows
    assert counts["post"]["comments"]["totalCount"] == rows - replies
    assert counts["comment"]["replyCount"] == counts["comment"]["replies"]["totalCount"] == 16


async def test_concurrent_deletes_delete_once(gql: GraphQLClient, sign_in: SignIn) -> None:
    fan = await sign_in()
    moderator = await sign_in(role=Role.MODERATOR)
    post = await make_post(fan.user.id)
    comments = [await make_comment(fan.user.id, post, f"c{n}") for n in range(10)]

    results = await asyncio.gather(
        *(
            delete(gql, who.token, gid("Comment", c.id))
            for c in comments
            for who in (fan, moderator, fan)
        )
    )

    assert {r["__typename"] for r in results} == {"DeleteCommentSuccess"}
    assert await Comment.filter(deleted_at__not_isnull=True).count() == 10
    counts = await gql.data(COUNTS, {"id": post_id(post), "c": gid("Comment", comments[0].id)})
    assert counts["post"]["commentCount"] == 0
    assert counts["post"]["comments"]["totalCount"] == 10


PAGE = """
query($id: ID!, $n: Int!) { node(id: $id) { ... on Post { commentCount
  comments(first: $n) { edges { node { id body createdAt author { handle } replyCount
    mentions { handle } target { __typename }
    replies(first: 2) { totalCount edges { node { body author { handle } replyCount
      mentions { handle } } } } } } } } } }
"""


async def test_a_comments_page_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    ana = await make_user(role=Role.CREATOR, handle="ana_sql")
    post = await make_post(ana.id)
    fans = [await make_user() for _ in range(10)]
    # Both pages hold comments by all five commenters and replies by all five repliers, so
    # neither page finds users already loaded that the other must query.
    for n in range(55):
        top = await make_comment(fans[n % 5].id, post, f"c{n} @ana_sql")
        await CommentMention.create(comment_id=top.id, user_id=ana.id)
        for r in range(3):
            reply = await make_comment(fans[5 + (n + r) % 5].id, post, f"r{r}", parent=top)
            await CommentMention.create(comment_id=reply.id, user_id=fans[0].id)

    small = await gql.post(PAGE, {"id": post_id(post), "n": 5})
    large = await gql.post(PAGE, {"id": post_id(post), "n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["node"]["comments"]["edges"]
    assert len(edges) == 50
    assert all(len(e["node"]["replies"]["edges"]) == 2 for e in edges)
    assert all(e["node"]["replyCount"] == 3 for e in edges)
    assert all(e["node"]["mentions"] == [{"handle": "ana_sql"}] for e in edges)
    # The post, its counts, the page of comments (3); for the whole page at once: authors,
    # reply counts, mentions (users joined in) and the replies' first pages (4; `target` is
    # the post, already loaded); then the repliers, the replies' reply counts and mentions (3).
    assert small.sql == large.sql == 10, (small.sql, large.sql)


async def test_adding_comments_is_rate_limited_per_user(
    gql: GraphQLClient, sign_in: SignIn, running: object
) -> None:
    fan, other = await sign_in(), await sign_in()
    post = await make_post(fan.user.id)
    limit = 20  # COMMENTS_PER_MINUTE's default, which the tests run with
    for n in range(limit):
        await added(gql, fan.token, post_id(post), f"n{n}")

    refused = await gql.post(
        'mutation($id: ID!) { addComment(targetId: $id, body: "one more") { __typename } }',
        {"id": post_id(post)},
        token=fan.token,
    )
    others = await add(gql, other.token, post_id(post), "mine")

    assert refused.codes == ["RATE_LIMITED"], refused.body
    assert refused.errors[0]["extensions"]["retryAfterSeconds"] > 0
    assert others["__typename"] == "AddCommentSuccess"
    assert await Comment.filter(author_id=fan.user.id).count() == limit


POSTS = """
query($n: Int!) { posts(first: $n) { edges { node { title commentCount
  comments(first: 2, sort: OLDEST) { totalCount edges { node { body author { handle }
    replyCount } } } } } } }
"""


async def test_a_page_of_posts_with_their_comments_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, make_user: MakeUser
) -> None:
    ana = await make_user(role=Role.CREATOR)
    fans = [await make_user() for _ in range(3)]
    for _ in range(55):
        post = await make_post(ana.id)
        for n in range(3):
            await make_comment(fans[n].id, post, f"c{n}")

    small = await gql.post(POSTS, {"n": 5})
    large = await gql.post(POSTS, {"n": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    edges = large.data["posts"]["edges"]
    assert len(edges) == 50
    assert all(e["node"]["commentCount"] == 3 for e in edges)
    assert all(
        [c["node"]["body"] for c in e["node"]["comments"]["edges"]] == ["c0", "c1"] for e in edges
    )
    assert all(e["node"]["comments"]["totalCount"] == 3 for e in edges)
    # The posts; for all of them at once their counts and first pages of comments; then the
    # comments' authors and reply counts.
    assert small.sql == large.sql == 5, (small.sql, large.sql)
