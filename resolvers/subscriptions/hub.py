"""One Redis pub/sub listener per process, fanning relayed events out to local subscribers.

The relay publishes every event on `<REDIS_PREFIX>events` (docs/events.md), whichever process
it runs in; each API process holds one subscription to that channel, however many websockets
it serves, and hands each event to the subscribers whose routing key it carries. So any process
serves any subscriber, and Redis sees one connection per process, not one per subscriber.

Each subscriber has a bounded queue. A subscriber that lets it fill is too slow: it is dropped
(its stream ends with SUBSCRIBER_TOO_SLOW) rather than held in memory without end, and the
others are not slowed down by it.

While the listener is not connected (Redis down, or reconnecting) new subscribers are refused
at once with SERVICE_UNAVAILABLE, and those it had end with the same error: a subscriber is
never left waiting on a channel nobody listens to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from redis.asyncio import Redis

from resolvers.errors import DomainError

log = logging.getLogger(__name__)

# How long the listener waits before it reconnects after losing Redis.
RECONNECT_SECONDS = 1.0
# How long one read of the channel may block: the listener's loop comes round this often to
# notice that it was stopped.
READ_SECONDS = 1.0


class SubscriptionUnavailable(DomainError):
    """Events cannot be received now: the listener has no connection to Redis."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__(
            "Subscriptions are unavailable: the event channel (Redis) cannot be reached. "
            "Retry in a few seconds."
        )


class SubscriberTooSlow(DomainError):
    """The subscriber did not keep up: its queue of undelivered events filled."""

    code = "SUBSCRIBER_TOO_SLOW"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"This subscription fell {limit} events behind and was dropped; subscribe again.",
            limit=limit,
        )


def routing_keys(message: dict[str, Any]) -> list[str]:
    """What an event is about, as subscribers ask for it: `order:<id>`, `product:<id>`,
    `comments:<target id>`, `notifications:<recipient id>` (global ids)."""
    kind = str(message.get("type", ""))
    payload = message.get("payload") or {}
    if not isinstance(payload, dict):
        return []
    keys: list[str] = []

    def add(prefix: str, ref: Any) -> None:
        if isinstance(ref, dict) and isinstance(ref.get("id"), str):
            keys.append(f"{prefix}:{ref['id']}")

    if kind.startswith("order."):
        add("order", payload.get("order"))
    elif kind in ("product.out_of_stock", "product.back_in_stock"):
        add("product", payload.get("product"))
    elif kind == "comment.created":
        add("comments", (payload.get("comment") or {}).get("target"))
    elif kind.startswith("notification."):
        add("notifications", (payload.get("notification") or {}).get("recipient"))
    return keys


@dataclass(eq=False, slots=True)
class Subscriber:
    key: str
    queue: asyncio.Queue[dict[str, Any] | DomainError]
    dropped: bool = False


@dataclass(slots=True)
class Hub:
    """Open one with `open_redis` for the listener (its own connection: pub/sub holds it)."""

    redis_factory: Callable[[], Redis]
    channel: str
    queue_size: int
    _subscribers: defaultdict[str, set[Subscriber]] = field(
        default_factory=lambda: defaultdict(set)
    )
    _task: asyncio.Task[None] | None = None
    _listening: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="subscriptions-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._end_all(SubscriptionUnavailable())

    async def wait_listening(self, seconds: float) -> bool:
        """For start-up: whether the listener connected within `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), seconds)
        return self.listening

    @contextlib.asynccontextmanager
    async def subscribe(self, key: str) -> AsyncIterator[Subscriber]:
        """A subscriber to events routed to `key`, until the block ends."""
        if not self.listening:
            raise SubscriptionUnavailable()
        subscriber = Subscriber(key=key, queue=asyncio.Queue(self.queue_size + 1))
        self._subscribers[key].add(subscriber)
        try:
            yield subscriber
        finally:
            self._forget(subscriber)

    async def next_event(self, subscriber: Subscriber) -> dict[str, Any]:
        """The subscriber's next event; raises what ended its stream."""
        item = await subscriber.queue.get()
        if isinstance(item, DomainError):
            raise item
        return item

    def subscriber_count(self) -> int:
        return sum(len(group) for group in self._subscribers.values())

    def deliver(self, message: dict[str, Any]) -> None:
        for key in routing_keys(message):
            for subscriber in list(self._subscribers.get(key, ())):
                # One slot is kept for the error that ends the stream.
                if subscriber.queue.qsize() >= self.queue_size:
                    self._drop(subscriber, SubscriberTooSlow(self.queue_size))
                else:
                    subscriber.queue.put_nowait(message)

    def _drop(self, subscriber: Subscriber, error: DomainError) -> None:
        if not subscriber.dropped:
            subscriber.dropped = True
            subscriber.queue.put_nowait(error)
        self._forget(subscriber)

    def _forget(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.key)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._subscribers[subscriber.key]

    def _end_all(self, error: DomainError) -> None:
        for group in list(self._subscribers.values()):
            for subscriber in list(group):
                self._drop(subscriber, error)

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("subscriptions: lost the event channel; reconnecting", exc_info=True)
            self._listening.clear()
            self._end_all(SubscriptionUnavailable())
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen(self) -> None:
        redis = self.redis_factory()
        try:
            async with redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe(self.channel)
                self._listening.set()
                while True:
                    message = await pubsub.get_message(timeout=READ_SECONDS)
                    if message is None or message.get("type") != "message":
                        # An idle read: make sure the connection is still there.
                        if message is None:
                            await pubsub.ping()
                        continue
                    try:
                        decoded = orjson.loads(message["data"])
                    except orjson.JSONDecodeError:
                        log.warning("subscriptions: not JSON on %s", self.channel)
                        continue
                    if isinstance(decoded, dict):
                        self.deliver(decoded)
        finally:
            self._listening.clear()
            await redis.aclose()
