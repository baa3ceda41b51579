"""Who may subscribe: refused subscriptions are `error` messages with a code (the connection
stays open), bad tokens close the connection with 4401, and so does a token revoked while its
subscriptions are open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from models.accounts import Role
from models.notifications import Notification, NotificationKind, NotificationTargetKind
from tests.carts.shop import make_order, variant_of
from tests.conftest import Backend
from tests.factories import MakeApp, MakeAppToken, MakeMerchant, MakeProduct, SignIn
from tests.notifications.support import relay
from tests.subscriptions.support import api_client, api_process, node_subscriber
from tests.subscriptions.test_two_processes import NOTIFICATIONS, ORDER, SHIP
from tests.utils import gid

LOGOUT = "mutation { logout(everywhere: false) { revokedSessions } }"


async def _order(
    sign_in: SignIn, make_merchant: MakeMerchant, make_product: MakeProduct
) -> tuple[str, str]:
    """A paid order's global id, and its buyer's token."""
    buyer = await sign_in()
    merchant = await make_merchant()
    variant = await variant_of(await make_product(merchant=merchant, variants=[(900, 3)]))
    order = await make_order(buyer.user, [(variant, 1)])
    return gid("Order", order.id), buyer.token


async def test_someone_elses_order_is_refused_with_forbidden(
    processes: tuple[str, str],
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    a, _ = processes
    order_id, _ = await _order(sign_in, make_merchant, make_product)
    stranger = await sign_in()

    async with node_subscriber(a, ORDER, {"id": order_id}, token=stranger.token) as node:
        await node.expect("connected")
        refused = await node.expect("error")
        [error] = refused["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert error["path"] == ["orderUpdated"]
        await node.expect("ready")  # the connection stays usable


async def test_anonymous_and_scopeless_callers_are_refused(
    processes: tuple[str, str],
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
    make_app: MakeApp,
    make_app_token: MakeAppToken,
) -> None:
    a, _ = processes
    order_id, _ = await _order(sign_in, make_merchant, make_product)
    async with node_subscriber(a, NOTIFICATIONS) as anonymous:
        await anonymous.expect("connected")
        error = (await anonymous.expect("error"))["errors"][0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"

    owner = await sign_in()
    app_token = await make_app_token(await make_app(owner.user, scopes=["read:content"]))
    async with node_subscriber(a, ORDER, {"id": order_id}, token=app_token) as app:
        await app.expect("connected")
        error = (await app.expect("error"))["errors"][0]
        assert error["extensions"] == {"code": "FORBIDDEN", "scope": "read:orders"}


async def test_a_bad_token_closes_the_connection_with_4401(
    processes: tuple[str, str], make_app: MakeApp, make_app_token: MakeAppToken, sign_in: SignIn
) -> None:
    a, _ = processes
    owner = await sign_in()
    revoked = await make_app_token(await make_app(owner.user), revoked=True)
    for token in ("not-a-token", revoked):
        async with node_subscriber(a, NOTIFICATIONS, token=token) as node:
            closed = await node.expect("closed")
            assert closed["code"] == 4401
            assert closed["reason"].startswith("Unauthenticated:")


async def test_a_revoked_token_closes_its_open_subscriptions(
    processes: tuple[str, str],
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    a, b = processes
    order_id, token = await _order(sign_in, make_merchant, make_product)

    async with node_subscriber(a, ORDER, {"id": order_id}, token=token) as node:
        await node.ready()
        async with api_client(b) as on_b:  # signed out through the other process
            assert (await on_b.data(LOGOUT, token=token))["logout"]["revokedSessions"] == 1
        closed = await node.expect("closed")
        assert closed["code"] == 4401
        assert "revoked" in closed["reason"]


async def test_a_token_revoked_between_heartbeats_receives_no_further_event(
    processes: tuple[str, str],
    running: Backend,
    tmp_path: Path,
    services: Any,
    sign_in: SignIn,
    make_merchant: MakeMerchant,
    make_product: MakeProduct,
) -> None:
    """With a heartbeat too far off to matter, the event itself finds the token revoked: the
    subscriber gets no `next`, and the connection closes with 4401 there and then."""
    _, b = processes
    buyer = await sign_in()
    seller = await sign_in(role=Role.MERCHANT)
    merchant = await make_merchant(owner=seller.user)
    variant = await variant_of(await make_product(merchant=merchant, variants=[(700, 2)]))
    order = await make_order(buyer.user, [(variant, 1)])
    order_id, line = gid("Order", order.id), gid("OrderLine", (await order.lines.all())[0].id)

    with api_process(tmp_path / "c", running.settings, SUBSCRIPTION_PING_SECONDS="3600") as c:
        async with (
            node_subscriber(c, ORDER, {"id": order_id}, token=buyer.token) as node,
            api_client(b) as on_b,
        ):
            await node.ready()
            assert (await on_b.data(LOGOUT, token=buyer.token))["logout"]["revokedSessions"] == 1
            shipped = await on_b.data(
                SHIP, {"order": order_id, "lines": [line]}, token=seller.token
            )
            assert shipped["shipOrderLines"]["__typename"] == "ShipOrderLinesSuccess"
            await relay(services)

            closed = await node.expect("closed")  # not a `next`
            assert closed["code"] == 4401
            assert "revoked" in closed["reason"]


def _announce(notification: Notification, routed_to: int) -> bytes:
    """A notification event as the relay publishes it, routed to `routed_to`'s subscribers."""
    body = {
        "id": gid("Notification", notification.id),
        "kind": "NEW_FOLLOWER",
        "recipient": {"id": gid("User", routed_to)},
        "actorCount": 0,
    }
    payload = {"notification": body}
    return orjson.dumps({"id": 1, "type": "notification.created", "version": 1, "payload": payload})


async def test_each_event_is_authorized_again_not_taken_from_its_routing(
    processes: tuple[str, str], services: Any, sign_in: SignIn
) -> None:
    """An event routed to a subscriber (here a forged message on the channel) is delivered only
    if the subscriber may load its object: someone else's notification is skipped."""
    a, _ = processes
    ana, bob = await sign_in(), await sign_in()

    def row(user: Any) -> Any:
        return Notification.create(
            recipient_id=user.user.id,
            kind=NotificationKind.NEW_FOLLOWER,
            target_kind=NotificationTargetKind.USER,
            target_id=user.user.id,
        )

    bobs, anas = await row(bob), await row(ana)
    channel = f"{services.keys.prefix}events"
    async with node_subscriber(a, NOTIFICATIONS, token=ana.token) as node:
        await node.ready()
        await services.redis.publish(channel, _announce(bobs, routed_to=ana.user.id))
        await services.redis.publish(channel, _announce(anas, routed_to=ana.user.id))
        # One subscription takes its events in order: the first it delivers is the second.
        line = await node.expect("next")
        assert line["payload"]["data"]["notificationAdded"]["id"] == gid("Notification", anas.id)
