"""The trending feed: the ranking formula through the API, snapshot paging that stays exact
while engagement arrives, the worker's refresh, Redis flushed or unreachable, private
communities and drafts left out, bad cursors, and a constant SQL count."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from models.communities import Community, CommunityVisibility, JoinPolicy
from models.content import Post, PostStatus
from models.reactions import Reaction, ReactionKind, ReactionTargetKind
from storage.cache import open_redis
from tests.comments.support import make_comment
from tests.factories import SignIn
from tests.utils import GraphQLClient, run_job

TRENDING = """
query($first: Int, $after: String) { trendingFeed(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { title author { handle } likeCount commentCount } } } }
"""
_n = itertools.count(1)


async def _post(author_id: int, title: str, hours_ago: float, **extra: Any) -> Post:
    published = datetime.now(UTC) - timedelta(hours=hours_ago)
    fields: dict[str, Any] = {"status": PostStatus.PUBLISHED, "published_at": published} | extra
    return await Post.create(
        author_id=author_id, slug=f"trending-{next(_n)}", title=title, **fields
    )


async def _likes(post: Post, user_ids: list[int], kind: ReactionKind = ReactionKind.LIKE) -> None:
    await Reaction.bulk_create(
        [
            Reaction(user_id=uid, kind=kind, target_kind=ReactionTargetKind.POST, target_id=post.id)
            for uid in user_ids
        ]
    )


async def _titles(gql: GraphQLClient, first: int = 10, after: str | None = None) -> Any:
    return (await gql.data(TRENDING, {"first": first, "after": after}))["trendingFeed"]


def _names(page: Any) -> list[str]:
    return [edge["node"]["title"] for edge in page["edges"]]


async def _world(sign_in: SignIn) -> tuple[list[int], dict[str, Post]]:
    author = await sign_in()
    fans = [(await sign_in()).user.id for _ in range(12)]
    private = await Community.create(
        slug="hidden-trend",
        name="Hidden",
        creator_id=author.user.id,
        visibility=CommunityVisibility.PRIVATE,
        join_policy=JoinPolicy.INVITE,
    )
    posts = {
        "fresh": await _post(author.user.id, "Fresh, quiet", 1),
        "liked": await _post(author.user.id, "Old but liked", 24),
        "talked": await _post(author.user.id, "Talked about", 3),
        "private": await _post(author.user.id, "Private hit", 1, community_id=private.id),
        "draft": await _post(author.user.id, "Draft", 1, status=PostStatus.DRAFT),
        "stale": await _post(author.user.id, "Last week's", 24 * 8),
    }
    await _likes(posts["liked"], fans[:10])
    await _likes(posts["private"], fans)
    await _likes(posts["stale"], fans)
    for fan in fans[:2]:
        await make_comment(fan, posts["talked"], "Where do I buy this?")
    return fans, posts


async def test_the_ranking_follows_the_documented_formula(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    await _world(sign_in)

    page = await _titles(gql)

    # (1 + 0) / 3^1.8 = 0.14, (1 + 10) / 26^1.8 = 0.031, (1 + 3 x 2) / 5^1.8 = 0.39
    assert _names(page) == ["Talked about", "Fresh, quiet", "Old but liked"]
    assert page["totalCount"] == 3  # not the private community's, the draft, last week's
    assert page["edges"][2]["node"]["likeCount"] == 10
    assert page["edges"][0]["node"]["commentCount"] == 2


async def test_pages_of_one_snapshot_stay_exact_until_the_worker_refreshes_it(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fans, posts = await _world(sign_in)

    first = await _titles(gql, first=2)
    # Meanwhile the old post takes off and a new one arrives: not in this snapshot.
    await _likes(posts["liked"], fans[:10], ReactionKind.SAVE)
    for fan in fans:
        await make_comment(fan, posts["liked"])
    await _post(fans[0], "Brand new", 0)
    rest = await _titles(gql, first=2, after=first["pageInfo"]["endCursor"])
    job = await run_job(services.queue, "refresh_trending")
    fresh = await _titles(gql, first=10)

    assert _names(first) == ["Talked about", "Fresh, quiet"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert _names(rest) == ["Old but liked"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert job.result == {"ranked": 4}
    # 0.39 (talked), 1 / 2^1.8 = 0.29 (brand new), 10 likes + 2 x 10 saves + 3 x 12 comments
    # = 66 at 24 h: 67 / 26^1.8 = 0.19, then 0.14 (fresh, quiet)
    assert _names(fresh) == ["Talked about", "Brand new", "Old but liked", "Fresh, quiet"]


async def test_a_flushed_snapshot_is_rebuilt_and_its_old_cursors_are_bad_input(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    await _world(sign_in)
    first = await _titles(gql, first=1)
    keys = [k async for k in services.redis.scan_iter(match=services.keys("trending") + "*")]
    await services.redis.delete(*keys)

    again = await _titles(gql, first=1)
    expired = await gql.post(TRENDING, {"first": 1, "after": first["pageInfo"]["endCursor"]})
    foreign = await gql.post(TRENDING, {"first": 1, "after": "bm90LWEtY3Vyc29y"})

    assert _names(again) == _names(first) == ["Talked about"]
    for reply in (expired, foreign):
        assert reply.errors, reply.body
        assert reply.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_with_redis_unreachable_trending_is_ranked_from_postgres(
    gql: GraphQLClient, sign_in: SignIn, services: Any, running: Any
) -> None:
    await _world(sign_in)
    dead = open_redis("redis://127.0.0.1:1/0", timeout=0.2)
    running.state["services"] = replace(services, redis=dead)
    try:
        first = await gql.post(TRENDING, {"first": 2})
        rest = await gql.post(
            TRENDING, {"first": 2, "after": first.data["trendingFeed"]["pageInfo"]["endCursor"]}
        )
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert first.status == rest.status == 200
    assert not first.errors, first.errors
    assert _names(first.data["trendingFeed"]) == ["Talked about", "Fresh, quiet"]
    assert _names(rest.data["trendingFeed"]) == ["Old but liked"]


async def test_a_trending_page_costs_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    authors = [(await sign_in()).user.id for _ in range(3)]
    for n in range(55):
        post = await _post(authors[n % 3], f"Post {n}", n / 10)
        await _likes(post, authors[: n % 3])

    await _titles(gql, first=1)  # the snapshot, made by the first reader
    small = await gql.post(TRENDING, {"first": 5})
    large = await gql.post(TRENDING, {"first": 50})

    assert not small.errors, small.errors
    assert not large.errors, large.errors
    assert len(large.data["trendingFeed"]["edges"]) == 50
    # posts, authors, like counts, comment counts: the ids come from Redis
    assert small.sql == large.sql == 4


COMMUNITY_POSTS = """
query($slug: String!, $sort: CommunityPostSort, $first: Int, $after: String, $last: Int) {
  community(slug: $slug) { posts(sort: $sort, first: $first, after: $after, last: $last) {
    pageInfo { hasNextPage endCursor } edges { node { title } } } } }
