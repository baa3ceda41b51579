"""The event consumers that write notifications (docs/events.md has the payloads).

Each runs in the worker, inside the relay's savepoint for the event, never in the request that
caused it. Per (event, recipient) it first inserts a `notification_deliveries` row; when that
row is already there the event was delivered before and nothing more is written, so the relay's
at-least-once delivery tells nobody twice. Nobody is told about their own action.

Comments on products tell nobody: a product belongs to a merchant, not to one person who wrote
it, and merchants hear about their products through orders and reviews.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.comments import Comment, CommentTargetKind
from models.content import Post, Tutorial
from models.notifications import (
    Notification,
    NotificationActor,
    NotificationDelivery,
    NotificationKind,
    NotificationTargetKind,
)
from models.orders import Order
from models.reviews import Review
from resolvers.events import DomainEvent, notification_event, ref_id, subscribe

# How many of a group's latest actors a notification keeps for `actors`.
RECENT_ACTORS = 3

Kind = NotificationKind
Target = NotificationTargetKind
Handler = Callable[[DomainEvent], Awaitable[None]]


async def _column(model: Any, pk: int, column: str) -> int | None:
    """One id column of one row (its author, its buyer), None when the row is gone."""
    rows: list[dict[str, Any]] = await model.filter(id=pk).values(column)
    return int(rows[0][column]) if rows else None


async def _delivered(event: DomainEvent, recipient_id: int) -> bool:
    """Claim (event, recipient); True when an earlier delivery already claimed it."""
    try:
        async with in_transaction():  # a savepoint: the conflict leaves the relay's usable
            await NotificationDelivery.create(event_id=event.id, recipient_id=recipient_id)
    except IntegrityError:
        return True
    return False


async def notify(
    event: DomainEvent,
    recipient_id: int,
    kind: NotificationKind,
    target: tuple[NotificationTargetKind, int],
    actor_id: int | None,
    *,
    group: bool = False,
) -> None:
    """Tell one recipient, once per event; grouped kinds join the recipient's unread group."""
    if actor_id == recipient_id or await _delivered(event, recipient_id):
        return
    target_kind, target_id = target
    now = datetime.now(UTC)
    actors = [actor_id] if actor_id is not None else []
    key = f"{kind.value}:{target_kind.value}:{target_id}" if group else None
    if key is not None and actor_id is not None:
        # The relay runs one event at a time, and the lock keeps markRead from reading this
        # group in between: it is either read before (a new group) or joined whole.
        found = (
            await Notification.filter(recipient_id=recipient_id, group_key=key, read_at=None)
            .select_for_update()
            .first()
        )
        if found is not None:
            await _join(found, actor_id, now)
            return
    row = await Notification.create(
        recipient_id=recipient_id,
        kind=kind,
        target_kind=target_kind,
        target_id=target_id,
        group_key=key,
        actor_count=len(actors),
        recent_actor_ids=actors,
        created_at=now,
        updated_at=now,
    )
    if actor_id is not None:
        await NotificationActor.create(notification_id=row.id, user_id=actor_id)
    # In the relay's savepoint, as the row: both commit, or neither (docs/events.md).
    await notification_event("notification.created", row, len(actors))


async def _join(group: Notification, actor_id: int, now: datetime) -> None:
    recent = [actor_id, *(a for a in group.recent_actor_ids if a != actor_id)][:RECENT_ACTORS]
    try:
        async with in_transaction():
            await NotificationActor.create(notification_id=group.id, user_id=actor_id)
    except IntegrityError:  # liked, unliked, liked again: still one person, nothing new
        await Notification.filter(id=group.id).update(recent_actor_ids=recent, updated_at=now)
        return
    await Notification.filter(id=group.id).update(
        actor_count=F("actor_count") + 1, recent_actor_ids=recent, updated_at=now
    )
    # The group's row, under the lock notify() took: its count is the one just written.
    await notification_event("notification.updated", group, group.actor_count + 1)


async def on_follow(event: DomainEvent) -> None:
    follow = event.payload.get("follow") or {}
    follower = ref_id(follow.get("follower"), "User")
    followed = ref_id(follow.get("target"), "User")
    if follower is None or followed is None:
        return  # a topic has nobody to tell
    await notify(event, followed, Kind.NEW_FOLLOWER, (Target.USER, followed), follower, group=True)


