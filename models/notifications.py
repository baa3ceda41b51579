"""Notifications: what happened to a user's things, written by event consumers only.

Rows are made by the consumers in resolvers/notifications/consumers.py as the relay hands them
events (docs/events.md), never in the request that caused them: a slow or failing notifier
cannot slow or fail a follow, a comment or a like.

`notification_deliveries` holds one row per (event, recipient) told: the consumer inserts it
first and stops when it is already there, so an event relayed twice notifies nobody twice.

Likes and new followers group: one unread notification per (recipient, `group_key`) gathers
every actor (`notification_actors`, one row per actor, so `actor_count` counts people, not
likes). A read group is never reopened; the next like starts a new one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class NotificationKind(StrEnum):
    NEW_FOLLOWER = "new_follower"
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    LIKE = "like"
    ORDER_SHIPPED = "order_shipped"
    ORDER_DELIVERED = "order_delivered"
    WEBHOOK_DISABLED = "webhook_disabled"
    COMMUNITY_INVITE = "community_invite"
    COMMUNITY_APPROVED = "community_approved"


class NotificationTargetKind(StrEnum):
    POST = "post"
    TUTORIAL = "tutorial"
    COMMENT = "comment"
    USER = "user"
    ORDER = "order"
    WEBHOOK_SUBSCRIPTION = "webhook_sub"
    COMMUNITY = "community"


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.OnDelete.CASCADE
    )
    kind = fields.CharEnumField(NotificationKind, max_length=20)
    target_kind = fields.CharEnumField(NotificationTargetKind, max_length=12)
    target_id = fields.BigIntField()
    # Set for the kinds that group ("like:post:5"); null for the rest.
    group_key = fields.CharField(max_length=64, null=True)
    actor_count = fields.IntField(default=0)
    # The latest few actors, newest first (user ids): what `actors` shows without a query
    # over every actor of a large group.
    recent_actor_ids: list[int] = fields.JSONField(default=list)
    read_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now_add=True)

    recipient_id: int

    class Meta:
        table = "notifications"
        indexes = (
            # The viewer's page, newest first (keyset on id), and the unread count.
            ("recipient_id", "id"),
            ("recipient_id", "read_at"),
            # The open group a new like or follower joins.
            ("recipient_id", "group_key", "read_at"),
        )


class NotificationActor(Model):
    """One person in a notification (who liked, who followed): counted once however often."""

    id = fields.BigIntField(primary_key=True)
    notification: fields.ForeignKeyRelation[Notification] = fields.ForeignKeyField(
        "models.Notification", related_name="actors", on_delete=fields.OnDelete.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notified_acts", on_delete=fields.OnDelete.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    notification_id: int
    user_id: int

    class Meta:
        table = "notification_actors"
        unique_together = (("notification", "user"),)


class NotificationDelivery(Model):
    """An event already turned into a notification for this recipient (redelivery guard)."""

    id = fields.BigIntField(primary_key=True)
    event_id = fields.BigIntField()
    recipient_id = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notification_deliveries"
        unique_together = (("event_id", "recipient_id"),)
