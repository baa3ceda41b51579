"""Fixed-window rate limits kept in Redis, for actions that cost us something when repeated."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from resolvers.errors import RateLimited
from storage.cache import RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)
# With Redis down every request would log the same warning: once, then a count a minute.
_unavailable = LogThrottle(log)


async def consume(
    ctx: Context, action: str, subject: str, *, limit: int, window_seconds: int, message: str
) -> None:
    """Count one `action` by `subject` (a user id, a client address); refuse past `limit`.

    If Redis is unreachable (or was a moment ago, and its breaker skips it for now), this
    process counts instead (and it is logged): refusing every visitor while Redis is down would
    be worse than the abuse, and a flood that slows Redis past its timeout must not switch the
    limit off. The limit then holds per process.
    """
    key = ctx.keys("rate", action, subject)
    try:
        with ctx.redis_breaker.guard():
            async with ctx.redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, window_seconds, nx=True)
                pipe.ttl(key)
                count, _, ttl = await pipe.execute()
    except RedisError as exc:
        _unavailable.failure(
            logging.WARNING,
            exc,
            "rate limit %s unavailable: Redis unreachable (%s); not enforcing it",
            action,
            exc,
            label=f"rate limit {action}",
            # The breaker logged the failure that opened it; its own frames say nothing.
            traceback=not isinstance(exc, RedisSkipped),
        )
        allowed, retry_after = LOCAL_COUNTS.reserve([(key, limit)], window_seconds)
        if not allowed:
            raise RateLimited(message, max(1, retry_after)) from None
        return
    if count > limit:
        raise RateLimited(message, ttl if ttl > 0 else window_seconds)


class LocalCounts:
    """Fixed-window counters in this process, for when Redis cannot be reached.

    One event loop runs them, so reserving several counters at once is atomic; expired windows
    are dropped as the table grows, so a flood of addresses cannot grow it without bound.
    """

    PRUNE_AT = 50_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window ends)

    def reserve(self, limits: list[tuple[str, int]], window: int) -> tuple[bool, int]:
        """Count one attempt on every key, unless one is at its limit: (reserved, retry after)."""
        now = self.clock()
        if len(self._counts) > self.PRUNE_AT:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        current = [(key, limit, self._live(key, now)) for key, limit in limits]
        for _, limit, (count, ends) in current:
            if count >= limit:
                return False, int(ends - now)
        for key, _, (count, ends) in current:
            self._counts[key] = (count + 1, ends if count else now + window)
        return True, 0

    def clear(self) -> None:
        self._counts.clear()

    def reset(self, key: str) -> None:
        self._counts.pop(key, None)

    def release(self, key: str) -> None:
        count, ends = self._counts.get(key, (0, 0.0))
        if count > 1:
            self._counts[key] = (count - 1, ends)
        else:
            self._counts.pop(key, None)

    def _live(self, key: str, now: float) -> tuple[int, float]:
        count, ends = self._counts.get(key, (0, 0.0))
        return (count, ends) if ends > now else (0, 0.0)


# One per process: what the limits count while Redis cannot be reached.
LOCAL_COUNTS = LocalCounts()
