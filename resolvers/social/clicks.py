"""Share-link clicks: counted in Redis on the request path, moved into PostgreSQL by the worker.

A click is one HINCRBY on a hash of link id -> clicks. The worker's flush (every minute) takes
that hash whole with RENAMENX (atomic: a click lands either in the batch taken or in the next
one), tags the batch with a random id (HSETNX, so a resumed batch keeps its first id), adds
its counts to `share_links.clicks` in one transaction that also records the batch id (unique),
and only then deletes the batch. A worker that dies anywhere in between leaves the batch in
Redis; the next flush resumes it, and a batch whose id is already recorded is deleted without
being applied again. So no click is lost or counted twice.

With Redis unreachable, a click is added to the row straight away instead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.social import ShareClickFlush, ShareLink
from storage.cache import Keys, RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)
_unavailable = LogThrottle(log)

BATCH_FIELD = "batch"
# Applied batch ids are kept this long; a batch stuck in Redis longer would count again.
FLUSH_RECORD_RETENTION = timedelta(days=7)


def _live_key(keys: Keys) -> str:
    # One hash tag for both keys: RENAMENX needs them in one slot on Redis Cluster.
    return keys("{share-clicks}", "live")


def _batch_key(keys: Keys) -> str:
    return keys("{share-clicks}", "flushing")


async def count_click(ctx: Context, link_id: int) -> None:
    try:
        with ctx.redis_breaker.guard():
            await cast("Awaitable[int]", ctx.redis.hincrby(_live_key(ctx.keys), str(link_id), 1))
    except RedisError as exc:
        _unavailable.failure(
            logging.WARNING,
            exc,
            "share clicks: Redis unreachable (%s); counting in PostgreSQL",
            exc,
            label="share clicks",
            traceback=not isinstance(exc, RedisSkipped),
        )
        await ShareLink.filter(id=link_id).update(clicks=F("clicks") + 1)


async def _take_batch(redis: Redis, keys: Keys) -> tuple[str, dict[int, int]] | None:
    """The batch to apply: the one a previous flush left, else the live counts; None if no
    clicks wait."""
    with suppress(ResponseError):  # no live counts: only a left-over batch, if any, to apply
        await redis.renamenx(_live_key(keys), _batch_key(keys))
    if not await redis.exists(_batch_key(keys)):
        return None
    await cast("Awaitable[bool]", redis.hsetnx(_batch_key(keys), BATCH_FIELD, str(uuid.uuid4())))
    reply = redis.hgetall(_batch_key(keys))
    fields = await cast("Awaitable[dict[bytes | str, bytes | str]]", reply)
    decoded = {_text(k): _text(v) for k, v in fields.items()}
    batch = decoded.pop(BATCH_FIELD)
    return batch, {int(link): int(n) for link, n in decoded.items() if int(n)}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def flush_share_clicks(redis: Redis, keys: Keys) -> int:
    """Move the clicks counted in Redis into the share links' rows; the clicks applied."""
    taken = await _take_batch(redis, keys)
    await ShareClickFlush.filter(created_at__lt=datetime.now(UTC) - FLUSH_RECORD_RETENTION).delete()
    if taken is None:
        return 0
    batch, counts = taken
    applied = 0
    try:
        async with in_transaction():
            await ShareClickFlush.create(batch=batch)
            for link_id, clicks in sorted(counts.items()):  # one lock order: no deadlocks
                await ShareLink.filter(id=link_id).update(clicks=F("clicks") + clicks)
                applied += clicks
    except IntegrityError:
        applied = 0  # this batch was applied by an earlier flush that died before deleting it
    await redis.delete(_batch_key(keys))
    return applied
