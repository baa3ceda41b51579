"""Connections per caller, across every API process: one lease per open websocket in Redis.

A plain INCR/DECR counter would leak a count for every process that died holding connections
(nothing would ever DECR it). So each connection holds a lease instead: a member of the
caller's sorted set, scored with the time it lapses. The connection renews it with every
heartbeat and removes it when it closes; a dead process's leases lapse by themselves within
LEASE_BEATS heartbeats. Taking a lease is one Lua script: lapsed leases go, then the count is
compared with the limit and the new lease added, atomically, so concurrent connections of one
caller cannot together pass the limit.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis

from resolvers.principal import Principal
from storage.cache import Keys

# A lease lapses after this many missed heartbeats.
LEASE_BEATS = 3

_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""


def caller_of(principal: Principal, client_network: str) -> str:
    """Whom the limit counts: the user (whatever token or app), else the client network."""
    if principal.user is not None:
        return f"user:{principal.user.id}"
    return f"network:{client_network}"


@dataclass(slots=True)
class Lease:
    redis: Redis
    key: str
    member: str
    seconds: float

    async def renew(self, limit: int) -> bool:
        """Renew (or take) the lease; False when the caller holds `limit` others."""
        now = time.time()
        args: list[Any] = [now, now + self.seconds, self.member, limit, int(self.seconds * 1000)]
        taken = await cast("Any", self.redis.eval(_TAKE, 1, self.key, *args))
        return bool(int(taken))

    async def release(self) -> None:
        await cast("Any", self.redis.zrem(self.key, self.member))


def lease_for(redis: Redis, keys: Keys, caller: str, heartbeat_seconds: float) -> Lease:
    return Lease(
        redis=redis,
        key=keys("ws", "connections", caller),
        member=uuid.uuid4().hex,
        seconds=heartbeat_seconds * LEASE_BEATS,
    )
