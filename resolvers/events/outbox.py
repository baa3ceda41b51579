"""Writing events: `record_event` inside the state change's transaction, and the kick after.

The outbox's one promise rests on `record_event` running on the connection of the transaction
that makes the change: the event row commits with the change or rolls back with it. Tortoise's
`in_transaction()` makes its connection the current one for the task (a context variable), so
a call inside the `async with` block needs no argument; outside any transaction it refuses,
rather than commit an event on its own that a later rollback could contradict.

The relay runs on the worker's cron every few seconds. So that an event reaches consumers
sooner, requests and jobs that recorded one enqueue the relay once they are done (after their
commits). That kick is best effort: a lost one only means the cron picks the event up.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from contextvars import ContextVar
from typing import Any

from redis.exceptions import TimeoutError as RedisTimeoutError
from saq.queue.base import Queue
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.connection import get_connections

from models.events import Event
from storage.breaker import CircuitBreaker

log = logging.getLogger(__name__)

VERSION = 1
RELAY_FUNCTION = "relay_events"
# One queued kick at a time: saq skips an enqueue whose key is queued or running, and the
# relay it would start reads every unrelayed event anyway.
KICK_KEY = "relay_events:kick"

# The types recorded and documented (docs/events.md); record_event refuses others, so a typo
# cannot create a type no consumer listens for.
EVENT_TYPES = frozenset(
    {
        "order.created",
        "order.paid",
        "order.shipped",
        "order.delivered",
        "order.cancelled",
        "order.refunded",
        "product.updated",
        "product.out_of_stock",
        "product.back_in_stock",
        "review.created",
        "post.published",
        "follow.created",
        "comment.created",
        "reaction.created",
        "notification.created",
        "notification.updated",
        "content.hidden",
        "content.restored",
        "content.reports_dismissed",
        "webhook.disabled",
        "community.invited",
        "community.member_approved",
    }
)

# Set around a request or a job: how many events it recorded, so it knows to kick the relay.
_recorded: ContextVar[list[int] | None] = ContextVar("events_recorded", default=None)


def global_id(type_name: str, pk: int) -> str:
    """The Relay global id the API shows for this row (strawberry's base64 "Type:id")."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def local_id(value: object, type_name: str) -> int | None:
    """The primary key in a global id of `type_name` (as `global_id` wrote it), else None."""
    if not isinstance(value, str):
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    name, _, pk = decoded.partition(":")
    return int(pk) if name == type_name and pk.isdigit() else None


def ref_id(value: object, type_name: str) -> int | None:
    """The primary key in a payload's `{"id": <global id>}` of `type_name` (as `ref` wrote
    it), else None."""
    return local_id(value.get("id") if isinstance(value, dict) else None, type_name)


def ref(type_name: str, pk: int) -> dict[str, str]:
    return {"id": global_id(type_name, pk)}


async def record_event(
    type: str,
    payload: Mapping[str, Any],
    connection: BaseDBAsyncClient | None = None,
) -> Event:
    """Write an event row on the current transaction's connection (or the one given).

    `payload` is the type's documented body without the version, which is added here.
    """
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}: add it to EVENT_TYPES and docs/events.md")
    db = connection or get_connections().get("default")
    if not isinstance(db, TransactionalDBClient):
        raise RuntimeError(
            f"record_event({type!r}) outside a transaction: call it inside the "
            "`async with in_transaction():` block that makes the change"
        )
    event = await Event.create(
        type=type, version=VERSION, payload={"version": VERSION, **payload}, using_db=db
    )
    recorded = _recorded.get()
    if recorded is not None:
        recorded.append(event.id)
    return event


@contextlib.asynccontextmanager
async def kicking_relay(
    queue: Queue | None,
    *,
    breaker: CircuitBreaker | None = None,
    wait_seconds: float | None = None,
) -> AsyncIterator[list[int]]:
    """Around a request or a job: once it is over, enqueue the relay if it recorded events.

    The list it yields is shared with every task the block starts, so an event recorded in a
    resolver running as its own task counts too. An event whose transaction then rolled back
    still kicks; the relay finds nothing new and stops. On the request path pass the Redis
    breaker and timeout: a hung Redis then costs the kick, not the answer, a short wait once.
    """
    recorded: list[int] = []
    token = _recorded.set(recorded)
    try:
        yield recorded
    finally:
        _recorded.reset(token)
        if recorded and queue is not None:
            await kick(queue, breaker=breaker, wait_seconds=wait_seconds)


def start_recording() -> list[int]:
    """For saq's before_process hook (main.make_worker): the job's recorded events."""
    recorded: list[int] = []
    _recorded.set(recorded)  # the job's task copies this context when saq creates it
    return recorded


async def kick(
    queue: Queue, *, breaker: CircuitBreaker | None = None, wait_seconds: float | None = None
) -> bool:
    """Enqueue a relay run now; False when that failed (the cron will catch up)."""
    try:
        if breaker is None:
            await _enqueue(queue, wait_seconds)
        else:
            with breaker.guard():  # open: skipped at once, as every request-path Redis call
                await _enqueue(queue, wait_seconds)
    except Exception:  # Redis away, a closed queue: nothing lost, the cron relays it
        log.warning("could not kick the event relay; the cron will relay", exc_info=True)
        return False
    return True


async def _enqueue(queue: Queue, wait_seconds: float | None) -> None:
    try:
        enqueued = queue.enqueue(RELAY_FUNCTION, key=KICK_KEY, timeout=300)
        await asyncio.wait_for(enqueued, wait_seconds)
    except TimeoutError as exc:  # a hung Redis: what trips the breaker
        raise RedisTimeoutError("the job queue did not answer in time") from exc
