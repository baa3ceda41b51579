"""What the community mutations return: success types and their payload unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.communities.types import Community, CommunityMember
from schema.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError

COMMUNITY_NOW = "The community as it is now (`memberCount`, `viewerMembership`, pins)."
MEMBER_NOW = "Their membership as it is now."


@strawberry.type(description="The new community; you are its OWNER.")
class CreateCommunitySuccess:
    community: Community = strawberry.field(description="The new community.")


@strawberry.type(description="The community after the edit.")
class UpdateCommunitySuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(
    description="You are a member (OPEN, or you were invited), or your request waits for a "
    "moderator (APPROVAL): see `community.viewerMembership.status`."
)
class JoinCommunitySuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="You are no longer a member, nor asking, nor invited.")
class LeaveCommunitySuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="The request is approved: they are a member.")
class ApproveJoinRequestSuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="The request is rejected and gone; they may ask again.")
class RejectJoinRequestSuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="They are invited (or, if they had asked to join, a member).")
class InviteToCommunitySuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="Their role is changed.")
class SetMemberRoleSuccess:
    member: CommunityMember = strawberry.field(description=MEMBER_NOW)


@strawberry.type(description="They are muted: they stay a member but cannot post.")
class MuteMemberSuccess:
    member: CommunityMember = strawberry.field(description=MEMBER_NOW)


@strawberry.type(description="They may post again.")
class UnmuteMemberSuccess:
    member: CommunityMember = strawberry.field(description=MEMBER_NOW)


@strawberry.type(description="They are banned: no longer a member, and cannot join or post.")
class BanMemberSuccess:
    member: CommunityMember = strawberry.field(description=MEMBER_NOW)


@strawberry.type(description="The ban is lifted; they may join again like anyone.")
class UnbanMemberSuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="The post is pinned (as an announcement if asked).")
class PinPostSuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


@strawberry.type(description="The post is no longer pinned (or never was).")
class UnpinPostSuccess:
    community: Community = strawberry.field(description=COMMUNITY_NOW)


_ERRORS = ValidationError | NotFoundError | PermissionDeniedError | ConflictError


CreateCommunityPayload = Annotated[
    CreateCommunitySuccess | ValidationError,
    strawberry.union("CreateCommunityPayload", description="The new community, or why not."),
]
UpdateCommunityPayload = Annotated[
    UpdateCommunitySuccess | _ERRORS,
    strawberry.union("UpdateCommunityPayload", description="The edited community, or why not."),
]
JoinCommunityPayload = Annotated[
    JoinCommunitySuccess | _ERRORS,
    strawberry.union("JoinCommunityPayload", description="Your membership or request, or why not."),
]
LeaveCommunityPayload = Annotated[
    LeaveCommunitySuccess | _ERRORS,
    strawberry.union(
        "LeaveCommunityPayload",
        description="Done, or why not (ConflictError: the owner must hand over first).",
    ),
]
ApproveJoinRequestPayload = Annotated[
    ApproveJoinRequestSuccess | _ERRORS,
    strawberry.union("ApproveJoinRequestPayload", description="Approved, or why not."),
]
RejectJoinRequestPayload = Annotated[
    RejectJoinRequestSuccess | _ERRORS,
    strawberry.union("RejectJoinRequestPayload", description="Rejected, or why not."),
]
InviteToCommunityPayload = Annotated[
    InviteToCommunitySuccess | _ERRORS,
    strawberry.union("InviteToCommunityPayload", description="Invited, or why not."),
]
SetMemberRolePayload = Annotated[
    SetMemberRoleSuccess | _ERRORS,
    strawberry.union("SetMemberRolePayload", description="The new role, or why not."),
]
MuteMemberPayload = Annotated[
    MuteMemberSuccess | _ERRORS,
    strawberry.union("MuteMemberPayload", description="Muted, or why not."),
]
UnmuteMemberPayload = Annotated[
    UnmuteMemberSuccess | _ERRORS,
    strawberry.union("UnmuteMemberPayload", description="Unmuted, or why not."),
]
BanMemberPayload = Annotated[
    BanMemberSuccess | _ERRORS,
    strawberry.union("BanMemberPayload", description="Banned, or why not."),
]
UnbanMemberPayload = Annotated[
    UnbanMemberSuccess | _ERRORS,
    strawberry.union("UnbanMemberPayload", description="The ban is lifted, or why not."),
]
PinPostPayload = Annotated[
    PinPostSuccess | _ERRORS,
    strawberry.union("PinPostPayload", description="Pinned, or why not."),
]
UnpinPostPayload = Annotated[
    UnpinPostSuccess | _ERRORS,
    strawberry.union("UnpinPostPayload", description="Unpinned, or why not."),
]
