"""Posting into a community (members only; not banned, not muted), mutes and bans with an end
that needs no job, pins and announcements, and following communities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.communities import CommunityMember
from models.content import Post
from models.social import Follow
from tests.communities.support import (
    BAN,
    INVITE,
    JOIN,
    LEAVE,
    MUTE,
    PIN,
    SET_ROLE,
    UNBAN,
    UNMUTE,
    UNPIN,
    act,
    create_community,
    post_in,
    published_in,
)
from tests.factories import SignedInUser, SignIn
from tests.social.support import follow, unfollow
from tests.utils import GraphQLClient, gid

UPDATE_POST = """
mutation($id: ID!, $c: ID) { updatePost(postId: $id, communityId: $c) {
  __typename ... on UpdatePostSuccess { post { community { slug } } }
  ... on PermissionDeniedError { message } ... on NotFoundError { resource } } }
"""
PINS = """
query($slug: String!) { community(slug: $slug) {
  pinnedPosts { announcement post { slug } } announcements { post { slug } } } }
"""


def uid(person: SignedInUser) -> str:
    return gid("User", person.user.id)


async def _past(user: SignedInUser, **fields: datetime) -> None:
    """Move a mute's or ban's end into the past, as time passing would."""
    await CommunityMember.filter(user_id=user.user.id).update(**fields)


async def test_only_members_neither_banned_nor_muted_post(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    owner, fan, stranger = await sign_in(), await sign_in(), await sign_in()
    c = (await create_community(gql, owner.token, "Posters"))["id"]
    await act(gql, JOIN, fan.token, c=c)

    outside = await post_in(gql, stranger.token, c)
    inside = await post_in(gql, fan.token, c, "Hello crew")
    missing = await post_in(gql, fan.token, gid("Community", 987_654))
    wrong = await gql.post(
        'mutation { createPost(title: "x", communityId: "nope") { __typename } }', token=fan.token
    )

    assert outside["__typename"] == "PermissionDeniedError"
    assert inside["post"]["community"] == {"slug": "posters"}
    assert missing == {"__typename": "NotFoundError", "resource": "Community"}
    assert wrong.status < 500
    assert wrong.data["createPost"]["__typename"] == "ValidationError"
    assert await Post.filter(community_id__not_isnull=True).count() == 1

    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    muted = await act(gql, MUTE, owner.token, c=c, u=uid(fan), until=later)
    assert (muted["member"]["muted"], muted["member"]["status"]) == (True, "ACTIVE")
    assert (await post_in(gql, fan.token, c))["__typename"] == "PermissionDeniedError"
    edit = await gql.data(UPDATE_POST, {"id": inside["post"]["id"], "c": c}, token=fan.token)
    assert edit["updatePost"]["__typename"] == "PermissionDeniedError"
    await _past(fan, muted_until=datetime.now(UTC) - timedelta(seconds=1))
    assert (await post_in(gql, fan.token, c, "Unmuted by time"))["__typename"] == (
        "CreatePostSuccess"
    )
    await act(gql, MUTE, owner.token, c=c, u=uid(fan))  # for good
    assert (await post_in(gql, fan.token, c))["__typename"] == "PermissionDeniedError"
    await act(gql, UNMUTE, owner.token, c=c, u=uid(fan))
    assert (await post_in(gql, fan.token, c, "Unmuted"))["__typename"] == "CreatePostSuccess"


async def test_a_ban_ends_by_itself_at_until(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    c = (await create_community(gql, owner.token, "Banners"))["id"]
    joined = await act(gql, JOIN, fan.token, c=c)
    assert joined["community"]["memberCount"] == 2
    post = await published_in(gql, fan.token, c, "Before the ban")

    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    banned = await act(gql, BAN, owner.token, c=c, u=uid(fan), until=until)

    assert (banned["member"]["status"], banned["member"]["banned"]) == ("BANNED", True)
    assert (await post_in(gql, fan.token, c))["__typename"] == "PermissionDeniedError"
    rejoin = await act(gql, JOIN, fan.token, c=c)
    assert rejoin["__typename"] == "PermissionDeniedError"
    leave = await act(gql, LEAVE, fan.token, c=c)
    assert leave["__typename"] == "PermissionDeniedError"  # a ban cannot be left
    publish_again = await gql.data(UPDATE_POST, {"id": post["id"], "c": c}, token=fan.token)
    assert publish_again["updatePost"]["__typename"] == "PermissionDeniedError"
    count = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Community { memberCount } } }", {"id": c}
    )
    assert count["node"]["memberCount"] == 1

    await _past(fan, banned_until=datetime.now(UTC) - timedelta(seconds=1))
    back = await act(gql, JOIN, fan.token, c=c)
    assert back["community"]["viewerMembership"]["status"] == "ACTIVE"
    assert back["community"]["memberCount"] == 2
    assert (await post_in(gql, fan.token, c, "After the ban"))["__typename"] == "CreatePostSuccess"


async def test_unban_and_who_may_ban_whom(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, moderator, other_mod, fan = [await sign_in() for _ in range(4)]
    c = (await create_community(gql, owner.token, "Ranks", joinPolicy="APPROVAL"))["id"]
    for person in (moderator, other_mod, fan):
        await act(gql, INVITE, owner.token, c=c, u=uid(person))
        await act(gql, JOIN, person.token, c=c)
    for person in (moderator, other_mod):
        await act(gql, SET_ROLE, owner.token, c=c, u=uid(person), role="MODERATOR")

    peer = await act(gql, BAN, moderator.token, c=c, u=uid(other_mod))
    boss = await act(gql, BAN, moderator.token, c=c, u=uid(owner))
    by_member = await act(gql, BAN, fan.token, c=c, u=uid(moderator))
    self_ban = await act(gql, BAN, moderator.token, c=c, u=uid(moderator))
    past = await act(gql, BAN, moderator.token, c=c, u=uid(fan), until="2020-01-01T00:00:00Z")
    done = await act(gql, BAN, moderator.token, c=c, u=uid(fan))

    assert [r["__typename"] for r in (peer, boss, by_member)] == ["PermissionDeniedError"] * 3
    assert (self_ban["__typename"], self_ban["field"]) == ("ValidationError", "userId")
    assert (past["__typename"], past["field"]) == ("ValidationError", "until")
    assert (done["member"]["status"], done["member"]["banned"]) == ("BANNED", True)
    lifted = await act(gql, UNBAN, moderator.token, c=c, u=uid(fan))
    again = await act(gql, UNBAN, moderator.token, c=c, u=uid(fan))
    assert lifted["community"]["memberCount"] == 3
    assert again["__typename"] == "NotFoundError"
    asks = await act(gql, JOIN, fan.token, c=c)
    assert asks["community"]["viewerMembership"]["status"] == "PENDING"


async def test_pins_and_announcements(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    c = (await create_community(gql, owner.token, "Pinboard"))["id"]
    await act(gql, JOIN, fan.token, c=c)
    news = await published_in(gql, owner.token, c, "House news")
    tip = await published_in(gql, fan.token, c, "A tip")
    draft = (await post_in(gql, fan.token, c, "Draft"))["post"]
    outside = await published_in(
        gql, owner.token, (await create_community(gql, owner.token, "Elsewhere"))["id"], "Other"
    )

    await act(gql, PIN, owner.token, c=c, p=news["id"], a=True)
    await act(gql, PIN, owner.token, c=c, p=tip["id"], a=False)
    refused = await act(gql, PIN, fan.token, c=c, p=tip["id"], a=True)
    not_here = await act(gql, PIN, owner.token, c=c, p=outside["id"], a=False)
    unpublished = await act(gql, PIN, owner.token, c=c, p=draft["id"], a=False)

    assert refused["__typename"] == "PermissionDeniedError"
    assert (not_here["__typename"], not_here["field"]) == ("ValidationError", "postId")
    assert unpublished["__typename"] == "NotFoundError"  # a draft of someone else
    pins = (await gql.data(PINS, {"slug": "pinboard"}))["community"]
    assert pins == {
        "pinnedPosts": [
            {"announcement": False, "post": {"slug": tip["slug"]}},
            {"announcement": True, "post": {"slug": news["slug"]}},
        ],
        "announcements": [{"post": {"slug": news["slug"]}}],
    }
    await act(gql, UNPIN, owner.token, c=c, p=tip["id"])
    # Moved out of the community, a pinned post stops showing there.
    await gql.data(UPDATE_POST, {"id": news["id"], "c": None}, token=owner.token)
    assert (await gql.data(PINS, {"slug": "pinboard"}))["community"] == {
        "pinnedPosts": [],
        "announcements": [],
    }


async def test_follow_communities_one_can_see(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan, member = await sign_in(), await sign_in(), await sign_in()
    public = await create_community(gql, owner.token, "Followable")
    secret = await create_community(gql, owner.token, "Secret", visibility="PRIVATE")
    await act(gql, INVITE, owner.token, c=secret["id"], u=uid(member))
    await act(gql, JOIN, member.token, c=secret["id"])
    fields = "... on Community { slug followerCount viewerFollows }"

    followed = await gql.data(
        f"mutation($id: ID!) {{ follow(targetId: $id) {{ __typename "
        f"... on FollowSuccess {{ target {{ {fields} }} }} }} }}",
        {"id": public["id"]},
        token=fan.token,
    )
    hidden = await follow(gql, fan.token, secret["id"])
    inside = await follow(gql, member.token, secret["id"])

    assert followed["follow"]["target"] == {
        "slug": "followable",
        "followerCount": 1,
        "viewerFollows": True,
    }
    assert hidden == {"__typename": "NotFoundError", "resource": "Community"}
    assert inside["__typename"] == "FollowSuccess"
    assert await Follow.filter(follower_id=fan.user.id).count() == 1
    gone = await unfollow(gql, fan.token, public["id"])
    assert gone["__typename"] == "UnfollowSuccess"
    count = await gql.data(
        "query($id: ID!) { node(id: $id) { ... on Community { followerCount viewerFollows } } }",
        {"id": public["id"]},
        token=fan.token,
    )
    assert count["node"] == {"followerCount": 0, "viewerFollows": False}
