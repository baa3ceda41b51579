"""One recorder per event type: builds its documented payload and records it.

Each is called, in one line, inside the transaction that makes the change, after the change
(so the rows read here are the changed ones, under the change's locks). Payloads carry Relay
global ids and GraphQL enum names, never database ids, and only what every receiver of the
type may see or needs to decide whether it may: who the buyer and merchants of an order are,
but no address or line prices. docs/events.md lists every payload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from models.catalog import Product
from models.comments import Comment
from models.communities import Community
from models.content import Post
from models.notifications import Notification
from models.orders import Order, OrderLine
from models.reactions import ReactionKind, ReactionTargetKind
from models.reviews import Review
from models.social import FollowTargetKind
from resolvers.events.outbox import global_id, record_event, ref


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def order_event(type: str, order_id: int, *, line_ids: Sequence[int] = ()) -> None:
    """order.created, .paid, .shipped, .delivered, .cancelled, .refunded (two reads)."""
    order = await Order.get(id=order_id)
    lines = await OrderLine.filter(order_id=order_id).distinct().values("merchant_id")
    merchants = {int(line["merchant_id"]) for line in lines}
    body: dict[str, Any] = {
        "order": {
            "id": global_id("Order", order.id),
            "status": order.status.name,
            "buyer": ref("User", order.buyer_id),
            "merchants": [ref("Merchant", m) for m in sorted(merchants)],
            "total": {"amount": order.total, "currency": order.currency},
        }
    }
    if line_ids:
        body["lines"] = [ref("OrderLine", line_id) for line_id in sorted(line_ids)]
    await record_event(type, body)


def _product(product: Product) -> dict[str, Any]:
    return {
        "id": global_id("Product", product.id),
        "merchant": ref("Merchant", product.merchant_id),
        "status": product.status.name,
        "totalStock": product.total_stock,
    }


async def product_updated(product_id: int, changed: Sequence[str]) -> None:
    """product.updated: which of the product's own fields changed (GraphQL names)."""
    product = await Product.get(id=product_id)
    fields = sorted({_camel(name) for name in changed})
    await record_event("product.updated", {"product": _product(product), "fields": fields})


async def stock_moved(deltas: Mapping[int, int]) -> None:
    """After `total_stock = total_stock + delta` per product in this transaction: record each
    product whose stock crossed zero. The UPDATE's row lock, held until commit, means nobody
    moved it between that UPDATE and this read, so after - delta is the stock before."""
    moved = {product_id: delta for product_id, delta in deltas.items() if delta}
    if not moved:
        return
    for product in await Product.filter(id__in=list(moved)).order_by("id"):
        await stock_changed(product, product.total_stock - moved[product.id])


async def stock_changed(product: Product, before: int) -> None:
    """product.out_of_stock / product.back_in_stock, when `before` and now sit either side of 0."""
    after = product.total_stock
    if before > 0 >= after:
        await record_event("product.out_of_stock", {"product": _product(product)})
    elif before <= 0 < after:
        await record_event("product.back_in_stock", {"product": _product(product)})


async def review_created(review: Review) -> None:
    await record_event(
        "review.created",
        {
            "review": {
                "id": global_id("Review", review.id),
                "rating": review.rating,
                "verifiedPurchase": review.verified_purchase,
                "product": ref("Product", review.product_id),
                "author": ref("User", review.author_id),
            }
        },
    )


async def post_published(post: Post) -> None:
    await record_event(
        "post.published",
        {
            "post": {
                "id": global_id("Post", post.id),
                "slug": post.slug,
                "author": ref("User", post.author_id),
                "publishedAt": _when(post.published_at),
            }
        },
    )


async def follow_created(follower_id: int, kind: FollowTargetKind, target_id: int) -> None:
    type_name = "User" if kind is FollowTargetKind.USER else "Topic"
    await record_event(
        "follow.created",
        {
            "follow": {
                "follower": ref("User", follower_id),
                "target": {"__typename": type_name, "id": global_id(type_name, target_id)},
            }
        },
    )


async def comment_created(comment: Comment, mentioned: Sequence[int]) -> None:
    """comment.created: who wrote it, on what, in reply to what, and whom it newly mentions
    (what a notifier needs to tell the target's author, the parent's author and them)."""
    type_name = comment.target_kind.name.title()
    parent = ref("Comment", comment.parent_id) if comment.parent_id is not None else None
    await record_event(
        "comment.created",
        {
            "comment": {
                "id": global_id("Comment", comment.id),
                "author": ref("User", comment.author_id),
                "target": {"__typename": type_name, "id": global_id(type_name, comment.target_id)},
                "parent": parent,
                "depth": comment.depth,
            },
            "mentioned": [ref("User", user_id) for user_id in mentioned],
        },
    )


async def reaction_created(
    user_id: int, kind: ReactionKind, target_kind: ReactionTargetKind, target_id: int
) -> None:
    """reaction.created: a new like (liking again, unliking and saves tell nothing)."""
    type_name = target_kind.name.title()
    await record_event(
        "reaction.created",
        {
            "reaction": {
                "kind": kind.name,
                "user": ref("User", user_id),
                "target": {"__typename": type_name, "id": global_id(type_name, target_id)},
            }
        },
    )


async def notification_event(type: str, notification: Notification, actor_count: int) -> None:
    """notification.created (a new row) or notification.updated (a grouped row gained an
    actor): whose it is and its kind, what `notificationAdded` routes on."""
    await record_event(
        type,
        {
            "notification": {
                "id": global_id("Notification", notification.id),
                "kind": notification.kind.name,
                "recipient": ref("User", notification.recipient_id),
                "actorCount": actor_count,
            }
        },
    )


def _community(community: Community) -> dict[str, Any]:
    return {
        "id": global_id("Community", community.id),
        "slug": community.slug,
        "visibility": community.visibility.name,
    }


async def community_invited(community: Community, invitee_id: int, inviter_id: int) -> None:
    """community.invited: a moderator (or above) invited a user who had no standing there."""
    await record_event(
        "community.invited",
        {
            "community": _community(community),
            "invitee": ref("User", invitee_id),
            "inviter": ref("User", inviter_id),
        },
    )


async def community_member_approved(community: Community, member_id: int, approver_id: int) -> None:
    """community.member_approved: a pending join request became a membership."""
    await record_event(
        "community.member_approved",
        {
            "community": _community(community),
            "member": ref("User", member_id),
            "approvedBy": ref("User", approver_id),
        },
    )
