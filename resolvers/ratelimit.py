"""Fixed-window rate limits kept in Redis, for actions that cost us something when repeated."""

from __future__ import annotations

import logging
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

    If Redis is unreachable (or was a moment ago, and its breaker skips it for now), the action
    goes through (and it is logged): these limits curb abuse, and refusing every visitor while
    Redis is down would be worse than the abuse.
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
        return
    if count > limit:
        raise RateLimited(message, ttl if ttl > 0 else window_seconds)
