"""The relay: unrelayed events, in id order, to the consumers and Redis, then marked relayed.

One relayer at a time: each batch runs in one transaction that first takes a PostgreSQL
advisory lock (try, not wait: a second relayer has nothing to do that the first will not do)
and commits the relayed marks before the lock goes. A second relayer therefore starts where
the first stopped and never delivers what the first delivered. On SQLite (one embedded
process) an asyncio lock does the same.

Per event, in a savepoint: every consumer of its type runs, then the event is published on
the Redis channel. A consumer that raises rolls the savepoint back; the event stays unrelayed
with its attempts counted and the batch stops there, so no later event overtakes it. After
MAX_ATTEMPTS it is marked failed (failed_at, last_error) and the relay moves past it. A
publish that fails (Redis away) stops the batch without counting an attempt: the outage is not
the event's fault, and the next run retries it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from redis.asyncio import Redis
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.events import Event
from resolvers.events.consumers import DomainEvent, handlers_for
from resolvers.events.outbox import kicking_relay

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# A job relays at most this many batches, then leaves the rest to the next run: its timeout
# (300 s) is never near.
MAX_BATCHES = 50
MAX_ATTEMPTS = 5
ERROR_MAX_CHARS = 2000
# pg_try_advisory_xact_lock's key: "agev" (agora events), any constant no other lock uses.
ADVISORY_LOCK_KEY = 0x61676576
_local_lock = asyncio.Lock()  # SQLite: the embedded deployment's one process


def channel(prefix: str) -> str:
    """The Redis pub/sub channel events are published on (one for every type)."""
    return f"{prefix}events"


@dataclass(slots=True)
class RelayReport:
    relayed: int = 0
    failed: int = 0  # marked failed for good in this run
    retrying: int = 0  # a consumer refused one; it is retried next run
    busy: bool = False  # another relayer held the lock


class _PublishFailed(Exception):
    pass


async def relay_events(
    redis: Redis, channel_name: str, *, batch_size: int = BATCH_SIZE
) -> RelayReport:
    report = RelayReport()
    for _ in range(MAX_BATCHES):
        more = await _relay_batch(redis, channel_name, batch_size, report)
        if not more:
            break
    return report


async def _relay_batch(redis: Redis, channel_name: str, size: int, report: RelayReport) -> bool:
    """One batch in one transaction; whether to go on with another."""
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            return await _locked_batch(connection, redis, channel_name, size, report)
        if _local_lock.locked():
            report.busy = True
            return False
        async with _local_lock:
            return await _batch(redis, channel_name, size, report)


async def _locked_batch(
    connection: BaseDBAsyncClient, redis: Redis, channel_name: str, size: int, report: RelayReport
) -> bool:
    rows = await connection.execute_query_dict(
        "SELECT pg_try_advisory_xact_lock($1) AS got", [ADVISORY_LOCK_KEY]
    )
    if not rows[0]["got"]:
        report.busy = True
        return False
    return await _batch(redis, channel_name, size, report)


async def _batch(redis: Redis, channel_name: str, size: int, report: RelayReport) -> bool:
    events = await Event.filter(relayed_at=None, failed_at=None).order_by("id").limit(size)
    now = datetime.now(UTC)
    relayed: list[int] = []
    go_on = len(events) == size
    stopped = False
    # Consumers record events of their own (notification.created): noted here, they go out in
    # this run's next batch, not with the next kick or cron run.
    async with kicking_relay(None) as recorded:
        for event in events:
            try:
                error = await _deliver(event, redis, channel_name)
            except _PublishFailed:
                stopped, go_on = True, False
                break
            if error is None:
                relayed.append(event.id)
                continue
            attempts = event.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                log.error(
                    "event %s (%s) failed %d times: %s", event.id, event.type, attempts, error
                )
                await Event.filter(id=event.id).update(
                    attempts=attempts, last_error=error, failed_at=now
                )
                report.failed += 1
                continue
            await Event.filter(id=event.id).update(attempts=attempts, last_error=error)
            report.retrying += 1
            stopped, go_on = True, False
            break
    if recorded and not stopped:
        go_on = True
    if relayed:
        await Event.filter(id__in=relayed).update(relayed_at=now)
        report.relayed += len(relayed)
    return go_on


async def _deliver(event: Event, redis: Redis, channel_name: str) -> str | None:
    """Run the consumers and publish; None when done, else the consumer's error."""
    domain_event = DomainEvent(
        id=event.id,
        type=event.type,
        version=event.version,
        payload=dict(event.payload),
        created_at=event.created_at,
    )
    try:
        async with in_transaction():  # a savepoint inside the batch's transaction
            for handler in handlers_for(event.type):
                await handler(domain_event)
            try:
                await redis.publish(channel_name, orjson.dumps(domain_event.message()))
            except Exception as exc:
                log.warning("could not publish event %s; relaying later", event.id, exc_info=True)
                raise _PublishFailed from exc
    except _PublishFailed:
        raise
    except Exception as exc:
        log.warning("a consumer of event %s (%s) failed", event.id, event.type, exc_info=True)
        return f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    return None


async def prune_relayed_events(retention: timedelta, now: datetime | None = None) -> int:
    """Delete events relayed longer ago than `retention`; failed ones stay for an operator."""
    cutoff = (now or datetime.now(UTC)) - retention
    return await Event.filter(relayed_at__lt=cutoff).delete()
