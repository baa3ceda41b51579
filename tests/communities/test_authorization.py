"""The authorization matrix: every community mutation x every kind of caller (tests/authz.py).

The owner is the world's buyer, OWNER of a PUBLIC, OPEN community. Moderation (requests,
invites, roles, mutes, bans, pins) and edits are for the owner and platform admins (who act
as a community ADMIN everywhere); platform moderators have no standing in a community. Anyone
signed in creates, joins and leaves communities, as themself (apps: write:content); the owner
cannot leave before handing over (ConflictError).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.communities import Community, CommunityMember, CommunityPin, MemberStatus
from models.content import Post, PostStatus
from resolvers.principal import Scope
from schema.communities import CommunityMutation
from tests.authz import Actor, Matrix, World, row
from tests.utils import gid

SIGNED_IN: list[Actor] = ["other_user", "other_merchant", "owner", "moderator", "admin"]
MODERATORS: list[Actor] = ["owner", "admin"]


async def _scene(w: World) -> None:
    community = await Community.create(slug="matrix", name="Matrix", creator_id=w.buyer.user.id)
    people = {name: await w.sign_in() for name in ("member", "asker", "invitee", "banned")}
    statuses = {"member": MemberStatus.ACTIVE, "asker": MemberStatus.PENDING}
    statuses["banned"] = MemberStatus.BANNED
    await CommunityMember.create(
        community_id=community.id, user_id=w.buyer.user.id, role="owner", status="active"
    )
    for name, status in statuses.items():
        await CommunityMember.create(
            community_id=community.id, user_id=people[name].user.id, status=status
        )
    now = datetime.now(UTC)
    posts = [
        await Post.create(
            author_id=w.buyer.user.id,
            slug=f"matrix-{n}",
            title=f"Matrix {n}",
            community_id=community.id,
            status=PostStatus.PUBLISHED,
            published_at=now,
        )
        for n in range(2)
    ]
    await CommunityPin.create(community_id=community.id, post_id=posts[1].id)
    w.scene.update(
        community=gid("Community", community.id),
        posts=[gid("Post", post.id) for post in posts],
        **{name: gid("User", person.user.id) for name, person in people.items()},
        people=[w.buyer.user.id, *(person.user.id for person in people.values())],
    )


async def _snapshot(w: World) -> Any:
    """The owner's community, the memberships of the owner and the scene's people (not the
    actors', who join and leave as themselves), and its pins."""
    community = await Community.get(slug="matrix")
    members = (
        await CommunityMember.filter(community_id=community.id, user_id__in=w.scene["people"])
        .order_by("id")
        .values_list("user_id", "role", "status", "muted", "muted_until", "banned_until")
    )
    pins = (
        await CommunityPin.filter(community_id=community.id)
        .order_by("id")
        .values_list("post_id", "announcement")
    )
    fields = (community.name, community.theme, community.join_policy, community.visibility)
    return fields, members, pins


def _on(target: str | None = None, **extra: Any) -> Any:
    def build(w: World) -> dict[str, Any]:
        variables: dict[str, Any] = {"c": w.scene["community"], **extra}
        if target is not None:
            variables["u"] = w.scene[target]
        return variables

    return build


def _post(index: int) -> Any:
    def build(w: World) -> dict[str, Any]:
        return {"c": w.scene["community"], "p": w.scene["posts"][index]}

    return build


WRITE: dict[str, Any] = {"scope": Scope.WRITE_CONTENT}
C = "$c: ID!"
U = "$c: ID!, $u: ID!"

MATRIX = Matrix(
    domain=[CommunityMutation],
    scene=_scene,
    snapshot=_snapshot,
    rows=[
        row(
            "createCommunity",
            'mutation { createCommunity(input: {name: "Mine"}) { __typename } }',
            allowed=SIGNED_IN,
            success="CreateCommunitySuccess",
            own_only=True,  # a new community of one's own; the owner's stays as it was
            **WRITE,
        ),
        row(
            "updateCommunity",
            f'mutation({C}) {{ updateCommunity(communityId: $c, input: {{theme: "x"}}) '
            "{ __typename } }",
            _on(),
            allowed=MODERATORS,
            success="UpdateCommunitySuccess",
            **WRITE,
        ),
        row(  # others join as themselves; the owner is a member already
            "joinCommunity",
            f"mutation({C}) {{ joinCommunity(communityId: $c) {{ __typename }} }}",
            _on(),
            allowed=SIGNED_IN,
            success="JoinCommunitySuccess",
            own_only=True,
            **WRITE,
        ),
        row(
            "leaveCommunity",
            f"mutation({C}) {{ leaveCommunity(communityId: $c) {{ __typename }} }}",
            _on(),
            allowed=["other_user", "other_merchant", "moderator", "admin"],
            success="LeaveCommunitySuccess",
            refusals={"owner": "ConflictError"},  # hand over first
            own_only=True,
            **WRITE,
        ),
        row(
            "approveJoinRequest",
            f"mutation({U}) {{ approveJoinRequest(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("asker"),
            allowed=MODERATORS,
            success="ApproveJoinRequestSuccess",
            **WRITE,
        ),
        row(
            "rejectJoinRequest",
            f"mutation({U}) {{ rejectJoinRequest(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("asker"),
            allowed=MODERATORS,
            success="RejectJoinRequestSuccess",
            **WRITE,
        ),
        row(
            "inviteToCommunity",
            f"mutation({U}) {{ inviteToCommunity(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("invitee"),
            allowed=MODERATORS,
            success="InviteToCommunitySuccess",
            **WRITE,
        ),
        row(
            "setMemberRole",
            f"mutation({U}) {{ setMemberRole(communityId: $c, userId: $u, role: MODERATOR) "
            "{ __typename } }",
            _on("member"),
            allowed=MODERATORS,
            success="SetMemberRoleSuccess",
            **WRITE,
        ),
        row(
            "muteMember",
            f"mutation({U}) {{ muteMember(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("member"),
            allowed=MODERATORS,
            success="MuteMemberSuccess",
            **WRITE,
        ),
        row(  # the member is not muted: an allowed unmute changes nothing
            "unmuteMember",
            f"mutation({U}) {{ unmuteMember(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("member"),
            allowed=MODERATORS,
            success="UnmuteMemberSuccess",
            **WRITE,
        ),
        row(
            "banMember",
            f"mutation({U}) {{ banMember(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("member"),
            allowed=MODERATORS,
            success="BanMemberSuccess",
            **WRITE,
        ),
        row(
            "unbanMember",
            f"mutation({U}) {{ unbanMember(communityId: $c, userId: $u) {{ __typename }} }}",
            _on("banned"),
            allowed=MODERATORS,
            success="UnbanMemberSuccess",
            **WRITE,
        ),
        row(
            "pinPost",
            f"mutation({C}, $p: ID!) {{ pinPost(communityId: $c, postId: $p, "
            "announcement: true) { __typename } }",
            _post(0),
            allowed=MODERATORS,
            success="PinPostSuccess",
            **WRITE,
        ),
        row(
            "unpinPost",
            f"mutation({C}, $p: ID!) {{ unpinPost(communityId: $c, postId: $p) {{ __typename }} }}",
            _post(1),
            allowed=MODERATORS,
            success="UnpinPostSuccess",
            **WRITE,
        ),
    ],
)
test_every_community_mutation_is_in_the_matrix = MATRIX.coverage_test()
test_authorization_matrix = MATRIX.test()
