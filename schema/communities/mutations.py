"""The community mutations: create and edit, join and leave, requests, invites, roles,
mutes, bans and pins. Every one needs a signed-in user (apps: write:content)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models.communities import CommunityVisibility as CommunityVisibilityModel
from models.communities import JoinPolicy as JoinPolicyModel
from models.communities import MemberRole as MemberRoleModel
from resolvers import communities
from schema.base import Info, decode_id
from schema.communities.payloads import (
    ApproveJoinRequestPayload,
    ApproveJoinRequestSuccess,
    BanMemberPayload,
    BanMemberSuccess,
    CreateCommunityPayload,
    CreateCommunitySuccess,
    InviteToCommunityPayload,
    InviteToCommunitySuccess,
    JoinCommunityPayload,
    JoinCommunitySuccess,
    LeaveCommunityPayload,
    LeaveCommunitySuccess,
    MuteMemberPayload,
    MuteMemberSuccess,
    PinPostPayload,
    PinPostSuccess,
    RejectJoinRequestPayload,
    RejectJoinRequestSuccess,
    SetMemberRolePayload,
    SetMemberRoleSuccess,
    UnbanMemberPayload,
    UnbanMemberSuccess,
    UnmuteMemberPayload,
    UnmuteMemberSuccess,
    UnpinPostPayload,
    UnpinPostSuccess,
    UpdateCommunityPayload,
    UpdateCommunitySuccess,
)
from schema.communities.types import (
    Community,
    CommunityMember,
    CommunityVisibility,
    JoinPolicy,
    MemberRole,
)

CommunityId = Annotated[
    strawberry.ID, strawberry.argument(description="The community (a Community id).")
]
UserId = Annotated[strawberry.ID, strawberry.argument(description="The person (a User id).")]
Until = Annotated[
    datetime | None,
    strawberry.argument(
        description="When it ends, in the future, with a time zone; null or omitted: for good."
    ),
]


def _community(value: strawberry.ID) -> int:
    return decode_id(value, "Community", field="communityId")


def _user(value: strawberry.ID) -> int:
    return decode_id(value, "User", field="userId")


@strawberry.input(description="A new community.")
class CreateCommunityInput:
    name: str = strawberry.field(description="1-80 characters; the slug is made from it.")
    theme: str = strawberry.field(default="", description="A short theme, at most 40 characters.")
    description: str = strawberry.field(
        default="", description="Plain text, at most 5,000 characters."
    )
    rules: list[str] = strawberry.field(
        default_factory=list, description="House rules, at most 20 of 1-300 characters each."
    )
    avatar_media_id: strawberry.ID | None = strawberry.field(
        default=None, description="The avatar: a READY image you uploaded (a Media id)."
    )
    join_policy: JoinPolicy = strawberry.field(  # type: ignore[valid-type]
        default=JoinPolicyModel.OPEN, description="How people join; OPEN if omitted."
    )
    visibility: CommunityVisibility = strawberry.field(  # type: ignore[valid-type]
        default=CommunityVisibilityModel.PUBLIC,
        description="PUBLIC (the default) or PRIVATE.",
    )


@strawberry.input(description="Changes to a community; omitted fields stay as they are.")
class UpdateCommunityInput:
    name: str | None = strawberry.field(
        default=None, description="A new name; the slug does not change."
    )
    theme: str | None = strawberry.field(default=None, description="A new theme.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    rules: list[str] | None = strawberry.field(
        default=None, description="The new full list of rules, replacing the old."
    )
    avatar_media_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new avatar (a READY Media id you uploaded); null removes it.",
    )
    join_policy: JoinPolicy | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="A new join policy; pending requests and invites stay."
    )
    visibility: CommunityVisibility | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="PUBLIC or PRIVATE."
    )


def _avatar(value: strawberry.ID | None) -> int | None:
    if not isinstance(value, str):
        return None
    return decode_id(value, "Media", field="avatarMediaId")


@strawberry.type
class CommunityMutation:
    @strawberry.mutation(
        description="Create a community; you become its OWNER. Any signed-in user; apps need "
        "write:content."
    )
    async def create_community(
        self,
        info: Info,
        input: Annotated[CreateCommunityInput, strawberry.argument(description="Its fields.")],
    ) -> CreateCommunityPayload | None:
        changes = communities.CommunityChanges(
            theme=input.theme,
            description=input.description,
            rules=input.rules,
            avatar_media_id=_avatar(input.avatar_media_id),
            join_policy=input.join_policy,
            visibility=input.visibility,
        )
        row = await communities.create_community(info.context, changes, input.name)
        return CreateCommunitySuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Edit a community: its owner and admins (and platform admins)."
    )
    async def update_community(
        self,
        info: Info,
        community_id: CommunityId,
        input: Annotated[UpdateCommunityInput, strawberry.argument(description="The changes.")],
    ) -> UpdateCommunityPayload | None:
        changes = communities.CommunityChanges(
            name=input.name,
            theme=input.theme,
            description=input.description,
            rules=input.rules,
            avatar_media_id=_avatar(input.avatar_media_id),
            clear_avatar=input.avatar_media_id is None,
            join_policy=input.join_policy,
            visibility=input.visibility,
        )
        row = await communities.update_community(info.context, _community(community_id), changes)
        return UpdateCommunitySuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Join: OPEN communities at once; APPROVAL ones by a request a moderator "
        "approves; INVITE ones only with an invite (an invite admits under every policy). "
        "Banned people cannot. Joining again changes nothing."
    )
    async def join_community(
        self, info: Info, community_id: CommunityId
    ) -> JoinCommunityPayload | None:
        row = await communities.join_community(info.context, _community(community_id))
        return JoinCommunitySuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Leave (or withdraw your request, or decline an invite); not being in it "
        "is no error. The owner must first hand the community over (setMemberRole OWNER); a "
        "ban cannot be left."
    )
    async def leave_community(
        self, info: Info, community_id: CommunityId
    ) -> LeaveCommunityPayload | None:
        row = await communities.leave_community(info.context, _community(community_id))
        return LeaveCommunitySuccess(community=Community.from_model(row))

    @strawberry.mutation(description="Approve a join request: moderators and above.")
    async def approve_join_request(
        self, info: Info, community_id: CommunityId, user_id: UserId
    ) -> ApproveJoinRequestPayload | None:
        row = await communities.approve_join_request(
            info.context, _community(community_id), _user(user_id)
        )
        return ApproveJoinRequestSuccess(community=Community.from_model(row))

    @strawberry.mutation(description="Reject a join request: moderators and above.")
    async def reject_join_request(
        self, info: Info, community_id: CommunityId, user_id: UserId
    ) -> RejectJoinRequestPayload | None:
        row = await communities.reject_join_request(
            info.context, _community(community_id), _user(user_id)
        )
        return RejectJoinRequestSuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Invite someone (they accept with joinCommunity; a pending request is "
        "approved instead): moderators and above."
    )
    async def invite_to_community(
        self, info: Info, community_id: CommunityId, user_id: UserId
    ) -> InviteToCommunityPayload | None:
        row = await communities.invite_to_community(
            info.context, _community(community_id), _user(user_id)
        )
        return InviteToCommunitySuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Change a member's role: owners and admins, for members below them, up to "
        "their own role. OWNER hands the community over: the owner becomes an ADMIN."
    )
    async def set_member_role(
        self,
        info: Info,
        community_id: CommunityId,
        user_id: UserId,
        role: Annotated[
            MemberRole,  # type: ignore[valid-type]
            strawberry.argument(description="The new role."),
        ],
    ) -> SetMemberRolePayload | None:
        row = await communities.set_member_role(
            info.context, _community(community_id), _user(user_id), MemberRoleModel(role)
        )
        return SetMemberRoleSuccess(member=CommunityMember.from_model(row))

    @strawberry.mutation(
        description="Mute a member below you (they cannot post) until `until`, or for good: "
        "moderators and above. Muting again replaces the end."
    )
    async def mute_member(
        self, info: Info, community_id: CommunityId, user_id: UserId, until: Until = None
    ) -> MuteMemberPayload | None:
        row = await communities.mute_member(
            info.context, _community(community_id), _user(user_id), until
        )
        return MuteMemberSuccess(member=CommunityMember.from_model(row))

    @strawberry.mutation(description="Lift a mute: moderators and above.")
    async def unmute_member(
        self, info: Info, community_id: CommunityId, user_id: UserId
    ) -> UnmuteMemberPayload | None:
        row = await communities.unmute_member(
            info.context, _community(community_id), _user(user_id)
        )
        return UnmuteMemberSuccess(member=CommunityMember.from_model(row))

    @strawberry.mutation(
        description="Ban someone below you (a member or anyone) until `until`, or for good: "
        "moderators and above. A ban ends the membership; the banned cannot join or post. "
        "It ends by itself at `until` (checked on every read), or by unbanMember."
    )
    async def ban_member(
        self, info: Info, community_id: CommunityId, user_id: UserId, until: Until = None
    ) -> BanMemberPayload | None:
        row = await communities.ban_member(
            info.context, _community(community_id), _user(user_id), until
        )
        return BanMemberSuccess(member=CommunityMember.from_model(row))

    @strawberry.mutation(description="Lift a ban: moderators and above.")
    async def unban_member(
        self, info: Info, community_id: CommunityId, user_id: UserId
    ) -> UnbanMemberPayload | None:
        row = await communities.unban_member(info.context, _community(community_id), _user(user_id))
        return UnbanMemberSuccess(community=Community.from_model(row))

    @strawberry.mutation(
        description="Pin a published post of the community (at most 10 pins), optionally as "
        "an announcement: moderators and above. Pinning again sets the flag."
    )
    async def pin_post(
        self,
        info: Info,
        community_id: CommunityId,
        post_id: Annotated[strawberry.ID, strawberry.argument(description="The post (a Post id).")],
        announcement: Annotated[
            bool,
            strawberry.argument(description="Show it among the community's announcements."),
        ] = False,
    ) -> PinPostPayload | None:
        row = await communities.pin_post(
            info.context,
            _community(community_id),
            decode_id(post_id, "Post", field="postId"),
            announcement=announcement,
        )
        return PinPostSuccess(community=Community.from_model(row))

    @strawberry.mutation(description="Unpin a post: moderators and above.")
    async def unpin_post(
        self,
        info: Info,
        community_id: CommunityId,
        post_id: Annotated[strawberry.ID, strawberry.argument(description="The post (a Post id).")],
    ) -> UnpinPostPayload | None:
        row = await communities.unpin_post(
            info.context, _community(community_id), decode_id(post_id, "Post", field="postId")
        )
        return UnpinPostSuccess(community=Community.from_model(row))