"""


async def test_a_communitys_hot_posts_rank_like_trending_and_new_stays_newest_first(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner = await sign_in()
    fans = [(await sign_in()).user.id for _ in range(10)]
    club = await Community.create(
        slug="hot-club",
        name="Hot club",
        creator_id=owner.user.id,
        visibility=CommunityVisibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
    )
    liked = await _post(owner.user.id, "Old but liked", 24 * 30, community_id=club.id)
    await _post(owner.user.id, "Fresh, quiet", 1, community_id=club.id)
    talked = await _post(owner.user.id, "Talked about", 3, community_id=club.id)
    await _post(owner.user.id, "Outside", 0)
    await _likes(liked, fans)
    for fan in fans[:2]:
        await make_comment(fan, talked)

    async def page(**variables: Any) -> Any:
        return await gql.post(COMMUNITY_POSTS, {"slug": "hot-club", **variables})

    hot = await page(sort="HOT", first=2)
    rest = await page(
        sort="HOT",
        first=2,
        after=hot.data["community"]["posts"]["pageInfo"]["endCursor"],
    )
    new = await page(sort="NEW", first=5)
    backwards = await page(sort="HOT", last=2)

    def names(reply: Any) -> list[str]:
        return [e["node"]["title"] for e in reply.data["community"]["posts"]["edges"]]

    # A month-old post is still a candidate in its community (not in the site's 7 days).
    assert names(hot) == ["Talked about", "Fresh, quiet"]
    assert names(rest) == ["Old but liked"]
    assert names(new) == ["Talked about", "Fresh, quiet", "Old but liked"]
    assert backwards.errors
    assert backwards.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
