"""Social: who follows whom (users, topics, communities), and tracked share links.

One `follows` table for every kind of followee, keyed by (kind, id), rather than one table per
kind: a home feed asks "everything this user follows" and fan-out asks "everyone who follows
this", each one index scan whatever the kinds, and a new kind (COMMUNITY) is an enum value,
not a table, a model and a second set of queries. The price is no foreign key on `target_id`:
targets are checked when the follow is made, and users and topics are never deleted (users are
deactivated). Counts are counted from these rows (resolvers/social/loaders.py), so they cannot
drift from them.

A share link's `clicks` holds the clicks flushed from Redis by the worker
(resolvers/social/clicks.py); its orders and GMV are summed from order lines carrying its code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class FollowTargetKind(StrEnum):
    USER = "user"
    TOPIC = "topic"
    COMMUNITY = "community"


class Follow(Model):
    id = fields.BigIntField(primary_key=True)
    follower: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="follows", on_delete=fields.OnDelete.CASCADE
    )
    target_kind = fields.CharEnumField(FollowTargetKind, max_length=12)
    target_id = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    follower_id: int

    class Meta:
        table = "follows"
        # Also the index of "what does this user follow" (by its leading column).
        unique_together = (("follower", "target_kind", "target_id"),)
        # "Who follows this": counts and follower lists, newest first.
        indexes = (("target_kind", "target_id", "id"),)


class ShareTargetKind(StrEnum):
    POST = "post"
    PRODUCT = "product"
    USER = "user"
    TOPIC = "topic"


class ShareChannel(StrEnum):
    WECHAT = "wechat"
    WEIBO = "weibo"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    SMS = "sms"
    EMAIL = "email"
    COPY = "copy"
    OTHER = "other"


class ShareLink(Model):
    id = fields.BigIntField(primary_key=True)
    # Random base62 (resolvers/social/share_links.py); what order lines' share_code holds.
    code = fields.CharField(max_length=40, unique=True)
    sharer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="share_links", on_delete=fields.OnDelete.CASCADE
    )
    target_kind = fields.CharEnumField(ShareTargetKind, max_length=12)
    target_id = fields.BigIntField()
    channel = fields.CharEnumField(ShareChannel, max_length=12)
    clicks = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    sharer_id: int

    class Meta:
        table = "share_links"
        # Asking again for the same link gives the same link.
        unique_together = (("sharer", "target_kind", "target_id", "channel"),)


class ShareClickFlush(Model):
    """One batch of clicks moved from Redis into `share_links.clicks`: a batch applied once
    is never applied again, even when the worker dies before it deletes the batch in Redis."""

    id = fields.BigIntField(primary_key=True)
    batch = fields.CharField(max_length=36, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "share_click_flushes"
