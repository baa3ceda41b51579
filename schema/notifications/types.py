"""The Notification node, its kind enum and the `NotificationTarget` union."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Self

import strawberry

from models.notifications import Notification as NotificationModel
from models.notifications import NotificationKind as NotificationKindModel
from models.notifications import NotificationTargetKind
from resolvers import notifications
from schema.accounts import User
from schema.base import Info, describe_values
from schema.comments.types import Comment
from schema.communities import Community
from schema.content import Post, Tutorial
from schema.nodes import VisibleNode, build_each
from schema.orders.types import Order
from schema.webhooks import WebhookSubscription

NotificationKind = strawberry.enum(
    NotificationKindModel,
    name="NotificationKind",
    description="What a notification tells.",
)
describe_values(
    NotificationKind,
    {
        "NEW_FOLLOWER": "People followed you (grouped: one unread notification gathers them).",
        "COMMENT": "Someone commented on your post, tutorial or review (target: the comment).",
        "REPLY": "Someone replied to your comment (target: the reply).",
        "MENTION": "Someone mentioned you (`@handle`) in a comment (target: the comment).",
        "LIKE": "People liked your post, tutorial or comment (grouped per liked item).",
        "ORDER_SHIPPED": "Lines of your order were shipped (target: the order).",
        "ORDER_DELIVERED": "Lines of your order were delivered (target: the order).",
        "WEBHOOK_DISABLED": "A webhook subscription of your app was disabled after repeated "
        "failures (target: the subscription).",
        "COMMUNITY_INVITE": "A moderator invited you to a community (target: the community; "
        "`joinCommunity` accepts, `leaveCommunity` declines).",
        "COMMUNITY_APPROVED": "Your request to join a community was approved (target: the "
        "community).",
    },
)

NotificationTarget = Annotated[
    Post | Tutorial | Comment | User | Order | Community | WebhookSubscription,
    strawberry.union(
        "NotificationTarget",
        description="What a notification is about: a post, tutorial, comment, user, order, "
        "community or webhook subscription.",
    ),
]

_TARGETS: dict[NotificationTargetKind, Any] = {
    NotificationTargetKind.POST: Post,
    NotificationTargetKind.TUTORIAL: Tutorial,
    NotificationTargetKind.COMMENT: Comment,
    NotificationTargetKind.USER: User,
    NotificationTargetKind.ORDER: Order,
    NotificationTargetKind.WEBHOOK_SUBSCRIPTION: WebhookSubscription,
    NotificationTargetKind.COMMUNITY: Community,
}

_VERBS: dict[NotificationKindModel, str] = {
    NotificationKindModel.NEW_FOLLOWER: "started following you",
    NotificationKindModel.COMMENT: "commented on your {what}",
    NotificationKindModel.REPLY: "replied to your comment",
    NotificationKindModel.MENTION: "mentioned you in a comment",
    NotificationKindModel.LIKE: "liked your {what}",
}
_ORDER_MESSAGES: dict[NotificationKindModel, str] = {
    NotificationKindModel.ORDER_SHIPPED: "Your order has shipped.",
    NotificationKindModel.ORDER_DELIVERED: "Your order was delivered.",
    NotificationKindModel.WEBHOOK_DISABLED: (
        "A webhook subscription of your app was disabled after repeated failures."
    ),
}
_COMMUNITY_MESSAGES: dict[NotificationKindModel, str] = {
    NotificationKindModel.COMMUNITY_INVITE: "{who} invited you to join {name}.",
    NotificationKindModel.COMMUNITY_APPROVED: "Your request to join {name} was approved.",
}


@strawberry.type(
    description="Something that happened to your things: a follower, a comment, a reply, a "
    "mention, likes, an order shipped or delivered, a webhook disabled. Only its recipient "
    "sees it (apps: read:content). Likes and new followers group into one unread "
    "mention, likes, an order shipped or delivered, a community invite or approval. Only its "
    "recipient sees it (apps: read:content). Likes and new followers group into one unread "
    "notification per target; once read, new activity starts a new one."
)
class Notification(VisibleNode):
    id: strawberry.relay.NodeID[int]
    kind: NotificationKind = strawberry.field(  # type: ignore[valid-type]
        description="What happened."
    )
    actor_count: int = strawberry.field(
        description="How many different people it gathers (0 for order notifications)."
    )
    read: bool = strawberry.field(description="Whether you marked it read.")
    created_at: datetime = strawberry.field(description="When it was first written.")
    updated_at: datetime = strawberry.field(
        description="When someone last joined it (its `createdAt` unless grouped)."
    )
    row: strawberry.Private[NotificationModel]

    @classmethod
    def from_model(cls, row: NotificationModel) -> Self:
        return cls(
            id=row.id,
            kind=row.kind,
            actor_count=row.actor_count,
            read=row.read_at is not None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def load_visible(cls, info: Info, ids: list[int]) -> list[Self | None]:
        found = await notifications.visible_notifications(info.context, ids)
        return build_each(found, cls.from_model)

    @strawberry.field(
        description="The latest people who acted, newest first (at most 3; deactivated "
        "accounts are left out). `actorCount` says how many there are in all."
    )
    async def actors(self, info: Info) -> list[User]:
        found = await asyncio.gather(*(User.related(info, pk) for pk in self.row.recent_actor_ids))
        return [user for user in found if user is not None]

    @strawberry.field(
        description="What it is about; null once you may no longer see it (archived, deleted, "
        "its author deactivated, a private community whose invite you declined)."
    )
    async def target(self, info: Info) -> NotificationTarget | None:
        node_type = _TARGETS[self.row.target_kind]
        found: Any = await node_type.load_one(info, self.row.target_id)
        return found  # type: ignore[no-any-return]

    @strawberry.field(
        description='A plain-text summary, e.g. "ana and 2 others liked your post." '
        '(names are display names; a deactivated person is "Someone").'
    )
    async def message(self, info: Info) -> str:
        row = self.row
        if row.kind in _ORDER_MESSAGES:
            return _ORDER_MESSAGES[row.kind]
        first = await User.related(info, row.recent_actor_ids[0]) if row.recent_actor_ids else None
        who = first.display_name if first is not None else "Someone"
        if row.kind in _COMMUNITY_MESSAGES:
            community = await Community.load_one(info, row.target_id)
            name = community.name if community is not None else "a community"
            return _COMMUNITY_MESSAGES[row.kind].format(who=who, name=name)
        others = row.actor_count - 1
        if others == 1:
            who += " and 1 other"
        elif others > 1:
            who += f" and {others} others"
        what = row.target_kind.value
        if row.kind is NotificationKindModel.COMMENT:
            comment = await Comment.load_one(info, row.target_id)
            what = comment.row.target_kind.value if comment is not None else "content"
        return f"{who} {_VERBS[row.kind].format(what=what)}."
