"""Communities (社群): groups with a join policy, member roles, mutes and bans, and pinned posts.

A membership row is the one record of a person's relation to a community: a join request
(PENDING), an invite (INVITED), a member (ACTIVE) or a ban (BANNED). One row, not a table per
state, so the unique (community, user) settles every race between join, invite, approve and
ban. Member counts are counted from these rows (resolvers/communities/loaders.py), so they
cannot drift from them.

Mutes and bans carry an optional `until`; nothing expires them. Every read compares them with
the time of the read: a mute past its `until` mutes nobody, and a ban past its `until` bans
nobody. A ban ends the membership (the row keeps the ban); once it ends, by its `until` or by
unbanMember, its user may join again like anyone else.

A post is in a community through `posts.community_id` (models/content.py), and is pinned there
through a `community_pins` row; a pin flagged `announcement` is an announcement.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:
    from models.accounts import User
    from models.content import Post


class JoinPolicy(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITE = "invite"


class CommunityVisibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class MemberRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MODERATOR = "moderator"
    MEMBER = "member"


class MemberStatus(StrEnum):
    PENDING = "pending"  # asked to join an APPROVAL community
    INVITED = "invited"  # invited by a moderator; joining accepts
    ACTIVE = "active"
    BANNED = "banned"  # until `banned_until` (null: for good)


class Community(TimestampedModel):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=80)
    theme = fields.CharField(max_length=40, default="")
    description = fields.TextField(default="")
    rules: list[str] = fields.JSONField(default=list)
    # A media row id (models/media.py), the creator's READY upload; no foreign key, as posts
    # keep theirs: a deleted upload simply stops showing.
    avatar_media_id = fields.BigIntField(null=True)
    join_policy = fields.CharEnumField(JoinPolicy, max_length=10, default=JoinPolicy.OPEN)
    visibility = fields.CharEnumField(
        CommunityVisibility, max_length=10, default=CommunityVisibility.PUBLIC, db_index=True
    )
    creator: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="created_communities", on_delete=fields.OnDelete.CASCADE
    )

    # Hidden by site staff (resolvers/moderation): gone from listings and its page, and its
    # posts with it, for everyone but staff, until restored.
    hidden_at = fields.DatetimeField(null=True)
    hidden_by_id = fields.BigIntField(null=True)

    creator_id: int

    class Meta:
        table = "communities"


class CommunityMember(Model):
    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="members", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="community_memberships", on_delete=fields.OnDelete.CASCADE
    )
    role = fields.CharEnumField(MemberRole, max_length=10, default=MemberRole.MEMBER)
    status = fields.CharEnumField(MemberStatus, max_length=10)
    muted = fields.BooleanField(default=False)
    muted_until = fields.DatetimeField(null=True)  # null while muted: for good
    banned_until = fields.DatetimeField(null=True)  # null while BANNED: for good
    invited_by_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    community_id: int
    user_id: int

    class Meta:
        table = "community_members"
        # Also the index of "the caller's membership" (visibility checks, by its leading column).
        unique_together = (("user", "community"),)
        # Member lists and counts per community and status.
        indexes = (("community_id", "status", "id"),)


class CommunityPin(Model):
    """A post pinned at the top of its community, flagged or not as an announcement."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="pins", on_delete=fields.OnDelete.CASCADE
    )
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="pins", on_delete=fields.OnDelete.CASCADE
    )
    announcement = fields.BooleanField(default=False)
    pinned_by_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    community_id: int
    post_id: int

    class Meta:
        table = "community_pins"
        unique_together = (("community", "post"),)
