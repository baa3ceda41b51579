"""Limits of the WebSocket: subscriptions per connection, connections per caller (across both
processes, taken concurrently), the query limits a subscription document meets like any other,
slow subscribers, and Redis being down."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.exceptions import ConnectionClosed

from resolvers.subscriptions import Hub, SubscriberTooSlow, SubscriptionUnavailable
from storage.cache import open_redis
from tests.conftest import Backend
from tests.factories import MakeProduct, SignIn
from tests.redis_server import private_redis
from tests.subscriptions.conftest import PER_CALLER, PER_CONNECTION
from tests.subscriptions.support import Socket, api_process, socket
from tests.utils import GraphQLClient, gid

STOCK = """
subscription Stock($id: ID!) { productStockChanged(productId: $id) { id inStock } }
"""
DEEP = """
subscription Deep($id: ID!) { productStockChanged(productId: $id) {
  merchant { products { edges { node { merchant { products { edges { node {
    merchant { products { edges { node { id } } } } } } } } } } } } } }
"""


async def _open(base: str, token: str, opened: list[Socket], hold: asyncio.Event) -> Any:
    """Connect and init; keep the socket open until `hold` is set. The first answer."""
    async with socket(base) as ws:
        try:
            answer = await ws.init(token)
        except ConnectionClosed as refused:
            frame = refused.rcvd
            return (frame.code, frame.reason) if frame else None
        opened.append(ws)
        await hold.wait()
        return answer["type"]


async def test_connections_per_caller_are_counted_across_processes_concurrently(
    processes: tuple[str, str], sign_in: SignIn
) -> None:
    a, b = processes
    user = await sign_in()
    opened: list[Socket] = []
    hold = asyncio.Event()
    tries = [
        asyncio.ensure_future(_open(base, user.token, opened, hold)) for base in (a, b) * PER_CALLER
    ]
    # The refused ones end by themselves; the accepted ones wait on `hold`.
    while sum(task.done() for task in tries) < len(tries) - PER_CALLER:
        await asyncio.wait(tries, return_when=asyncio.FIRST_COMPLETED, timeout=20)
    refused = [task.result() for task in tries if task.done()]
    assert len(opened) == PER_CALLER
    assert refused == [(4429, f"Too many connections: at most {PER_CALLER} per caller")] * (
        len(tries) - PER_CALLER
    )

    # A closed connection gives its place back as its process notices the close (the close
    # handshake ends before the server has released it, hence a few tries, each refused or
    # accepted at once).
    await opened[0].connection.close()
    for _ in range(50):
        async with socket(a) as again:
            with contextlib.suppress(ConnectionClosed):
                if (await again.init(user.token))["type"] == "connection_ack":
                    break
    else:
        raise AssertionError("the closed connection's place never came back")
    hold.set()
    accepted = await asyncio.gather(*(task for task in tries if not task.done()))
    assert accepted == ["connection_ack"] * PER_CALLER


async def test_subscriptions_per_connection_are_limited(
    processes: tuple[str, str], make_product: MakeProduct
) -> None:
    a, _ = processes
    product = gid("Product", (await make_product(variants=[(500, 2)])).id)
    async with socket(a) as ws:
        assert (await ws.init())["type"] == "connection_ack"
        for n in range(PER_CONNECTION):
            await ws.subscribe(str(n), STOCK, {"id": product})
        await ws.subscribe("over", STOCK, {"id": product})
        refused = await ws.receive()
        assert refused["id"] == "over"
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"] == {
            "code": "SUBSCRIPTION_LIMIT",
            "limit": PER_CONNECTION,
        }
        # Completing one makes room.
        await ws.send({"id": "0", "type": "complete"})
        await ws.subscribe("again", "query Q { __typename }")
        answer = await ws.receive()
        assert (answer["id"], answer["type"]) == ("again", "next")
        assert answer["payload"]["data"] == {"__typename": "Query"}


async def test_subscription_documents_meet_the_query_limits(
    processes: tuple[str, str], make_product: MakeProduct
) -> None:
    a, _ = processes
    product = gid("Product", (await make_product(variants=[(500, 2)])).id)
    async with socket(a) as ws:
        await ws.init()
        await ws.subscribe("deep", DEEP, {"id": product})
        refused = await ws.receive()
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "depth" in refused["payload"][0]["message"]
        await ws.subscribe("bad", STOCK, {"id": "not-an-id"})
        refused = await ws.receive()
        assert refused["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"


COSTLY = """
subscription Costly($id: ID!) { productStockChanged(productId: $id) {
  reviews(first: 20) { edges { node { comments(first: 100) { edges { node { id } } } } } } } }
