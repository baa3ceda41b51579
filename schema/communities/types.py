"""The community object types and enums: Community, CommunityMember, roles, policies."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from models.communities import Community as CommunityModel
from models.communities import CommunityMember as CommunityMemberModel
from models.communities import CommunityVisibility as CommunityVisibilityModel
from models.communities import JoinPolicy as JoinPolicyModel
from models.communities import MemberRole as MemberRoleModel
from models.communities import MemberStatus as MemberStatusModel
from models.social import FollowTargetKind
from resolvers import communities
from resolvers.communities.loaders import member_count
from resolvers.social.loaders import follower_count, viewer_follows
from schema.accounts import User
from schema.base import Info, describe_values
from schema.content import Post
from schema.media import Media, media_list
from schema.nodes import VisibleNode, build_each
from schema.pagination import After, Before, Connection, First, Last, page_args, to_connection

JoinPolicy = strawberry.enum(
    JoinPolicyModel, name="JoinPolicy", description="How people become members."
)
describe_values(
    JoinPolicy,
    {
        "OPEN": "Anyone who can see the community joins at once.",
        "APPROVAL": "Joining asks; a moderator approves or rejects the request.",
        "INVITE": "Only people a moderator invited can join.",
    },
)
CommunityVisibility = strawberry.enum(
    CommunityVisibilityModel,
    name="CommunityVisibility",
    description="Who sees a community and its posts.",
)
describe_values(
    CommunityVisibility,
    {
        "PUBLIC": "Everyone sees it and its published posts.",
        "PRIVATE": "Only its members (and those it invited) see it; only members see its "
        "posts, on every path (`node`, listings, topic pages, product pages). Outsiders get "
        "null, as for something that does not exist.",
    },
)
MemberRole = strawberry.enum(
    MemberRoleModel,
    name="MemberRole",
    description="A member's role; each can do what the ones below it can.",
)
describe_values(
    MemberRole,
    {
        "OWNER": "Exactly one: hands the community over with `setMemberRole(role: OWNER)`.",
        "ADMIN": "Edits the community and sets roles up to ADMIN of members below them.",
        "MODERATOR": "Approves requests, invites, mutes, bans and pins.",
        "MEMBER": "Posts in the community.",
    },
)
MemberStatus = strawberry.enum(
    MemberStatusModel,
    name="MemberStatus",
    description="Where someone stands with a community.",
)
describe_values(
    MemberStatus,
    {
        "PENDING": "Asked to join an APPROVAL community; waits for a moderator.",
        "INVITED": "Invited by a moderator; `joinCommunity` accepts.",
        "ACTIVE": "A member.",
        "BANNED": "Banned until `bannedUntil` (null: for good); not a member.",
    },
)


@strawberry.enum(description="How to order communities; ties go to the newest.")
class CommunitySort(Enum):
    NEWEST = "newest"
    NAME = "name"

    @property
    def order(self) -> communities.CommunityOrder:
        return communities.CommunityOrder(self.value)


describe_values(
    CommunitySort, {"NEWEST": "Most recently created first.", "NAME": "By slug, A to Z."}
)


@strawberry.enum(description="How to order a community's posts.")
class CommunityPostSort(Enum):
    NEW = "new"
    HOT = "hot"


describe_values(
    CommunityPostSort,
    {
        "NEW": "Newest first; pages both ways.",
        "HOT": "By time-decayed engagement, as `trendingFeed` ranks (of the community's newest "
        "5,000 posts, however old); a snapshot refreshed on demand every hour at most, paged "
        "forwards (`first`, `after`) only.",
    },
)


@strawberry.type(
    description="Someone's standing in a community: a member, a join request, an invite or a "
    "ban. Members are seen by whoever reads the community; requests, invites and bans only "
    "by the person concerned and the community's moderators."
)
class CommunityMember(VisibleNode):
    id: relay.NodeID[int]
    role: MemberRole = strawberry.field(  # type: ignore[valid-type]
        description="OWNER, ADMIN, MODERATOR or MEMBER (MEMBER for requests, invites, bans)."
    )
    status: MemberStatus = strawberry.field(  # type: ignore[valid-type]
        description="PENDING, INVITED, ACTIVE or BANNED (a ban that ran out reads ACTIVE "
        "only after joining again)."
    )
    created_at: datetime = strawberry.field(
        description="When they joined, asked, were invited or banned."
    )
    row: strawberry.Private[CommunityMemberModel]

    @classmethod
    def from_model(cls, row: CommunityMemberModel) -> Self:
        return cls(id=row.id, role=row.role, status=row.status, created_at=row.created_at, row=row)

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await communities.visible_memberships(info.context, ids), cls.from_model)

    @strawberry.field(description="The person; null if that account is no longer shown.")
    async def user(self, info: Info) -> User | None:
        return await User.related(info, self.row.user_id)

    @strawberry.field(description="Whether they are muted now (cannot post).")
    def muted(self) -> bool:
        return communities.is_muted(self.row)

    @strawberry.field(description="When the mute ends; null if not muted, or muted for good.")
    def muted_until(self) -> datetime | None:
        return self.row.muted_until if self.muted() else None

    @strawberry.field(description="Whether they are banned now.")
    def banned(self) -> bool:
        return communities.is_banned(self.row)

    @strawberry.field(description="When the ban ends; null if not banned, or banned for good.")
    def banned_until(self) -> datetime | None:
        return self.row.banned_until if self.banned() else None


@strawberry.type(description="A pinned post, and whether it is an announcement.")
class PinnedPost:
    post: Post = strawberry.field(description="The post.")
    announcement: bool = strawberry.field(description="True when it is pinned as an announcement.")
    pinned_at: datetime = strawberry.field(description="When it was pinned.")


@strawberry.type(
    description="A community (社群): people around a theme, with its own rules, roles and "
    "posts. PRIVATE ones, and their posts, are seen only by their members."
)
class Community(VisibleNode):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="Unique, made from the name when created; it never changes."
    )
    name: str = strawberry.field(description="Plain text, at most 80 characters.")
    theme: str = strawberry.field(description="A short theme, e.g. `tea`; may be empty.")
    description: str = strawberry.field(description="Plain text, at most 5,000 characters.")
    rules: list[str] = strawberry.field(description="The house rules, in order (at most 20).")
    join_policy: JoinPolicy = strawberry.field(  # type: ignore[valid-type]
        description="OPEN, APPROVAL or INVITE."
    )
    visibility: CommunityVisibility = strawberry.field(  # type: ignore[valid-type]
        description="PUBLIC or PRIVATE."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    row: strawberry.Private[CommunityModel]

    @classmethod
    def from_model(cls, row: CommunityModel) -> Self:
        return cls(
            id=row.id,
            slug=row.slug,
            name=row.name,
            theme=row.theme,
            description=row.description,
            rules=list(row.rules),
            join_policy=row.join_policy,
            visibility=row.visibility,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        return build_each(await communities.visible_communities(info.context, ids), cls.from_model)

    @strawberry.field(description="Its avatar image, if any.")
    async def avatar(self, info: Info) -> Media | None:
        if self.row.avatar_media_id is None:
            return None
        found = await media_list(info, [self.row.avatar_media_id])
        return found[0] if found else None

    @strawberry.field(description="How many members it has (ACTIVE); exact.")
    async def member_count(self, info: Info) -> int:
        return await info.context.loaders[member_count].load(self.row.id)

    @strawberry.field(
        description="Your standing in it (role, status, mute, ban); null when you have none "
        "or are signed out."
    )
    async def viewer_membership(self, info: Info) -> CommunityMember | None:
        row = await communities.viewer_membership(info.context, self.row.id)
        return CommunityMember.from_model(row) if row is not None else None

    @strawberry.field(description="How many users follow it; exact.")
    async def follower_count(self, info: Info) -> int:
        key = (FollowTargetKind.COMMUNITY, self.row.id)
        return await info.context.loaders[follower_count].load(key)

    @strawberry.field(description="Whether you follow it; false when signed out.")
    async def viewer_follows(self, info: Info) -> bool:
        viewer = info.context.principal.user
        if viewer is None:
            return False
        key = (viewer.id, FollowTargetKind.COMMUNITY, self.row.id)
        return await info.context.loaders[viewer_follows].load(key)

    @strawberry.field(
        description="Its members, most recent first. Other statuses (requests, invites, bans) "
        "only for its moderators; null when you may not see the list asked for."
    )
    async def members(
        self,
        info: Info,
        role: Annotated[
            MemberRole | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only members with this role."),
        ] = None,
        status: Annotated[
            MemberStatus | None,  # type: ignore[valid-type]
            strawberry.argument(description="Who to list; null means ACTIVE (the members)."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CommunityMember] | None:
        page = await communities.community_members(
            info.context,
            self.row,
            role=role,
            status=status or MemberStatusModel.ACTIVE,
            args=page_args(first, after, last, before),
        )
        return None if page is None else to_connection(page, CommunityMember.from_model)

    @strawberry.field(
        description="Its published posts, NEW (newest first) or HOT; null when you may not "
        "read them."
    )
    async def posts(
        self,
        info: Info,
        sort: Annotated[
            CommunityPostSort | None,
            strawberry.argument(description="The order; null means NEW."),
        ] = CommunityPostSort.NEW,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Post] | None:
        page = await communities.community_posts(
            info.context,
            self.row,
            page_args(first, after, last, before),
            hot=sort is CommunityPostSort.HOT,
        )
        return None if page is None else to_connection(page, Post.from_model)

    @strawberry.field(
        description="Posts pinned at the top, most recently pinned first, announcements "
        "included (at most 10)."
    )
    async def pinned_posts(self, info: Info) -> list[PinnedPost]:
        return await _pins(info, self.row, announcements_only=False)

    @strawberry.field(description="The pinned posts flagged as announcements, newest pin first.")
    async def announcements(self, info: Info) -> list[PinnedPost]:
        return await _pins(info, self.row, announcements_only=True)


async def _pins(info: Info, row: CommunityModel, *, announcements_only: bool) -> list[PinnedPost]:
    found = await communities.pinned_posts(info.context, row, announcements_only=announcements_only)
    return [
        PinnedPost(
            post=Post.from_model(post), announcement=pin.announcement, pinned_at=pin.created_at
        )
        for pin, post in found
    ]
