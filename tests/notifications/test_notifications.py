"""Notifications from the real flow: mutations record events, the relay job runs the
consumers, the viewer reads them. Redelivery writes nothing twice; likes and followers group."""

from __future__ import annotations

import asyncio
from typing import Any

from models.accounts import Role
from models.notifications import Notification, NotificationActor, NotificationDelivery
from models.orders import OrderLine
from tests.carts.shop import Shop, make_cart, pk, variant_of
from tests.comments.support import added, make_post
from tests.events.support import outbox
from tests.events.test_commerce_events import DELIVER, SHIP
from tests.factories import MakeMerchant, MakeProduct, MakeUser, SignedInUser, SignIn
from tests.notifications.support import (
    MARK,
    MARK_ALL,
    inbox,
    redeliver_everything,
    relay,
    unread_count,
)
from tests.reactions.support import react, unreact
from tests.social.support import follow
from tests.utils import GraphQLClient, gid


async def _person(sign_in: SignIn, make_user: MakeUser, handle: str) -> SignedInUser:
    user = await make_user(role=Role.CREATOR, handle=handle, display_name=handle.title())
    return await sign_in(user=user)


async def test_follow_comment_reply_mention_and_likes_notify_the_right_people(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob, cara = [await _person(sign_in, make_user, h) for h in ("ana", "bob", "cara")]
    post = await make_post(ana.user.id)
    post_id = gid("Post", post.id)

    await follow(gql, bob.token, gid("User", ana.user.id))
    comment = await added(gql, bob.token, post_id, "Lovely, @cara should read this")
    await added(gql, ana.token, post_id, "Thanks!", parent=comment["id"])
    for who in (bob, cara, ana):  # ana's own like tells nobody
        await react(gql, who.token, post_id, "LIKE")
    await react(gql, bob.token, post_id, "SAVE")  # saves are private: nobody is told
    await relay(services)

    mine = await inbox(gql, ana.token)
    assert [(n["kind"], n["actorCount"], n["read"]) for n in mine] == [
        ("LIKE", 2, False),
        ("COMMENT", 1, False),
        ("NEW_FOLLOWER", 1, False),
    ]
    like, commented, followed = mine
    assert [a["handle"] for a in like["actors"]] == ["cara", "bob"]  # latest first
    assert like["target"] == {"__typename": "Post", "slug": post.slug}
    assert like["message"] == "Cara and 1 other liked your post."
    assert commented["target"]["id"] == comment["id"]
    assert commented["message"] == "Bob commented on your post."
    assert followed["target"] == {"__typename": "User", "handle": "ana"}
    assert followed["message"] == "Bob started following you."
    assert await unread_count(gql, ana.token) == 3

    [reply] = await inbox(gql, bob.token)
    assert (reply["kind"], reply["message"]) == ("REPLY", "Ana replied to your comment.")
    assert [a["handle"] for a in reply["actors"]] == ["ana"]
    [mention] = await inbox(gql, cara.token)
    assert (mention["kind"], mention["target"]["id"]) == ("MENTION", comment["id"])
    assert mention["message"] == "Bob mentioned you in a comment."


async def test_redelivered_events_create_nothing_twice(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob, cara = [await _person(sign_in, make_user, h) for h in ("ana", "bob", "cara")]
    post_id = gid("Post", (await make_post(ana.user.id)).id)
    await follow(gql, bob.token, gid("User", ana.user.id))
    comment = await added(gql, bob.token, post_id, "Hi @cara")
    await added(gql, ana.token, post_id, "Hello", parent=comment["id"])
    await react(gql, cara.token, post_id, "LIKE")
    await relay(services)

    async def state() -> Any:
        rows = (
            await Notification.all()
            .order_by("id")
            .values_list("recipient_id", "kind", "actor_count", "recent_actor_ids")
        )
        return rows, await NotificationActor.all().count(), await NotificationDelivery.all().count()

    before = await state()
    await redeliver_everything()
    await redeliver_everything()

    assert len(before[0]) == 5  # follower, comment, mention, reply, like
    assert await state() == before


async def test_likes_group_until_read_then_a_new_group_starts(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob, cara = [await _person(sign_in, make_user, h) for h in ("ana", "bob", "cara")]
    post_id = gid("Post", (await make_post(ana.user.id)).id)
    await react(gql, bob.token, post_id, "LIKE")
    await unreact(gql, bob.token, post_id, "LIKE")
    await react(gql, bob.token, post_id, "LIKE")  # a second like event from the same person
    await relay(services)
    [group] = await inbox(gql, ana.token)
    assert (group["actorCount"], group["message"]) == (1, "Bob liked your post.")

    marked = await gql.data(MARK, {"ids": [group["id"]]}, token=ana.token)
    assert marked["markNotificationsRead"]["unreadCount"] == 0
    assert marked["markNotificationsRead"]["notifications"][0]["read"] is True
    await react(gql, cara.token, post_id, "LIKE")
    await relay(services)

    fresh, old = await inbox(gql, ana.token)
    assert (fresh["read"], fresh["actorCount"], fresh["message"]) == (
        False,
        1,
        "Cara liked your post.",
    )
    assert (old["read"], old["actorCount"]) == (True, 1)
    assert [n["id"] for n in await inbox(gql, ana.token, unread=True)] == [fresh["id"]]


async def test_mark_read_only_touches_the_viewers_own(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana, bob, cara = [await _person(sign_in, make_user, h) for h in ("ana", "bob", "cara")]
    await follow(gql, bob.token, gid("User", ana.user.id))
    await follow(gql, ana.token, gid("User", cara.user.id))
    await relay(services)
    [anas] = await inbox(gql, ana.token)

    tried = await gql.data(MARK, {"ids": [anas["id"]]}, token=cara.token)
    assert tried["markNotificationsRead"] == {
        "__typename": "MarkNotificationsReadSuccess",
        "unreadCount": 1,
        "notifications": [],
    }
    everything = await gql.data(MARK_ALL, token=cara.token)
    assert everything["markAllNotificationsRead"]["marked"] == 1
    assert await unread_count(gql, ana.token) == 1
    assert await unread_count(gql, cara.token) == 0


async def test_shipping_and_delivering_tell_the_buyer(
    gql: GraphQLClient,
    services: Any,
    shop: Shop,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant, variants=[(1000, 5)]))
    cart = await make_cart(buyer.user, [(variant, 1)])
    order = (await shop.checkout(buyer.token, cart))["order"]
    [line] = await OrderLine.filter(order_id=pk(order["id"]))
    lines = {"order": order["id"], "lines": [gid("OrderLine", line.id)]}
    await gql.data(SHIP, lines, token=seller.token)
    await gql.data(DELIVER, lines, token=seller.token)
    await relay(services)

    delivered, shipped = await inbox(gql, buyer.token)
    assert (shipped["kind"], shipped["message"]) == ("ORDER_SHIPPED", "Your order has shipped.")
    assert delivered["kind"] == "ORDER_DELIVERED"
    assert delivered["target"] == {"__typename": "Order", "id": order["id"], "status": "DELIVERED"}
    assert (delivered["actorCount"], delivered["actors"]) == (0, [])
    assert await inbox(gql, seller.token) == []


async def test_likes_record_reaction_created_once_even_when_concurrent(
    gql: GraphQLClient, services: Any, sign_in: SignIn, make_user: MakeUser
) -> None:
    ana = await _person(sign_in, make_user, "ana")
    fans = [await _person(sign_in, make_user, f"fan_{n}") for n in range(5)]
    post = await make_post(ana.user.id)
    post_id = gid("Post", post.id)

    await asyncio.gather(
        *(react(gql, fan.token, post_id, "LIKE") for fan in fans for _ in range(4)),
        *(react(gql, fan.token, post_id, "SAVE") for fan in fans),
    )

    recorded = [payload for kind, payload in await outbox() if kind == "reaction.created"]
    assert sorted(p["reaction"]["user"]["id"] for p in recorded) == sorted(
        gid("User", fan.user.id) for fan in fans
    )
    assert recorded[0] == {
        "version": 1,
        "reaction": {
            "kind": "LIKE",
            "user": recorded[0]["reaction"]["user"],
            "target": {"__typename": "Post", "id": post_id},
        },
    }
    await relay(services)
    [group] = await inbox(gql, ana.token)
    assert (group["kind"], group["actorCount"], len(group["actors"])) == ("LIKE", 5, 3)
    assert group["message"].endswith(" and 4 others liked your post.")
