"""Creating communities, joining under each policy, leaving, requests, invites, roles, and
member counts that stay exact under concurrent joins and leaves."""

from __future__ import annotations

import asyncio

import pytest

from models.communities import Community, CommunityMember, MemberStatus
from models.media import Media, MediaKind, MediaStatus
from tests.communities.support import (
    APPROVE,
    CREATE,
    INVITE,
    JOIN,
    LEAVE,
    REJECT,
    SET_ROLE,
    UPDATE,
    act,
    create_community,
)
from tests.factories import SignedInUser, SignIn
from tests.utils import GraphQLClient, gid

MEMBERS = """
query($slug: String!, $first: Int, $role: MemberRole, $status: MemberStatus) {
  community(slug: $slug) { memberCount
    members(first: $first, role: $role, status: $status) {
      totalCount edges { node { role status user { handle } } } } } }
"""


@pytest.mark.smoke
async def test_the_creator_owns_it_and_slugs_are_unique(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    ana, bo = await sign_in(), await sign_in()

    first = await create_community(
        gql, ana.token, "  Tea   Lovers ", theme="tea", rules=["Be kind."], description="Cups."
    )
    second = await create_community(gql, bo.token, "Tea Lovers")

    assert first["slug"] == "tea-lovers"
    assert second["slug"] == "tea-lovers-2"
    assert first["name"] == "Tea Lovers"
    assert (first["theme"], first["rules"], first["description"]) == ("tea", ["Be kind."], "Cups.")
    assert (first["joinPolicy"], first["visibility"]) == ("OPEN", "PUBLIC")
    assert first["memberCount"] == 1
    assert first["viewerMembership"] == {
        "role": "OWNER",
        "status": "ACTIVE",
        "muted": False,
        "banned": False,
    }


async def test_bad_input_changes_nothing(gql: GraphQLClient, sign_in: SignIn) -> None:
    ana, bo = await sign_in(), await sign_in()
    theirs = await Media.create(
        owner_id=bo.user.id,
        kind=MediaKind.IMAGE,
        status=MediaStatus.READY,
        key="media/theirs/original.png",
        content_type="image/png",
        byte_size=10,
    )
    cases = {
        "name": {"name": "   "},
        "theme": {"name": "A", "theme": "t" * 41},
        "rules": {"name": "A", "rules": ["ok"] * 21},
        "avatarMediaId": {"name": "A", "avatarMediaId": gid("Media", theirs.id)},
    }
    for field, given in cases.items():
        got = (await gql.data(CREATE, {"input": given}, token=ana.token))["createCommunity"]
        assert (got["__typename"], got["field"]) == ("ValidationError", field), field
    wrong_id = await gql.post(
        CREATE, {"input": {"name": "A", "avatarMediaId": "nope"}}, token=ana.token
    )
    assert wrong_id.data["createCommunity"]["__typename"] == "ValidationError"
    bad_policy = await gql.post(
        CREATE, {"input": {"name": "A", "joinPolicy": "MAYBE"}}, token=ana.token
    )
    assert bad_policy.status < 500
    assert bad_policy.codes == ["BAD_USER_INPUT"]
    assert not await Community.exists()
    assert not await CommunityMember.exists()


async def test_join_under_each_policy(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    open_one = await create_community(gql, owner.token, "Open")
    asking = await create_community(gql, owner.token, "Asking", joinPolicy="APPROVAL")
    invited = await create_community(gql, owner.token, "Invited", joinPolicy="INVITE")

    joined = await act(gql, JOIN, fan.token, c=open_one["id"])
    again = await act(gql, JOIN, fan.token, c=open_one["id"])
    requested = await act(gql, JOIN, fan.token, c=asking["id"])
    refused = await act(gql, JOIN, fan.token, c=invited["id"])

    assert joined == again
    assert joined["community"]["memberCount"] == 2
    assert joined["community"]["viewerMembership"]["status"] == "ACTIVE"
    assert requested["community"]["memberCount"] == 1
    assert requested["community"]["viewerMembership"]["status"] == "PENDING"
    assert refused["__typename"] == "PermissionDeniedError"

    fan_id = gid("User", fan.user.id)
    approved = await act(gql, APPROVE, owner.token, c=asking["id"], u=fan_id)
    twice = await act(gql, APPROVE, owner.token, c=asking["id"], u=fan_id)
    assert approved["community"]["memberCount"] == 2
    assert twice["__typename"] == "NotFoundError"

    await act(gql, INVITE, owner.token, c=invited["id"], u=fan_id)
    invite_state = await gql.data(
        MEMBERS, {"slug": "invited", "status": "INVITED"}, token=owner.token
    )
    assert invite_state["community"]["members"]["totalCount"] == 1
    accepted = await act(gql, JOIN, fan.token, c=invited["id"])
    assert accepted["community"]["viewerMembership"]["status"] == "ACTIVE"
    assert accepted["community"]["memberCount"] == 2


async def test_reject_and_ask_again(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    asking = await create_community(gql, owner.token, "Asking", joinPolicy="APPROVAL")
    await act(gql, JOIN, fan.token, c=asking["id"])

    rejected = await act(gql, REJECT, owner.token, c=asking["id"], u=gid("User", fan.user.id))
    again = await act(gql, JOIN, fan.token, c=asking["id"])

    assert rejected["__typename"] == "RejectJoinRequestSuccess"
    assert again["community"]["viewerMembership"]["status"] == "PENDING"
    pending = await gql.data(MEMBERS, {"slug": "asking", "status": "PENDING"}, token=owner.token)
    assert pending["community"]["members"]["totalCount"] == 1
    hidden = await gql.data(MEMBERS, {"slug": "asking", "status": "PENDING"}, token=fan.token)
    assert hidden["community"]["members"] is None  # requests are for moderators


async def test_the_owner_hands_over_before_leaving(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    community = await create_community(gql, owner.token, "Handover")
    await act(gql, JOIN, fan.token, c=community["id"])

    stuck = await act(gql, LEAVE, owner.token, c=community["id"])
    handed = await act(
        gql, SET_ROLE, owner.token, c=community["id"], u=gid("User", fan.user.id), role="OWNER"
    )
    left = await act(gql, LEAVE, owner.token, c=community["id"])
    again = await act(gql, LEAVE, owner.token, c=community["id"])

    assert stuck["__typename"] == "ConflictError"
    assert handed["member"]["role"] == "OWNER"
    assert left["community"]["memberCount"] == 1
    assert left["community"]["viewerMembership"] is None
    assert again == left
    owners = await CommunityMember.filter(community__slug="handover", role="owner").count()
    assert owners == 1


async def test_roles_never_exceed_your_own(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, admin, moderator, member = [await sign_in() for _ in range(4)]
    c = (await create_community(gql, owner.token, "Ranks"))["id"]
    for person in (admin, moderator, member):
        await act(gql, JOIN, person.token, c=c)

    def uid(person: SignedInUser) -> str:
        return gid("User", person.user.id)

    assert (await act(gql, SET_ROLE, owner.token, c=c, u=uid(admin), role="ADMIN"))["member"][
        "role"
    ] == "ADMIN"
    assert (await act(gql, SET_ROLE, admin.token, c=c, u=uid(moderator), role="MODERATOR"))[
        "member"
    ]["role"] == "MODERATOR"
    refusals = [
        await act(gql, SET_ROLE, admin.token, c=c, u=uid(member), role="OWNER"),
        await act(gql, SET_ROLE, moderator.token, c=c, u=uid(member), role="MODERATOR"),
        await act(gql, SET_ROLE, admin.token, c=c, u=uid(owner), role="MEMBER"),
        await act(gql, SET_ROLE, member.token, c=c, u=uid(admin), role="MEMBER"),
    ]
    assert [r["__typename"] for r in refusals] == ["PermissionDeniedError"] * 4
    own = await act(gql, SET_ROLE, owner.token, c=c, u=uid(owner), role="MEMBER")
    assert (own["__typename"], own["field"]) == ("ValidationError", "userId")
    listed = await gql.data(MEMBERS, {"slug": "ranks", "role": "ADMIN"}, token=member.token)
    assert [e["node"]["user"]["handle"] for e in listed["community"]["members"]["edges"]] == [
        admin.user.handle
    ]


async def test_update_needs_an_admin(gql: GraphQLClient, sign_in: SignIn) -> None:
    owner, fan = await sign_in(), await sign_in()
    c = (await create_community(gql, owner.token, "Editable"))["id"]
    await act(gql, JOIN, fan.token, c=c)

    refused = await act(gql, UPDATE, fan.token, c=c, input={"name": "Mine now"})
    edited = await act(
        gql, UPDATE, owner.token, c=c, input={"name": "Edited", "joinPolicy": "APPROVAL"}
    )
    bad = await act(gql, UPDATE, owner.token, c=c, input={"rules": [""]})

    assert refused["__typename"] == "PermissionDeniedError"
    assert (edited["community"]["name"], edited["community"]["slug"]) == ("Edited", "editable")
    assert edited["community"]["joinPolicy"] == "APPROVAL"
    assert (bad["__typename"], bad["field"]) == ("ValidationError", "rules")


async def test_member_count_is_exact_under_concurrent_joins_and_leaves(
    gql: GraphQLClient, sign_in: SignIn
) -> None:
    """30 people each join, leave, join, leave, join at once (100+ calls in flight): each
    ends a member, and the count equals the rows."""
    owner = await sign_in()
    c = (await create_community(gql, owner.token, "Busy"))["id"]
    fans = [await sign_in() for _ in range(30)]

    async def toggles(token: str) -> list[str]:
        names = []
        for n in range(5):
            reply = await gql.post(JOIN if n % 2 == 0 else LEAVE, {"c": c}, token=token)
            assert not reply.errors, reply.errors
            names.append(next(iter(reply.data.values()))["__typename"])
        return names

    runs = await asyncio.gather(*(toggles(fan.token) for fan in fans))
    same = await asyncio.gather(*(gql.post(JOIN, {"c": c}, token=fans[0].token) for _ in range(10)))

    assert {name for run in runs for name in run} == {
        "JoinCommunitySuccess",
        "LeaveCommunitySuccess",
    }
    assert all(not reply.errors for reply in same)
    rows = await CommunityMember.filter(community__slug="busy", status=MemberStatus.ACTIVE).count()
    page = await gql.data(MEMBERS, {"slug": "busy", "first": 100})
    assert rows == page["community"]["memberCount"] == 31
    assert page["community"]["members"]["totalCount"] == 31