"""


async def test_subscriptions_pay_their_cost_from_the_callers_budget(
    processes: tuple[str, str], make_product: MakeProduct, sign_in: SignIn
) -> None:
    a, _ = processes
    user = await sign_in()
    product = gid("Product", (await make_product(variants=[(500, 2)])).id)
    async with socket(a) as ws:
        await ws.init(user.token)
        await ws.subscribe("paid", COSTLY, {"id": product})  # runs, silently: no event yet
        await ws.subscribe("throttled", COSTLY, {"id": product})
        refused = await ws.receive()
        assert (refused["id"], refused["type"]) == ("throttled", "next")
        [error] = refused["payload"]["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        cost = refused["payload"]["extensions"]["cost"]
        assert cost["throttleStatus"]["currentlyAvailable"] < cost["requestedQueryCost"]
        assert await ws.receive() == {"id": "throttled", "type": "complete"}


async def test_a_subscription_over_http_is_a_request_error(
    gql: GraphQLClient, make_product: MakeProduct
) -> None:
    product = gid("Product", (await make_product(variants=[(500, 2)])).id)
    reply = await gql.post(STOCK, {"id": product})
    assert reply.status == 200  # application/json: request errors stay 200
    assert reply.body["data"] is None
    assert reply.body["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_OVER_HTTP"


def _stock_event(product: str) -> bytes:
    payload = {"product": {"id": product, "totalStock": 0}}
    return orjson.dumps({"id": 1, "type": "product.out_of_stock", "version": 1, "payload": payload})


async def test_a_slow_subscriber_is_dropped_and_the_others_still_served(running: Backend) -> None:
    settings = running.settings
    channel = f"{settings.redis_prefix}events"
    hub = Hub(redis_factory=lambda: open_redis(settings.redis_url), channel=channel, queue_size=3)
    hub.start()
    publisher = open_redis(settings.redis_url)
    try:
        assert await hub.wait_listening(10)
        async with (
            hub.subscribe(f"product:{gid('Product', 1)}") as slow,
            hub.subscribe(f"product:{gid('Product', 2)}") as other,
        ):
            for _ in range(5):  # nobody reads `slow` meanwhile
                await publisher.publish(channel, _stock_event(gid("Product", 1)))
            await publisher.publish(channel, _stock_event(gid("Product", 2)))
            # One channel, one connection: once `other` has its event, `slow` got all five.
            assert (await asyncio.wait_for(hub.next_event(other), 10))["type"] == (
                "product.out_of_stock"
            )
            for _ in range(3):  # what fitted in its queue, then why it ended
                await hub.next_event(slow)
            with pytest.raises(SubscriberTooSlow) as dropped:
                await hub.next_event(slow)
            assert dropped.value.extensions == {"code": "SUBSCRIBER_TOO_SLOW", "limit": 3}
            assert hub.subscriber_count() == 1  # the slow one is gone, the other stays
    finally:
        await hub.stop()
        await publisher.aclose()


async def test_with_redis_down_subscribing_is_refused_at_once(
    running: Backend, tmp_path: Path
) -> None:
    with (
        private_redis(tmp_path) as redis_server,
        api_process(tmp_path / "c", running.settings, REDIS_URL=redis_server.url) as c,
    ):
        redis_server.process.terminate()
        redis_server.process.wait()
        async with socket(c) as ws:
            await ws.send({"type": "connection_init", "payload": {}})
            code, reason = await ws.closed()
        assert code == 4503
        assert reason.startswith("Service unavailable: Redis")

    # The hub itself: it cannot listen, so it takes no subscriber.
    dead = Hub(redis_factory=lambda: open_redis(redis_server.url), channel="x", queue_size=1)
    dead.start()
    try:
        assert not await dead.wait_listening(1)
        with pytest.raises(SubscriptionUnavailable) as refused:
            async with dead.subscribe("product:x"):
                pass
        assert refused.value.extensions == {"code": "SERVICE_UNAVAILABLE"}
        assert refused.value.message.startswith("Subscriptions are unavailable")
    finally:
        await dead.stop()
