"""The Subscription root: each field checks access when subscribing, then per event re-loads
its object through the type's own visibility (`load_one`, with the connection's principal as
it is now and fresh loaders), so an event is delivered only to whom may see it then, and its
selection set resolves exactly as the same selection in a query would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry

from resolvers.auth import require_scope, require_user
from resolvers.errors import PermissionDenied, Unauthenticated
from resolvers.loading import Loaders
from resolvers.principal import Scope
from resolvers.subscriptions import SubscriptionContext, still_signed_in
from schema.base import Info, decode_id, parse_global_id
from schema.catalog import Product
from schema.comments import Comment
from schema.nodes import resolve_global_ids
from schema.notifications import Notification
from schema.orders import Order

T = TypeVar("T")
# What commentAdded may follow: the types comments are on.
COMMENT_TARGETS = ("Post", "Tutorial", "Review", "Product")


def _connection(info: Info) -> SubscriptionContext:
    ctx = info.context
    if not isinstance(ctx, SubscriptionContext):  # POST /graphql refuses subscriptions first
        raise Unauthenticated("Subscriptions run over the WebSocket at /graphql.")
    return ctx


async def _stream(
    info: Info, key: str, load: Callable[[dict[str, Any]], Awaitable[T | None]]
) -> AsyncIterator[T]:
    ctx = _connection(info)
    async with ctx.hub.subscribe(key) as subscriber:
        if ctx.subscribed is not None:
            ctx.subscribed.set()
        while True:
            message = await ctx.hub.next_event(subscriber)
            if not await still_signed_in(ctx):
                return
            # Each event reads the database afresh: nothing cached from an earlier one.
            ctx.loaders = Loaders()
            found = await load(message)
            if found is not None:
                yield found


def _key(kind: str, type_name: str, pk: int) -> str:
    """The hub's routing key for an object, with its id as event payloads spell it."""
    return f"{kind}:{strawberry.relay.GlobalID(type_name, str(pk))}"


def _payload_pk(message: dict[str, Any], name: str, type_name: str) -> int | None:
    ref = (message.get("payload") or {}).get(name) or {}
    parsed = parse_global_id(ref.get("id", "")) if isinstance(ref, dict) else None
    return parsed[1] if parsed is not None and parsed[0] == type_name else None


@strawberry.type(
    description="Changes as they happen, over the WebSocket at /graphql (graphql-transport-ws; "
    "docs/subscriptions.md). Each event is checked against what you may see at that moment."
)
class Subscription:
    @strawberry.subscription(
        description="The order each time it changes (paid, shipped, delivered, cancelled, "
        "refunded), for its buyer and the merchants of its lines (apps: read:orders). Refused "
        "with FORBIDDEN for an order you may not see."
    )
    async def order_updated(
        self,
        info: Info,
        order_id: Annotated[
            strawberry.ID, strawberry.argument(description="The order's global id (an Order id).")
        ],
    ) -> AsyncIterator[Order]:
        ctx = _connection(info)
        pk = decode_id(order_id, "Order", field="orderId")
        require_scope(ctx, Scope.READ_ORDERS)
        if await Order.load_one(info, pk) is None:
            raise PermissionDenied("You may not follow this order: it is not one you may see.")

        async def load(message: dict[str, Any]) -> Order | None:
            return await Order.load_one(info, pk)

        return _stream(info, _key("order", "Order", pk), load)

    @strawberry.subscription(
        description="Your new notifications, and grouped ones that gained someone (they move "
        "to the top of `viewer.notifications`). Needs a signed-in caller (apps: read:content)."
    )
    async def notification_added(self, info: Info) -> AsyncIterator[Notification]:
        ctx = _connection(info)
        user = require_user(ctx)
        if ctx.principal.is_app:
            require_scope(ctx, Scope.READ_CONTENT)

        async def load(message: dict[str, Any]) -> Notification | None:
            pk = _payload_pk(message, "notification", "Notification")
            return None if pk is None else await Notification.load_one(info, pk)

        return _stream(info, _key("notifications", "User", user.id), load)

    @strawberry.subscription(
        description="New comments and replies on a post, tutorial, review or product that you "
        "may see (a private community's posts: its members). Refused with FORBIDDEN otherwise."
    )
    async def comment_added(
        self,
        info: Info,
        target_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="What the comments are on: a Post, Tutorial, Review or Product id."
            ),
        ],
    ) -> AsyncIterator[Comment]:
        parsed = parse_global_id(target_id)
        if parsed is None or parsed[0] not in COMMENT_TARGETS:
            decode_id(target_id, "Post", field="targetId")  # the usual BAD_USER_INPUT
        assert parsed is not None
        [target] = await resolve_global_ids(info, [target_id], "targetId")
        if target is None:
            raise PermissionDenied("You may not follow these comments: you may not see the target.")

        async def load(message: dict[str, Any]) -> Comment | None:
            # The target too, as it is now: it may have gone private or been deleted since.
            [still] = await resolve_global_ids(info, [target_id], "targetId")
            pk = _payload_pk(message, "comment", "Comment")
            return None if still is None or pk is None else await Comment.load_one(info, pk)

        return _stream(info, _key("comments", *parsed), load)

    @strawberry.subscription(
        description="The product each time its total stock runs out or comes back (crosses "
        "zero); what anyone who may see the product may follow."
    )
    async def product_stock_changed(
        self,
        info: Info,
        product_id: Annotated[
            strawberry.ID, strawberry.argument(description="The product's global id.")
        ],
    ) -> AsyncIterator[Product]:
        pk = decode_id(product_id, "Product", field="productId")
        if await Product.load_one(info, pk) is None:
            raise PermissionDenied("You may not follow this product: you may not see it.")

        async def load(message: dict[str, Any]) -> Product | None:
            return await Product.load_one(info, pk)

        return _stream(info, _key("product", "Product", pk), load)