async def _author_of(kind: CommentTargetKind, pk: int) -> int | None:
    """Who wrote what a comment is on; None for products (see the module's docstring)."""
    models: dict[CommentTargetKind, Any] = {
        CommentTargetKind.POST: Post,
        CommentTargetKind.TUTORIAL: Tutorial,
        CommentTargetKind.REVIEW: Review,
    }
    model = models.get(kind)
    if model is None:
        return None
    return await _column(model, pk, "author_id")


async def on_comment(event: DomainEvent) -> None:
    """The parent's author (REPLY), else the target's author (COMMENT), then each mentioned
    user (MENTION) not already told by this event."""
    comment_id = ref_id(event.payload.get("comment"), "Comment")
    if comment_id is None:
        return
    comment = await Comment.get_or_none(id=comment_id)
    if comment is None:
        return
    target = (Target.COMMENT, comment.id)
    told = {comment.author_id}
    if comment.parent_id is not None:
        parent_author = await _column(Comment, comment.parent_id, "author_id")
        if parent_author is not None and parent_author not in told:
            await notify(event, parent_author, Kind.REPLY, target, comment.author_id)
            told.add(parent_author)
    else:
        author = await _author_of(comment.target_kind, comment.target_id)
        if author is not None and author not in told:
            await notify(event, author, Kind.COMMENT, target, comment.author_id)
            told.add(author)
    mentioned: Sequence[Any] = event.payload.get("mentioned") or []
    for user in mentioned:
        user_id = ref_id(user, "User")
        if user_id is not None and user_id not in told:
            await notify(event, user_id, Kind.MENTION, target, comment.author_id)
            told.add(user_id)


_LIKED: dict[str, tuple[NotificationTargetKind, Any]] = {
    "Post": (Target.POST, Post),
    "Tutorial": (Target.TUTORIAL, Tutorial),
    "Comment": (Target.COMMENT, Comment),
}


async def on_reaction(event: DomainEvent) -> None:
    reaction = event.payload.get("reaction") or {}
    if reaction.get("kind") != "LIKE":
        return
    liker = ref_id(reaction.get("user"), "User")
    target = reaction.get("target") or {}
    found = _LIKED.get(target.get("__typename", ""))
    if liker is None or found is None:
        return
    target_kind, model = found
    target_id = ref_id(target, target.get("__typename", ""))
    if target_id is None:
        return
    author = await _column(model, target_id, "author_id")
    if author is not None:
        await notify(event, author, Kind.LIKE, (target_kind, target_id), liker, group=True)


def _on_community(kind: NotificationKind, person: str, actor: str) -> Handler:
    """The invitee (invited) or the requester (approved) is told; the moderator is the actor."""

    async def on_community(event: DomainEvent) -> None:
        community_id = ref_id(event.payload.get("community"), "Community")
        recipient = ref_id(event.payload.get(person), "User")
        acting = ref_id(event.payload.get(actor), "User")
        if community_id is not None and recipient is not None:
            await notify(event, recipient, kind, (Target.COMMUNITY, community_id), acting)

    return on_community


def _on_order(kind: NotificationKind) -> Handler:
    async def on_order(event: DomainEvent) -> None:
        order_id = ref_id(event.payload.get("order"), "Order")
        if order_id is None:
            return
        buyer = await _column(Order, order_id, "buyer_id")
        if buyer is not None:  # the merchant acted: no actor, the buyer is told
            await notify(event, buyer, kind, (Target.ORDER, order_id), None)

    return on_order


CONSUMERS: list[tuple[str, Handler]] = [
    ("follow.created", on_follow),
    ("comment.created", on_comment),
    ("reaction.created", on_reaction),
    ("order.shipped", _on_order(Kind.ORDER_SHIPPED)),
    ("order.delivered", _on_order(Kind.ORDER_DELIVERED)),
    ("community.invited", _on_community(Kind.COMMUNITY_INVITE, "invitee", "inviter")),
    ("community.member_approved", _on_community(Kind.COMMUNITY_APPROVED, "member", "approvedBy")),
]

_registered: list[Callable[[], None]] = []


def register_consumers() -> None:
    """Subscribe the notifiers (once per process; the worker calls it as it starts)."""
    if not _registered:
        _registered.extend(subscribe(pattern, handler) for pattern, handler in CONSUMERS)
