"""The SQL statements a page costs do not grow with its size: communities, members, posts."""

from __future__ import annotations

from datetime import UTC, datetime

from models.accounts import Role
from models.communities import (
    Community,
    CommunityMember,
    CommunityVisibility,
    MemberRole,
    MemberStatus,
)
from models.content import Post, PostStatus
from models.social import Follow, FollowTargetKind
from tests.factories import MakeUser, SignIn
from tests.utils import GraphQLClient

COMMUNITIES_PAGE = """
query($n: Int!) { communities(first: $n) { edges { node {
  slug memberCount followerCount viewerFollows avatar { id }
  viewerMembership { role status muted } } } } }
"""
MEMBERS_PAGE = """
query($n: Int!) { community(slug: "big") { memberCount
  members(first: $n) { edges { node { role status banned user { handle } } } } } }
"""
POSTS_PAGE = """
query($n: Int!) { community(slug: "big") {
  posts(first: $n) { edges { node { slug author { handle } community { slug }
    topics { slug } } } } } }
"""
COMMUNITY = FollowTargetKind.COMMUNITY
ROOT_POSTS = """
query($n: Int!) { posts(first: $n) { edges { node { slug community { slug memberCount } } } } }
"""


async def test_pages_cost_the_same_sql_for_5_and_50(
    gql: GraphQLClient, sign_in: SignIn, make_user: MakeUser
) -> None:
    viewer = await sign_in()
    owner = await make_user(role=Role.CREATOR)
    people = [await make_user() for _ in range(55)]
    await Community.bulk_create(
        [
            Community(
                slug=f"c{n:02}",
                name=f"C{n}",
                creator_id=owner.id,
                visibility=CommunityVisibility.PRIVATE if n % 2 else CommunityVisibility.PUBLIC,
            )
            for n in range(90)
        ]
    )
    communities = list(await Community.all().order_by("id"))
    big = await Community.create(slug="big", name="Big", creator_id=owner.id)
    members = [
        CommunityMember(community_id=c.id, user_id=viewer.user.id, status=MemberStatus.ACTIVE)
        for c in communities[::3]
    ]
    members += [
        CommunityMember(
            community_id=big.id,
            user_id=p.id,
            status=MemberStatus.ACTIVE,
            role=MemberRole.MODERATOR if n % 5 == 0 else MemberRole.MEMBER,
        )
        for n, p in enumerate(people)
    ]
    await CommunityMember.bulk_create(members)
    await Follow.bulk_create(
        [
            Follow(
                follower_id=viewer.user.id, target_kind=FollowTargetKind.COMMUNITY, target_id=c.id
            )
            for c in communities[::4]
        ]
    )
    now = datetime.now(UTC)
    await Post.bulk_create(
        [
            Post(
                author_id=people[n].id,
                slug=f"p{n}",
                title=f"P{n}",
                community_id=big.id if n % 2 else communities[n].id,
                status=PostStatus.PUBLISHED,
                published_at=now,
            )
            for n in range(55)
        ]
        + [
            Post(
                author_id=people[n].id,
                slug=f"big{n}",
                title=f"Big {n}",
                community_id=big.id,
                status=PostStatus.PUBLISHED,
                published_at=now,
            )
            for n in range(55)
        ]
    )
    await gql.data("{ viewer { id } }", token=viewer.token)  # the session's last use, written

    counts = {}
    for name, document in (
        ("communities", COMMUNITIES_PAGE),
        ("members", MEMBERS_PAGE),
        ("posts", POSTS_PAGE),
        ("root posts", ROOT_POSTS),
    ):
        small = await gql.post(document, {"n": 5}, token=viewer.token)
        large = await gql.post(document, {"n": 50}, token=viewer.token)
        assert not small.errors, small.errors
        assert not large.errors, large.errors
        root = next(iter(large.data.values()))
        connection = root.get("members") or root.get("posts") or root
        assert len(connection["edges"]) == 50, name
        counts[name] = (small.sql, large.sql)
    # The session, the page (private communities filtered in SQL), then one batched statement
    # per relation asked for (counts, the viewer's memberships and follows, users, topics,
    # the posts' communities), whatever the page size.
    assert counts == {
        "communities": (6, 6),
        "members": (6, 6),
        "posts": (6, 6),
        "root posts": (4, 4),
    }
