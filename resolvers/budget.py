"""Per-caller query-cost budgets: a leaky bucket in Redis, as Shopify's Admin API has.

Every caller (an app, a signed-in user, or an anonymous client address) has a bucket of
`COST_BUDGET` points that refills at `COST_BUDGET_RESTORE_RATE` points a second. Each operation
pays its requested cost before it runs; one that does not fit is refused with `RATE_LIMITED`
and `retryAfterSeconds`, having run nothing. The bucket lives in one Redis hash updated by a
Lua script, so concurrent requests on many servers cannot overspend it, and Redis's clock is
the only clock, so servers' skew does not matter.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from resolvers.errors import RateLimited
from storage.cache import RedisSkipped
from storage.logthrottle import LogThrottle

if TYPE_CHECKING:
    from resolvers.context import Context

log = logging.getLogger(__name__)

# KEYS[1]: the bucket. ARGV: capacity, restore rate per second, cost.
# Returns {1 if charged else 0, points available afterwards (a string: Lua numbers
# are truncated to integers on the way out)}.
_LEAKY_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
available = math.min(capacity, available + math.max(0, now - at) * rate)
local charged = 0
if cost <= available then
  available = available - cost
  charged = 1
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return {charged, tostring(available)}
"""
# KEYS[1]: the bucket. ARGV: capacity, points to give back. The points return as they were
# taken, capped at the capacity; the refill clock is left alone.
_REFUND = """
local capacity = tonumber(ARGV[1])
local available = tonumber(redis.call('HGET', KEYS[1], 'available'))
if available == nil then return nil end
available = math.min(capacity, available + tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'available', tostring(available))
return tostring(available)
"""
# Sent by SHA (EVALSHA), loaded on first use per server: sending the script text with every
# request (EVAL) cost ~0.2 ms of client CPU, about as much as a plain GET. Given as bytes, the
# script needs no client to hash it; every call names the client it runs on.
_SCRIPT = AsyncScript(cast("Redis", None), _LEAKY_BUCKET.encode())
_REFUND_SCRIPT = AsyncScript(cast("Redis", None), _REFUND.encode())
# With Redis down every request would log the same warning: once, then a count a minute.
_unavailable = LogThrottle(log)


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """What `extensions.cost.throttleStatus` reports after an operation paid (or could not)."""

    maximum_available: int
    currently_available: int
    restore_rate: int


class Throttled(RateLimited):
    def __init__(self, message: str, retry_after_seconds: int, status: ThrottleStatus) -> None:
        super().__init__(message, retry_after_seconds)
        self.status = status


def budget_subject(ctx: Context) -> str:
    """Whose bucket pays: the app, else the user, else the client address."""
    principal = ctx.principal
    if principal.app is not None:
        return f"app:{principal.app.id}"
    if principal.user is not None:
        return f"user:{principal.user.id}"
    return f"address:{ctx.client_network}"


async def charge(ctx: Context, cost: int) -> ThrottleStatus | None:
    """Take `cost` points from the caller's bucket, or raise Throttled if they are not there.

    None when budgets are off (COST_BUDGET=0) or Redis cannot be reached (or could not a moment
    ago, and its breaker skips it for now): like the other limits kept in Redis, the budget
    fails open rather than take the API down with Redis.
    """
    settings = ctx.settings
    capacity, rate = settings.cost_budget, settings.cost_budget_restore_rate
    if capacity <= 0:
        return None
    key = ctx.keys("cost-budget", budget_subject(ctx))
    try:
        with ctx.redis_breaker.guard():
            reply = _SCRIPT(keys=[key], args=[capacity, rate, cost], client=ctx.redis)
            charged, available_text = await cast("Awaitable[list[Any]]", reply)
    except RedisError as exc:
        _unavailable.failure(
            logging.WARNING,
            exc,
            "cost budgets unavailable: Redis unreachable (%s); not enforcing them",
            exc,
            # The breaker logged the failure that opened it; its own frames say nothing.
            traceback=not isinstance(exc, RedisSkipped),
        )
        return None
    available = float(available_text)
    status = ThrottleStatus(capacity, math.floor(available), rate)
    if not charged:
        wait = max(1, math.ceil((cost - available) / rate))
        raise Throttled(
            f"Throttled: this operation costs {cost}, and {status.currently_available} of "
            f"{capacity} points are available (they restore at {rate} a second).",
            wait,
            status,
        )
    return status


async def refund(ctx: Context, cost: int, paid: ThrottleStatus) -> ThrottleStatus:
    """Give back what an operation paid when it could not run for reasons of ours (the
    database was unavailable): a client retrying a 503 as told must not be throttled for it.
    What the bucket holds afterwards; `paid` unchanged when Redis cannot be reached."""
    key = ctx.keys("cost-budget", budget_subject(ctx))
    try:
        with ctx.redis_breaker.guard():
            reply = _REFUND_SCRIPT(
                keys=[key], args=[paid.maximum_available, cost], client=ctx.redis
            )
            available_text = await cast("Awaitable[str | bytes | None]", reply)
    except RedisError as exc:
        _unavailable.failure(
            logging.WARNING,
            exc,
            "cost budget refund skipped: Redis unreachable (%s)",
            exc,
            traceback=not isinstance(exc, RedisSkipped),
        )
        return paid
    if available_text is None:  # the bucket expired meanwhile: it is full again anyway
        return ThrottleStatus(paid.maximum_available, paid.maximum_available, paid.restore_rate)
    available = math.floor(float(available_text))
    return ThrottleStatus(paid.maximum_available, available, paid.restore_rate)
