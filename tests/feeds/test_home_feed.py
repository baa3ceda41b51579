"""The home feed: fan-out on write, merge on read for large sources, rebuilt when missing,
unfollows, cursors stable under new posts, visibility re-checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.accounts import Role, User
from models.content import Post, PostStatus
from models.social import Follow, FollowTargetKind
from tests.content.support import create_post, publish, published_post
from tests.factories import MakeApp, MakeAppToken, SignIn
from tests.feeds.support import (
    drain,
    home,
    home_titles,
    post_at,
    titles,
    topic,
    with_settings,
)
from tests.social.support import follow, unfollow
from tests.utils import GraphQLClient, gid


def _feed_key(services: Any, user_id: int) -> str:
    return str(services.keys("feed", f"{{home:{user_id}}}"))


async def _in_set(services: Any, user_id: int) -> list[int]:
    members = await services.redis.zrange(_feed_key(services, user_id), 0, -1)
    return [int(m) for m in members]


def _pk(global_id: str) -> int:
    from strawberry import relay

    return int(relay.GlobalID.from_id(global_id).node_id)


@pytest.mark.smoke
async def test_follow_then_see_new_posts_pushed_by_the_worker(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    bob = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    await follow(gql, fan.token, gid("Topic", (await topic("tea")).id))
    assert await home_titles(gql, fan.token) == []  # built (empty), so fan-out reaches it

    first = await published_post(gql, ana.token, title="Ana one")
    await published_post(gql, bob.token, title="Bob on tea", topics=["tea"])
    await published_post(gql, bob.token, title="Bob elsewhere", topics=["coffee"])
    before = await home_titles(gql, fan.token)
    await drain(services)
    after = await home_titles(gql, fan.token)

    assert before == []  # nothing until the worker ran: it came by fan-out, not a rebuild
    assert after == ["Bob on tea", "Ana one"]
    assert _pk(first["id"]) in await _in_set(services, fan.user.id)


async def test_unfollow_then_stop_seeing(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    bob = await sign_in(role=Role.CREATOR)
    for author in (ana, bob):
        await follow(gql, fan.token, gid("User", author.user.id))
    await home_titles(gql, fan.token)
    await published_post(gql, ana.token, title="Ana old")
    await published_post(gql, bob.token, title="Bob old")
    await drain(services)
    assert await home_titles(gql, fan.token) == ["Bob old", "Ana old"]

    await unfollow(gql, fan.token, gid("User", ana.user.id))
    right_after = await home_titles(gql, fan.token)
    await published_post(gql, ana.token, title="Ana new")
    await drain(services)
    later = await home_titles(gql, fan.token)

    assert right_after == ["Bob old"]
    assert later == ["Bob old"]


async def test_a_new_follow_brings_the_followed_users_recent_posts(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await published_post(gql, ana.token, title="Before the follow")
    assert await home_titles(gql, fan.token) == []

    await follow(gql, fan.token, gid("User", ana.user.id))

    assert await home_titles(gql, fan.token) == ["Before the follow"]


@pytest.mark.smoke
async def test_large_accounts_are_merged_on_read_not_pushed(
    gql: GraphQLClient, sign_in: SignIn, services: Any, running: Any
) -> None:
    changed = with_settings(running, services, feed_fanout_max_followers=1)
    try:
        fan, other = await sign_in(), await sign_in()
        star = await sign_in(role=Role.CREATOR)  # two followers: above the threshold
        small = await sign_in(role=Role.CREATOR)  # one follower
        for follower in (fan, other):
            await follow(gql, follower.token, gid("User", star.user.id))
        await follow(gql, fan.token, gid("User", small.user.id))
        await home_titles(gql, fan.token)
        star_1 = await published_post(gql, star.token, title="Star 1")
        small_1 = await published_post(gql, small.token, title="Small 1")
        await published_post(gql, star.token, title="Star 2")
        await drain(changed)

        page = await home_titles(gql, fan.token)
        pushed = await _in_set(changed, fan.user.id)
        others = await home_titles(gql, other.token)
    finally:
        running.state["services"] = services

    assert page == ["Star 2", "Small 1", "Star 1"]
    assert _pk(small_1["id"]) in pushed
    assert _pk(star_1["id"]) not in pushed  # it came from PostgreSQL, merged on read
    assert others == ["Star 2", "Star 1"]


async def test_a_flushed_feed_is_rebuilt_from_postgres_with_the_same_first_page(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fan = await sign_in()
    authors = [await sign_in(role=Role.CREATOR) for _ in range(3)]
    tea = await topic("tea")
    for author in authors:
        await follow(gql, fan.token, gid("User", author.user.id))
    await follow(gql, fan.token, gid("Topic", tea.id))
    stranger = await sign_in()
    for n in range(12):
        await post_at(authors[n % 3].user.id, f"Post {n}", n)
    await post_at(stranger.user.id, "Stranger on tea", 5.5, topics=[tea])
    await post_at(stranger.user.id, "Stranger elsewhere", 6.5)
    await home_titles(gql, fan.token)  # built
    before = await home(gql, fan.token, first=10)

    keys = [k async for k in services.redis.scan_iter(match=_feed_key(services, fan.user.id) + "*")]
    assert keys  # the set, its state, the large sources
    await services.redis.delete(*keys)
    rebuilt = await home(gql, fan.token, first=10)

    assert rebuilt == before
    assert titles(rebuilt)[:7] == [
        "Post 11", "Post 10", "Post 9", "Post 8", "Post 7", "Post 6", "Stranger on tea"
    ]  # fmt: skip
    assert await services.redis.get(_feed_key(services, fan.user.id) + ":state") == b"ready"


async def test_an_empty_feed_is_remembered_as_empty_not_missing(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    loner = await sign_in()
    await home(gql, loner.token)  # built: follows nobody

    again = await gql.post("{ homeFeed(first: 10) { edges { node { id } } } }", token=loner.token)
    auth_only = await gql.post("{ viewer { id } }", token=loner.token)

    assert again.data == {"homeFeed": {"edges": []}}
    assert await services.redis.get(_feed_key(services, loner.user.id) + ":state") == b"ready"
    assert again.sql == auth_only.sql  # no rebuild, nothing to hydrate: only the sign-in


async def test_with_redis_unreachable_the_feed_comes_from_postgres(
    gql: GraphQLClient, sign_in: SignIn, services: Any, running: Any
) -> None:
    from dataclasses import replace

    from storage.cache import open_redis

    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    for n in range(5):
        await post_at(ana.user.id, f"Ana {n}", n)
    cached = await home(gql, fan.token, first=3)
    dead = open_redis("redis://127.0.0.1:1/0", timeout=0.2)
    running.state["services"] = replace(services, redis=dead)
    try:
        down = await home(gql, fan.token, first=3)
        rest = await home(gql, fan.token, first=3, after=down["pageInfo"]["endCursor"])
        unfollowed = await unfollow(gql, fan.token, gid("User", ana.user.id))
        gone = await home_titles(gql, fan.token)
    finally:
        running.state["services"] = services
        await dead.aclose()

    assert down == cached
    assert titles(rest) == ["Ana 1", "Ana 0"]
    assert unfollowed["__typename"] == "UnfollowSuccess"
    assert gone == []


async def test_a_next_page_is_exact_when_new_posts_arrive_between_pages(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    for n in range(6):
        await post_at(ana.user.id, f"Old {n}", n)
    # Published at the same moment as "Old 3", on the first page's edge: the id breaks the tie.
    await post_at(ana.user.id, "Tied", 3)
    first = await home(gql, fan.token, first=3)

    await published_post(gql, ana.token, title="Newer 1")
    await published_post(gql, ana.token, title="Newer 2")
    await drain(services)
    second = await home(gql, fan.token, first=3, after=first["pageInfo"]["endCursor"])
    third = await home(gql, fan.token, first=3, after=second["pageInfo"]["endCursor"])
    fresh = await home(gql, fan.token, first=2)

    assert titles(first) == ["Old 5", "Old 4", "Tied"]
    assert titles(second) == ["Old 3", "Old 2", "Old 1"]
    assert titles(third) == ["Old 0"]
    assert (first["pageInfo"]["hasNextPage"], third["pageInfo"]["hasNextPage"]) == (True, False)
    assert titles(fresh) == ["Newer 2", "Newer 1"]


async def test_pages_past_the_redis_cap_come_from_postgres(
    gql: GraphQLClient, sign_in: SignIn, services: Any, running: Any
) -> None:
    changed = with_settings(running, services, feed_max_items=4)
    try:
        fan = await sign_in()
        ana = await sign_in(role=Role.CREATOR)
        await follow(gql, fan.token, gid("User", ana.user.id))
        for n in range(7):
            await post_at(ana.user.id, f"Post {n}", n)
        seen: list[str] = []
        after = None
        while True:
            page = await home(gql, fan.token, first=3, after=after)
            seen += titles(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        kept = await _in_set(changed, fan.user.id)
    finally:
        running.state["services"] = services

    assert seen == [f"Post {n}" for n in reversed(range(7))]
    assert len(kept) == 4


async def test_scheduled_posts_are_fanned_out_when_the_worker_publishes_them(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    from tests.utils import run_job

    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    await home_titles(gql, fan.token)
    post = await create_post(gql, ana.token, title="Later")
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert (await publish(gql, ana.token, post["id"], soon))["post"]["status"] == "SCHEDULED"
    await drain(services)
    assert await home_titles(gql, fan.token) == []
    await Post.filter(id=_pk(post["id"])).update(publish_at=datetime.now(UTC) - timedelta(1))

    job = await run_job(services.queue, "publish_due_posts")
    await drain(services)

    assert job.result == {"published": 1}
    assert _pk(post["id"]) in await _in_set(services, fan.user.id)
    assert await home_titles(gql, fan.token) == ["Later"]


async def test_unpublished_posts_and_deactivated_authors_never_show(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    gone = await sign_in(role=Role.CREATOR)
    for author in (ana, gone):
        await follow(gql, fan.token, gid("User", author.user.id))
    await home_titles(gql, fan.token)
    await post_at(ana.user.id, "Draft", 1, status=PostStatus.DRAFT)
    await post_at(ana.user.id, "Scheduled", 2, status=PostStatus.SCHEDULED)
    await post_at(ana.user.id, "Archived", 3, status=PostStatus.ARCHIVED)
    archived_later = await published_post(gql, ana.token, title="Archived later")
    await published_post(gql, ana.token, title="Stays")
    await published_post(gql, gone.token, title="By a deactivated author")
    await drain(services)
    assert await home_titles(gql, fan.token) == [
        "By a deactivated author", "Stays", "Archived later"
    ]  # fmt: skip

    archived = await gql.data(
        "mutation($id: ID!) { archivePost(postId: $id) { __typename } }",
        {"id": archived_later["id"]},
        token=ana.token,
    )
    await User.filter(id=gone.user.id).update(is_active=False)
    page = await home_titles(gql, fan.token)
    keys = [k async for k in services.redis.scan_iter(match=_feed_key(services, fan.user.id) + "*")]
    await services.redis.delete(*keys)
    rebuilt = await home_titles(gql, fan.token)

    assert archived["archivePost"]["__typename"] == "ArchivePostSuccess"
    assert page == rebuilt == ["Stays"]
    assert _pk(archived_later["id"]) not in await _in_set(services, fan.user.id)


async def test_own_posts_are_not_in_your_feed(gql: GraphQLClient, sign_in: SignIn) -> None:
    ana = await sign_in(role=Role.CREATOR)
    tea = await topic("tea")
    await follow(gql, ana.token, gid("Topic", tea.id))
    await post_at(ana.user.id, "Mine on tea", 1, topics=[tea])

    assert await home_titles(gql, ana.token) == []
    assert await Follow.filter(follower_id=ana.user.id, target_kind=FollowTargetKind.TOPIC).count()


async def test_home_feed_needs_signing_in_and_an_issued_cursor(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    fan = await sign_in()

    anonymous = await gql.post("{ homeFeed { edges { node { id } } } }")
    bad = await gql.post('{ homeFeed(after: "bm90IGEgY3Vyc29y") { edges { node { id } } } }',
                         token=fan.token)  # fmt: skip
    too_many = await gql.post("{ homeFeed(first: 101) { edges { node { id } } } }", token=fan.token)

    assert anonymous.status == 200
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert bad.codes == ["BAD_USER_INPUT"]
    assert too_many.codes == ["BAD_USER_INPUT"]


async def test_apps_read_their_owners_feed_with_read_content_only(
    gql: GraphQLClient, sign_in: SignIn, make_app: MakeApp, make_app_token: MakeAppToken
) -> None:
    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    await post_at(ana.user.id, "For the app", 1)
    reader = await make_app_token(await make_app(fan.user, scopes=["read:content"]))
    writer = await make_app_token(await make_app(fan.user, scopes=["write:content"]))

    allowed = await home_titles(gql, reader)
    refused = await gql.post("{ homeFeed { edges { node { id } } } }", token=writer)

    assert allowed == ["For the app"]
    assert refused.codes == ["FORBIDDEN"]


async def test_a_fan_out_the_queue_refused_is_retried_by_the_relay(
    gql: GraphQLClient, sign_in: SignIn, services: Any
) -> None:
    """The fan-out hangs on the outbox's `post.published`, not on an enqueue after the commit:
    while the queue cannot take the job the event stays unrelayed, and the next relay run
    fans the post out. Nothing between commit and fan-out can lose it."""
    from redis.asyncio import Redis

    from models.events import Event
    from resolvers import events, jobs
    from storage.queue import open_queue

    fan = await sign_in()
    ana = await sign_in(role=Role.CREATOR)
    await follow(gql, fan.token, gid("User", ana.user.id))
    assert await home_titles(gql, fan.token) == []
    dead = Redis(host="127.0.0.1", port=9, socket_connect_timeout=0.5)
    jobs.register_consumers(open_queue(dead, "dead:"), services.settings)
    try:
        post = await published_post(gql, ana.token, title="Survives the outage")
        channel = events.channel(services.settings.redis_prefix)
        refused = await events.relay_events(services.redis, channel)
        event = await Event.get(type="post.published")
    finally:
        await dead.aclose()
    assert refused.retrying == 1  # the follow before it went through
    assert event.relayed_at is None
    assert event.attempts == 1
    assert _pk(post["id"]) not in await _in_set(services, fan.user.id)

    await drain(services)  # a worker with a reachable queue: the relay runs again

    assert await home_titles(gql, fan.token) == ["Survives the outage"]
    await event.refresh_from_db()
    assert event.relayed_at is not None
