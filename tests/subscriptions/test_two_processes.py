"""graphql-ws (the npm client, run by node) subscribed to process A receives what a change made
through process B's API becomes once the relay (run here, as the worker would) publishes it:
one Redis channel, one listener per process, any process serves any subscriber."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from tests.carts.shop import make_order, variant_of
from tests.comments.support import make_post, post_id
from tests.factories import MakeMerchant, MakeProduct, SignIn
from tests.notifications.support import relay
from tests.subscriptions.support import NodeSubscriber, api_client, node_subscriber
from tests.utils import gid

COMMENTS = """
subscription Comments($target: ID!) {
  commentAdded(targetId: $target) { id body author { handle } target { __typename } }
}
"""
NOTIFICATIONS = """
subscription Inbox { notificationAdded { id kind actorCount actors { handle } } }
"""
ORDER = """
subscription Order($id: ID!) {
  orderUpdated(orderId: $id) { id status lines { status } }
}
"""
ADD_COMMENT = """
mutation($target: ID!, $body: String!) {
  addComment(targetId: $target, body: $body) { __typename }
}
"""
SHIP = """
mutation($order: ID!, $lines: [ID!]!) {
  shipOrderLines(orderId: $order, lineIds: $lines, carrier: "DHL", trackingNumber: "JD1") {
    __typename
  }
}
"""


async def next_data(subscriber: NodeSubscriber) -> dict[str, Any]:
    line = await subscriber.expect("next")
    assert "errors" not in line["payload"], line
    data: dict[str, Any] = line["payload"]["data"]
    return data


async def test_a_comment_made_through_b_reaches_subscribers_on_a(
    processes: tuple[str, str], services: Any, sign_in: SignIn
) -> None:
    a, b = processes
    author = await sign_in(role=Role.CREATOR)
    commenter = await sign_in()
    post = await make_post(author.user.id)
    target = post_id(post)

    async with (
        node_subscriber(a, COMMENTS, {"target": target}) as comments,
        node_subscriber(a, NOTIFICATIONS, token=author.token) as inbox,
        api_client(b) as on_b,
    ):
        await comments.ready()
        await inbox.ready()
        body = "Lovely notes"
        reply = await on_b.data(
            ADD_COMMENT, {"target": target, "body": body}, token=commenter.token
        )
        assert reply["addComment"]["__typename"] == "AddCommentSuccess"
        await relay(services)

        data = await next_data(comments)
        added = data["commentAdded"]
        assert added["body"] == body
        assert added["author"] == {"handle": commenter.user.handle}
        assert added["target"] == {"__typename": "Post"}
        # The consumer's notification.created went out in the same relay run.
        note = (await next_data(inbox))["notificationAdded"]
        assert note["kind"] == "COMMENT"
        assert note["actors"] == [{"handle": commenter.user.handle}]


async def test_an_order_shipped_through_b_reaches_its_buyer_on_a(
    processes: tuple[str, str],
    services: Any,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    a, b = processes
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant, variants=[(1500, 4)]))
    order = await make_order(buyer.user, [(variant, 1)])
    line = gid("OrderLine", (await order.lines.all())[0].id)
    order_id = gid("Order", order.id)

    async with (
        node_subscriber(a, ORDER, {"id": order_id}, token=buyer.token) as watching,
        node_subscriber(a, ORDER, {"id": order_id}, token=seller.token) as shipping,
        api_client(b) as on_b,
    ):
        await watching.ready()
        await shipping.ready()
        shipped = await on_b.data(SHIP, {"order": order_id, "lines": [line]}, token=seller.token)
        assert shipped["shipOrderLines"]["__typename"] == "ShipOrderLinesSuccess"
        await relay(services)
        for subscriber in (watching, shipping):
            update = (await next_data(subscriber))["orderUpdated"]
            assert update == {"id": order_id, "status": "SHIPPED", "lines": [{"status": "SHIPPED"}]}
