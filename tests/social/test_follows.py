"""Following users and topics: idempotent, exact counts under concurrency, lists, viewerFollows."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role, User
from models.content import Topic
from models.social import Follow, FollowTargetKind
from tests.factories import MakeUser, SignIn
from tests.social.support import FOLLOW, UNFOLLOW, follow, unfollow
from tests.utils import GraphQLClient, gid

PROFILE = """
query($handle: String!) { user(handle: $handle) {
  followerCount followingCount viewerFollows
  followers(first: 10) { totalCount edges { node { handle } } }
  following(first: 10) { totalCount edges { node { handle } } }
  followedTopics(first: 10) { totalCount edges { node { slug } } } } }
"""


@pytest.mark.smoke
async def test_follow_twice_is_one_follow_and_unfollow_twice_is_none(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    fan = await sign_in()
    ana = await make_user(role=Role.CREATOR, handle="ana_c")

    first = await follow(gql, fan.token, gid("User", ana.id))
    again = await follow(gql, fan.token, gid("User", ana.id))

    expected = {"__typename": "User", "handle": "ana_c", "followerCount": 1, "viewerFollows": True}
    assert first == again == {"__typename": "FollowSuccess", "target": expected}
    assert await Follow.filter(follower_id=fan.user.id).count() == 1

    gone = await unfollow(gql, fan.token, gid("User", ana.id))
    gone_again = await unfollow(gql, fan.token, gid("User", ana.id))
    after = {**expected, "followerCount": 0, "viewerFollows": False}
    assert gone == gone_again == {"__typename": "UnfollowSuccess", "target": after}
    assert not await Follow.exists()


async def test_profile_counts_and_lists(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana = await sign_in(role=Role.CREATOR)
    fans = [await sign_in() for _ in range(3)]
    tea = await Topic.create(slug="tea", name="Tea", post_count=1)
    for fan in fans:
        await follow(gql, fan.token, gid("User", ana.user.id))
    await follow(gql, ana.token, gid("User", fans[0].user.id))
    await follow(gql, ana.token, gid("Topic", tea.id))

    seen = await gql.data(PROFILE, {"handle": ana.user.handle}, token=fans[0].token)
    anonymous = await gql.data(PROFILE, {"handle": ana.user.handle})

    user = seen["user"]
    assert (user["followerCount"], user["followingCount"], user["viewerFollows"]) == (3, 1, True)
    assert [e["node"]["handle"] for e in user["followers"]["edges"]] == [
        fan.user.handle for fan in reversed(fans)
    ]
    assert user["followers"]["totalCount"] == 3
    assert [e["node"]["handle"] for e in user["following"]["edges"]] == [fans[0].user.handle]
    assert [e["node"]["slug"] for e in user["followedTopics"]["edges"]] == ["tea"]
    assert anonymous["user"]["viewerFollows"] is False
    topic = await gql.data(
        '{ topic(slug: "tea") { followerCount viewerFollows '
        "followers { edges { node { handle } } } } }",
        token=ana.token,
    )
    assert topic["topic"] == {
        "followerCount": 1,
        "viewerFollows": True,
        "followers": {"edges": [{"node": {"handle": ana.user.handle}}]},
    }


async def test_who_cannot_be_followed(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    me = await sign_in()
    gone = await make_user(is_active=False)
    unused = await Topic.create(slug="secret_launch", name="secret_launch", post_count=0)
    product_id = gid("Product", 1)

    myself = await follow(gql, me.token, gid("User", me.user.id))
    deactivated = await follow(gql, me.token, gid("User", gone.id))
    hidden = await follow(gql, me.token, gid("Topic", unused.id))
    missing = await follow(gql, me.token, gid("User", 987_654))
    wrong = await follow(gql, me.token, product_id)
    garbage = await gql.post(FOLLOW, {"id": "garbage"}, token=me.token)
    anonymous = await gql.post(UNFOLLOW, {"id": gid("User", gone.id)})

    assert myself["__typename"] == "ValidationError"
    assert myself["field"] == "targetId"
    assert deactivated == {"__typename": "NotFoundError", "resource": "User"}
    assert hidden == {"__typename": "NotFoundError", "resource": "Topic"}
    assert missing == {"__typename": "NotFoundError", "resource": "User"}
    assert wrong["__typename"] == "ValidationError"
    assert wrong["field"] == "targetId"
    assert garbage.data["follow"]["__typename"] == "ValidationError"
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert not await Follow.exists()


async def test_concurrent_toggles_leave_counts_equal_to_the_rows(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    """100 follow/unfollow toggles at once by 20 users on one creator, on PostgreSQL: each
    user ends on follow (their own calls run in order; the users' run concurrently)."""
    star = await make_user(role=Role.CREATOR, handle="star")
    fans = [await sign_in() for _ in range(20)]
    target = gid("User", star.id)

    async def toggles(token: str, times: int) -> list[str]:
        results = []
        for n in range(times):
            document = FOLLOW if n % 2 == 0 else UNFOLLOW
            reply = await gql.post(document, {"id": target}, token=token)
            assert not reply.errors, reply.errors
            results.append(next(iter(reply.data.values()))["__typename"])
        return results

    runs = await asyncio.gather(*(toggles(fan.token, 5) for fan in fans))

    assert sum(len(run) for run in runs) == 100
    assert all(name in ("FollowSuccess", "UnfollowSuccess") for run in runs for name in run)
    rows = await Follow.filter(target_kind=FollowTargetKind.USER, target_id=star.id).count()
    profile = await gql.data(PROFILE, {"handle": "star"})
    assert rows == profile["user"]["followerCount"] == 20
    assert profile["user"]["followers"]["totalCount"] == 20
    # And the same pair at once: one row, every call answered alike.
    same = await asyncio.gather(
        *(follow(gql, fans[0].token, gid("User", fans[1].user.id)) for _ in range(10))
    )
    assert {r["__typename"] for r in same} == {"FollowSuccess"}
    assert await Follow.filter(follower_id=fans[0].user.id, target_id=fans[1].user.id).count() == 1
    counts = await gql.data(PROFILE, {"handle": fans[1].user.handle})
    assert counts["user"]["followerCount"] == 1


async def test_a_deactivated_follower_leaves_the_lists_not_the_count(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana = await make_user(role=Role.CREATOR, handle="ana_d")
    fans = [await sign_in() for _ in range(2)]
    for fan in fans:
        await follow(gql, fan.token, gid("User", ana.id))
    await User.filter(id=fans[0].user.id).update(is_active=False)

    profile = await gql.data(PROFILE, {"handle": "ana_d"})

    assert profile["user"]["followerCount"] == 2
    assert [e["node"]["handle"] for e in profile["user"]["followers"]["edges"]] == [
        fans[1].user.handle
    ]


FOLLOWERS_PAGE = """
query($handle: String!, $n: Int!) { user(handle: $handle) { followerCount
  followers(first: $n) { edges { node { handle followerCount followingCount viewerFollows } } } } }
"""
USERS_PAGE = """
query($n: Int!) { users(first: $n) { edges { node { handle followerCount followingCount
  viewerFollows } } } }
"""
TOPICS_PAGE = """
query($n: Int!) { topics(first: $n) { edges { node { slug followerCount viewerFollows } } } }
"""


async def test_follow_fields_cost_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    admin = await sign_in(role=Role.ADMIN)
    star = await make_user(role=Role.CREATOR, handle="star")
    fans = [await make_user() for _ in range(55)]
    topics = [await Topic.create(slug=f"t{n}", name=f"t{n}", post_count=1) for n in range(55)]
    rows = [
        Follow(follower_id=f.id, target_kind=FollowTargetKind.USER, target_id=star.id) for f in fans
    ]
    rows += [
        Follow(follower_id=admin.user.id, target_kind=FollowTargetKind.USER, target_id=f.id)
        for f in fans[::2]
    ]
    rows += [
        Follow(follower_id=admin.user.id, target_kind=FollowTargetKind.TOPIC, target_id=t.id)
        for t in topics[::3]
    ]
    await Follow.bulk_create(rows)
    await gql.data("{ viewer { id } }", token=admin.token)  # the session's last use, written

    # The session, then: the user, the follows page, the user's count, the followers, their
    # follower and following counts, the viewer's follows (8); the users page and its three
    # (5); the topics page, counts, the viewer's follows (4).
    for document, variables, statements in (
        (FOLLOWERS_PAGE, {"handle": "star"}, 8),
        (USERS_PAGE, {}, 5),
        (TOPICS_PAGE, {}, 4),
    ):
        small = await gql.post(document, {**variables, "n": 5}, token=admin.token)
        large = await gql.post(document, {**variables, "n": 50}, token=admin.token)
        assert not small.errors, small.errors
        assert not large.errors, large.errors
        root = next(iter(large.data.values()))
        edges = root.get("followers", root)["edges"]
        assert len(edges) == 50
        assert any(e["node"]["viewerFollows"] for e in edges)
        assert not all(e["node"]["viewerFollows"] for e in edges)
        assert small.sql == large.sql == statements, (document, small.sql, large.sql)
